/// A snapshot of a running job, handed to the progress display a few times per second.
public struct RunProgress: Sendable, Hashable {
  /// Distinct requests with a final outcome (this run and earlier ones).
  public var requestsDone: Int
  /// Distinct requests in the job.
  public var requestsTotal: Int
  /// Requests found (`status: success`) so far.
  public var found: Int
  /// Retries so far in this run.
  public var retries: Int
  /// `429` answers so far in this run.
  public var rateLimited: Int
  /// Requests in flight now.
  public var inFlight: Int
  /// Answers per second over the last few seconds.
  public var ratePerSecond: Double
  /// Seconds since this run started.
  public var elapsed: Double
  /// Credits the job has spent under its billing model (all its runs).
  public var creditsSpent = 0
  /// The job's budget (`--max-credits`), if any.
  public var maxCredits: Int?
  /// Credits spent today against the daily cap in force (leadsheet's, else the API's).
  public var creditsToday = 0
  /// The daily cap in force (`--daily-credits`, else the API's daily limit), if any.
  public var dailyCap: Int?
  /// Set while the run sleeps to a daily reset (`--wait`).
  public var dailyWait: DailyPause?
  /// The wall-clock time of the snapshot (Unix seconds).
  public var unixTime = 0.0

  /// Creates a snapshot.
  public init(
    requestsDone: Int, requestsTotal: Int, found: Int, retries: Int, rateLimited: Int,
    inFlight: Int, ratePerSecond: Double, elapsed: Double, creditsSpent: Int = 0,
    maxCredits: Int? = nil
  ) {
    self.creditsSpent = creditsSpent
    self.maxCredits = maxCredits
    self.requestsDone = requestsDone
    self.requestsTotal = requestsTotal
    self.found = found
    self.retries = retries
    self.rateLimited = rateLimited
    self.inFlight = inFlight
    self.ratePerSecond = ratePerSecond
    self.elapsed = elapsed
  }

  /// Seconds left at the current rate, when it can be told.
  public var eta: Double? {
    guard ratePerSecond > 0.01 else { return nil }
    return Double(max(0, requestsTotal - requestsDone)) / ratePerSecond
  }
}
