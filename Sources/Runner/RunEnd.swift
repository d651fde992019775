import LeadsheetCore

/// How a run ended, and so what the user does next.
public enum RunEnd: Sendable, Hashable {
  /// Every request has a final outcome.
  case done
  /// The run stopped on a job-wide condition (key, consent, credits, network);
  /// `resume` continues once it is fixed.
  case paused(reason: String, remedy: String)
  /// `--limit` requests were sent; `resume` continues with the rest.
  case limitReached(Int)
  /// Ctrl-C or SIGTERM; `resume` continues.
  case interrupted
  /// The credit budget (`--max-credits`) is reached; `resume --max-credits` with a
  /// higher budget continues.
  case budgetReached(BudgetPause)
  /// A daily cap (`--daily-credits` or the API's daily limit) is reached and `--wait`
  /// was not given; `resume` continues after the reset.
  case dailyCapReached(DailyPause)
}

/// What one run did: the figures printed at the end and kept for the report.
public struct RunSummary: Sendable, Hashable {
  /// How the run ended.
  public var end: RunEnd
  /// Requests sent in this run, retries included.
  public var sent = 0
  /// Distinct requests answered with a final outcome in this run.
  public var finished = 0
  /// Of those, found (`status: success`).
  public var found = 0
  /// Of those, not found.
  public var notFound = 0
  /// Of those, failed (permanent error or retries exhausted).
  public var failed = 0
  /// Retries of transient failures.
  public var retries = 0
  /// `429` answers.
  public var rateLimited = 0
  /// Attempts that timed out (`--timeout`): the server may have worked on them, so each
  /// is possibly billed, like a request in flight at a crash. They are retried (there is
  /// no result otherwise), so a contact may be billed twice.
  public var timedOut = 0
  /// Seconds from the first request to the last answer.
  public var seconds = 0.0
  /// Answer latency.
  public var latency = LatencyStats()
  /// Requests that were in flight at a crash: put back to be sent again, or
  /// marked failed when `resentInFlight` is false (`--no-resend-in-flight`).
  public var recoveredInFlight = 0
  /// Whether `recoveredInFlight` requests were sent again (else marked failed).
  public var resentInFlight = true
  /// Whether the run stopped because the API could not be reached (`--give-up-after`).
  public var apiUnreachable = false
  /// Parts of requests the API took with an enrichment id in this run (async
  /// submissions, or pending answers of the sync call).
  public var submitted = 0
  /// Polls (`GET /contacts/{id}`) sent in this run.
  public var polls = 0
  /// Results fetched by polling in this run (what `polls` bought).
  public var polledResults = 0
  /// Polls per fetched result, each result's count (for the mean and the p99).
  public var pollsPerResult: [Int] = []

  /// Credits the job has spent under its billing model, over all its runs, at the
  /// end of this run.
  public var creditsSpent = 0
  /// Of those, spent in this run.
  public var creditsSpentThisRun = 0
  /// The job's budget (`--max-credits`), if any.
  public var maxCredits: Int?
  /// The job's billing model (`--billing`).
  public var billing: BillingModel.Kind = .perRequest
  /// Credits spent today against the daily cap in force at the end of this run: under
  /// `--daily-credits`, by every job of the database this UTC day; else the API's count
  /// of its day (`used_today` plus this run's answers). `nil` without a daily cap.
  public var creditsToday: Int?
  /// The daily cap in force (`--daily-credits`), if any.
  public var dailyCredits: Int?
  /// The API's daily limit, when `GET /credits` told one.
  public var apiDailyLimit: Int?
  /// Sleeps to a daily reset in this run (`--wait`).
  public var dailyWaits = 0
  /// Seconds slept to daily resets in this run.
  public var dailyWaitSeconds = 0.0
  /// Daily-limit 422 answers in this run.
  public var dailyLimited = 0
  /// Requests finished in this run from the contact store alone (nothing bought).
  public var reusedRequests = 0
  /// Of those, found.
  public var reusedFound = 0
  /// Types taken from the contact store in this run (also by requests that bought
  /// their other types), by type.
  public var reusedTypes: [EnrichmentType: Int] = [:]
  /// What those would have cost at worst under the job's model.
  public var creditsSavedByReuse = 0
  /// Types not bought in this run because `--phone-if`, `--personal-email-if` or
  /// `--max-per` said so, by type.
  public var skippedTypes: [EnrichmentType: Int] = [:]
  /// What those would have cost at worst under the job's model.
  public var creditsSparedByStages = 0

  /// Creates a summary.
  public init(end: RunEnd) { self.end = end }

  /// Polls per fetched result, on average; `nil` when nothing was polled.
  public var pollsPerResultMean: Double? {
    pollsPerResult.isEmpty
      ? nil : Double(pollsPerResult.reduce(0, +)) / Double(pollsPerResult.count)
  }

  /// The 99th percentile of polls per fetched result; `nil` when nothing was polled.
  public var pollsPerResultP99: Int? {
    guard !pollsPerResult.isEmpty else { return nil }
    let sorted = pollsPerResult.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
  }
}
