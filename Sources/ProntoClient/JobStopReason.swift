/// Why a whole job must stop (or pause) at once, whichever row it was on.
///
/// Each reason carries the sentence shown to the user (``sentence``) and what
/// to do about it (``remedy``). None of them ever includes the API key.
public enum JobStopReason: Sendable, Hashable {
  /// 401 or 403: the key is wrong, revoked or missing. Stop the job.
  case unauthorized(status: Int)
  /// 422 consent answer: `personal_email` was asked without the account's consent. Stop.
  case consentMissing(message: String)
  /// 402, or a 4xx saying credits are insufficient. Pause: resumable once credits are added.
  case creditsExhausted(status: Int, message: String)
  /// 404 or 405: the base URL does not serve the endpoint. Stop the job.
  case endpointNotFound(status: Int)
  /// A 4xx (Pronto: 422) saying a daily, plan or import limit is reached: the
  /// API's `message`, and its `Retry-After` when it sent one. Pause: resumable
  /// once the limit resets.
  case limitReached(status: Int, message: String, retryAfter: Duration?)

  /// A stable short label for counters.
  public var label: String {
    switch self {
    case .unauthorized: return "unauthorized"
    case .consentMissing: return "consent_missing"
    case .creditsExhausted: return "credits_exhausted"
    case .endpointNotFound: return "endpoint_not_found"
    case .limitReached: return "limit_reached"
    }
  }

  /// Whether the job can be resumed later without changing its settings
  /// (exhausted credits, a reached limit).
  public var isResumable: Bool {
    switch self {
    case .creditsExhausted, .limitReached: return true
    default: return false
    }
  }

  /// What happened, in one sentence for the user.
  public var sentence: String {
    switch self {
    case .unauthorized(let status):
      return "Pronto refused the API key (HTTP \(status)): it is wrong, revoked or missing."
    case .consentMissing:
      return "Pronto refused personal email enrichment: the account has not consented to it."
    case .creditsExhausted(let status, _):
      return "Pronto has no credits left for this account (HTTP \(status)); the job is paused."
    case .endpointNotFound(let status):
      return "The base URL does not serve /contacts/single_enrich (HTTP \(status))."
    case .limitReached(let status, let message, _):
      return "Pronto refused more enrichments for now (HTTP \(status)): \(message)"
    }
  }

  /// What the user can do about it.
  public var remedy: String {
    switch self {
    case .unauthorized:
      return "Check PRONTO_API_KEY or the file given with --api-key-file, then resume the job."
    case .consentMissing:
      return "Enable personal email consent in Pronto's account settings, "
        + "or drop personal_email from the enrichment types."
    case .creditsExhausted:
      return "Add credits to the Pronto account, then resume the job: finished rows are kept."
    case .endpointNotFound:
      return "Check --base-url or LEADSHEET_BASE_URL (default https://api.prontohq.com/v2)."
    case .limitReached(_, _, let retryAfter?):
      return "Resume the job once the limit resets: Pronto said to retry in "
        + "\(Self.words(retryAfter)) (Retry-After). Finished rows are kept."
    case .limitReached:
      return "Resume the job once the limit resets (daily limits reset each day; "
        + "a plan limit needs a larger plan). Finished rows are kept."
    }
  }
}

extension JobStopReason {
  /// A wait in words: `45 s`, `12 min`, `3 h 20 min`.
  static func words(_ duration: Duration) -> String {
    let seconds = max(0, Int(duration.components.seconds))
    if seconds < 120 { return "\(seconds) s" }
    let minutes = (seconds + 59) / 60
    if minutes < 60 { return "\(minutes) min" }
    return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min"
  }
}
