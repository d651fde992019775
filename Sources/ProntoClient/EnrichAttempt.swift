import LeadsheetCore

/// The outcome of one `POST /contacts/single_enrich`, classified; never an error.
///
/// Each case has one consequence for a job:
///
/// | case | consequence |
/// |---|---|
/// | `found` | row done: write the data |
/// | `notFound` | row done: nothing found (keep `message`) |
/// | `submitted` | the API took the request and works on it (may be billed): never send it again, fetch it by its id |
/// | `unexpectedAnswer` | a 2xx leadsheet cannot read: row failed, never retried (may be billed) |
/// | `rowInvalid` | row failed for good: do not retry, report the API's message |
/// | `jobStop` | stop the whole job now (or pause it, for credits: resumable) |
/// | `rateLimited` | retry this row after `retryAfter`; slow the whole job down |
/// | `transient` | retry this row with ``Backoff``, a bounded number of times |
public enum EnrichAttempt: Sendable, Hashable {
  /// A 2xx with `status: success`, or any status but pending with an email,
  /// a personal email or a phone.
  case found(EnrichResponse)
  /// 200 with `status: error` (the API's not-found answer, with its `message`).
  case notFound(EnrichResponse)
  /// A 2xx whose `status` is `pending`, `queued` or `processing` with an
  /// `enrichment_id`, or a non-200 2xx (202) with an id and no result: the API
  /// accepted the request and may have billed it. Never a result, never
  /// not-found, never sent again: the result is fetched with `GET /contacts/{id}`.
  case submitted(enrichmentID: String, status: String)
  /// A 2xx JSON object that is no answer leadsheet knows: one that says nothing
  /// of a result, a pending status without an id, a 202 with neither an id nor
  /// a result (a body that is not JSON at all is `transient(.unreadableBody)`). Never retried (it may have been billed);
  /// `excerpt` is the body's first 200 characters, key redacted.
  case unexpectedAnswer(status: Int, excerpt: String, enrichmentID: String?)
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
    case .submitted: return "submitted"
    case .unexpectedAnswer: return "unexpected_answer"
    case .rowInvalid: return "row_invalid"
    case .jobStop(let reason): return "job_stop.\(reason.label)"
    case .rateLimited: return "rate_limited"
    case .transient(let failure): return "transient.\(failure.label)"
    }
  }

  /// Whether the API took the request and gave an id to fetch its result by.
  public var isSubmitted: Bool {
    if case .submitted = self { return true }
    return false
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
