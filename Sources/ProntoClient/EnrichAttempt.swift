import LeadsheetCore

/// The outcome of one `POST /contacts/single_enrich`, classified; never an error.
///
/// Each case has one consequence for a job:
///
/// | case | consequence |
/// |---|---|
/// | `found` | row done: write the data |
/// | `notFound` | row done: nothing found (keep `message`) |
/// | `rowInvalid` | row failed for good: do not retry, report the API's message |
/// | `jobStop` | stop the whole job now (or pause it, for credits: resumable) |
/// | `rateLimited` | retry this row after `retryAfter`; slow the whole job down |
/// | `transient` | retry this row with ``Backoff``, a bounded number of times |
public enum EnrichAttempt: Sendable, Hashable {
  /// 200 with `status: success`.
  case found(EnrichResponse)
  /// 200 with `status: error` (the API's not-found answer, with its `message`).
  case notFound(EnrichResponse)
  /// 400 or 422 (other than consent and credits): this row's request is wrong.
  case rowInvalid(status: Int, message: String)
  /// A condition that no row can get past: bad key, missing consent, no credits.
  case jobStop(JobStopReason)
  /// 429: too many requests; `retryAfter` from the `Retry-After` header, if sent.
  case rateLimited(retryAfter: Duration?)
  /// A failure that may pass on its own: 5xx, reset, timeout, bad body.
  case transient(TransientFailure)

  /// A stable short label for counters and logs (`found`, `transient.timeout`…).
  public var label: String {
    switch self {
    case .found: return "found"
    case .notFound: return "not_found"
    case .rowInvalid: return "row_invalid"
    case .jobStop(let reason): return "job_stop.\(reason.label)"
    case .rateLimited: return "rate_limited"
    case .transient(let failure): return "transient.\(failure.label)"
    }
  }

  /// Whether sending the same request again may give another answer.
  public var isRetryable: Bool {
    switch self {
    case .rateLimited, .transient: return true
    default: return false
    }
  }

  /// The response body, for `found` and `notFound`.
  public var response: EnrichResponse? {
    switch self {
    case .found(let r), .notFound(let r): return r
    default: return nil
    }
  }
}

/// An ``EnrichAttempt`` with how long it took, from sending to the last byte.
public struct TimedEnrichAttempt: Sendable, Hashable {
  /// The classified outcome.
  public var attempt: EnrichAttempt
  /// Wall time of the attempt, measured with `ContinuousClock`.
  public var latency: Duration
  /// The HTTP status received, `nil` when no answer came.
  public var httpStatus: Int?

  /// Creates a timed attempt.
  public init(attempt: EnrichAttempt, latency: Duration, httpStatus: Int? = nil) {
    self.attempt = attempt
    self.latency = latency
    self.httpStatus = httpStatus
  }
}
