import LeadsheetCore

/// The credit budget of a job (`--max-credits`): may one more request be sent?
///
/// The job's spending is counted over all its runs: `spent` starts at what the
/// job's answered requests cost under its billing model (read from the store when
/// the run starts) and grows with each answer; `committed` is the worst case of
/// every request marked in flight or submitted and not answered yet. A request
/// whose worst case would take `spent + committed` past `limit` is not sent. When
/// its answer comes, its reservation is replaced by what it actually cost
/// (`settle`); a request that goes back unsent gives its reservation back
/// (`release`).
///
/// | event | spent | committed |
/// |---|---|---|
/// | `reserve(id, worst: w)` (marked, or resumed as submitted) | – | + w |
/// | `settle(id, actual: a)` (final outcome) | + a | − w |
/// | `release(id)` (back to pending: a stop, a job-wide refusal) | – | − w |
///
///     var budget = CreditBudget(limit: 100, spent: 90)
///     budget.allows(11)            // false: 90 + 11 > 100
///     budget.reserve(7, worst: 10) // 90 + 10 = 100: allowed
///     budget.settle(7, actual: 1)  // spent 91, committed 0
public struct CreditBudget: Sendable, Hashable {
  /// The most credits the job may spend (`--max-credits`); `nil`: no budget, spending
  /// is only counted.
  public let limit: Int?
  /// Credits spent by the job: earlier runs and the answers of this one.
  public private(set) var spent: Int
  /// The worst case of the requests in flight or submitted, not answered yet.
  public var committed: Int { reserved.total }
  /// Each reserved request's worst case, by request id.
  private var reserved = Reservations()

  /// Creates a budget.
  ///
  /// - Parameters:
  ///   - limit: `--max-credits`, or `nil`.
  ///   - spent: What the job spent before this run, under its billing model.
  public init(limit: Int?, spent: Int = 0) {
    self.limit = limit
    self.spent = spent
  }

  /// Whether a request whose worst case is `cost` may be sent now.
  public func allows(_ cost: Int) -> Bool {
    guard let limit else { return true }
    return spent + committed + cost <= limit
  }

  /// How many of `costs`, taken in order, may be sent now (stops at the first that
  /// does not fit: the order of the list is kept).
  public func fitting(_ costs: [Int]) -> Int {
    guard let limit else { return costs.count }
    var total = spent + committed
    for (i, cost) in costs.enumerated() {
      total += cost
      if total > limit { return i }
    }
    return costs.count
  }

  /// Reserves the worst case of request `id` (marked in flight, or submitted).
  ///
  /// Reserving an id twice keeps the first reservation. `perNumber`: what each
  /// phone number more than assumed would add (`Reservations`).
  public mutating func reserve(_ id: Int64, worst: Int, perNumber: Int = 0) {
    reserved.reserve(id, worst: worst, perNumber: perNumber)
  }

  /// Request `id` has its final outcome, which cost `actual`.
  public mutating func settle(_ id: Int64, actual: Int) {
    reserved.remove(id)
    spent += actual
  }

  /// Request `id` goes back unsent (or was refused without being billed).
  public mutating func release(_ id: Int64) {
    reserved.remove(id)
  }

  /// A phone answer held `extraNumbers` more numbers than the run assumed: every
  /// held request that asks for a phone may cost that much more.
  public mutating func raise(extraNumbers: Int) {
    reserved.raise(extraNumbers: extraNumbers)
  }

  /// Whether request `id` holds a reservation.
  public func isReserved(_ id: Int64) -> Bool { reserved.contains(id) }

  /// `n` rounded up to two significant figures: the `--max-credits` suggested to go on
  /// (1,530 → 1,600; 108 → 110; 95 → 95).
  public static func roundedUp(_ n: Int) -> Int {
    guard n > 99 else { return max(0, n) }
    var scale = 1
    while n / scale >= 100 { scale *= 10 }
    return (n + scale - 1) / scale * scale
  }
}
