import Foundation
import LeadsheetCore

extension EnrichAttempt {
  /// Classifies a complete HTTP answer; pure, so every class is testable without sockets.
  ///
  /// - Parameters:
  ///   - status: The HTTP status code.
  ///   - retryAfter: The `Retry-After` header, if any.
  ///   - body: The body bytes.
  ///   - now: The current time, for an HTTP-date `Retry-After`.
  ///   - redact: Applied to every message kept from the body (removes the API key).
  static func classify(
    status: Int, retryAfter: String?, body: Data, now: Date = Date(),
    redact: (String) -> String = { $0 }
  ) -> EnrichAttempt {
    switch status {
    case 200..<300:
      return classifySuccess(status: status, body: body, redact: redact)
    case 429:
      return .rateLimited(retryAfter: retryAfter.flatMap { RetryAfter.parse($0, now: now) })
    case 408:
      return .transient(.timeout)
    case 500..<600:
      return .transient(.http(status: status))
    case 400..<500:
      let message = redact(errorMessage(in: body) ?? "HTTP \(status)")
      if isConsentMessage(message) { return .jobStop(.consentMissing(message: message)) }
      if ![401, 403, 404, 405].contains(status), isLimitMessage(message) {
        let wait = retryAfter.flatMap {
          RetryAfter.parse($0, now: now, maximum: RetryAfter.limitMaximum)
        }
        return .jobStop(.limitReached(status: status, message: message, retryAfter: wait))
      }
      if status == 402 || isCreditsMessage(message) {
        return .jobStop(.creditsExhausted(status: status, message: message))
      }
      switch status {
      case 401, 403: return .jobStop(.unauthorized(status: status))
      case 404, 405: return .jobStop(.endpointNotFound(status: status))
      default: return .rowInvalid(status: status, message: message)
      }
    default:
      // 1xx that ended the exchange, 3xx (redirects are not followed).
      return .transient(.http(status: status))
    }
  }

  /// Classifies the answer to `GET /contacts/{id}` (see `ProntoClient.pollTimed`).
  static func classifyPoll(
    status: Int, retryAfter: String?, body: Data, id: String, now: Date = Date(),
    redact: (String) -> String = { $0 }
  ) -> EnrichAttempt {
    switch status {
    case 200..<300:
      if let response = try? JSONDecoder().decode(EnrichResponse.self, from: body),
        pendingStatuses.contains((response.status ?? "").lowercased())
      {
        return .submitted(enrichmentID: id, status: response.status ?? "")
      }
      return classifySuccess(status: 200, body: body, redact: redact)
    case 404:
      return .rowInvalid(
        status: 404, message: redact(errorMessage(in: body) ?? "no enrichment with this id"))
    default:
      return classify(status: status, retryAfter: retryAfter, body: body, now: now, redact: redact)
    }
  }

  /// Statuses that mean "accepted, still working" (the async endpoints' vocabulary).
  static let pendingStatuses: Set<String> = ["pending", "queued", "processing", "in_progress"]

  /// Keys that say something about a result: an answer without any is not a not-found.
  static let resultKeys: Set<String> = [
    "status", "email", "email_status", "personal_email", "personal_email_status", "phones",
    "phone", "phone_status", "message",
  ]

  /// Classifies a 2xx answer.
  ///
  /// | body | class |
  /// |---|---|
  /// | `status` pending, queued, processing with an `enrichment_id` | `submitted` |
  /// | an email, personal email or phone, or `status: success` | `found` |
  /// | 200 with a status or a result field and none of the above | `notFound` |
  /// | other 2xx (202…) with an `enrichment_id` and no result | `submitted` |
  /// | not a JSON object (a proxy's HTML page, a cut body) | `transient(.unreadableBody)` |
  /// | any other object (no known field, pending without id, 202 without id) | `unexpectedAnswer` |
  static func classifySuccess(
    status: Int, body: Data, redact: (String) -> String
  ) -> EnrichAttempt {
    let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
    guard let object, let response = try? JSONDecoder().decode(EnrichResponse.self, from: body)
    else {
      return .transient(.unreadableBody(status: status, excerpt: excerpt(body, redact)))
    }
    let id = response.enrichmentID.flatMap { $0.isEmpty ? nil : $0 }
    let state = (response.status ?? "").lowercased()
    if pendingStatuses.contains(state) {
      guard let id else {
        return .unexpectedAnswer(status: status, excerpt: excerpt(body, redact), enrichmentID: nil)
      }
      return .submitted(enrichmentID: id, status: response.status ?? "")
    }
    if response.isFound { return .found(response) }
    if status == 200, !resultKeys.isDisjoint(with: object.keys) { return .notFound(response) }
    if status != 200, let id { return .submitted(enrichmentID: id, status: response.status ?? "") }
    return .unexpectedAnswer(status: status, excerpt: excerpt(body, redact), enrichmentID: id)
  }

  /// The body's first 200 characters, the key redacted (before cutting, so no part
  /// of it is left), whitespace trimmed; `(empty body)` when there is nothing.
  static func excerpt(_ body: Data, _ redact: (String) -> String) -> String {
    let text = redact(String(decoding: body.prefix(8192), as: UTF8.self))
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? "(empty body)" : String(text.prefix(200))
  }

  /// Whether an error message is the personal-email consent refusal.
  static func isConsentMessage(_ message: String) -> Bool {
    message.lowercased().contains("consent")
  }

  /// Whether an error message says a daily, plan or import limit is reached
  /// ("daily limit", "plan limit", "import limits", "limit reached"…, any case).
  static func isLimitMessage(_ message: String) -> Bool {
    let m = message.lowercased()
    let phrases = [
      "daily limit", "plan limit", "import limit", "limit reached", "limit exceeded",
      "limit has been reached", "reached your limit", "reached the limit", "quota",
    ]
    if phrases.contains(where: m.contains) { return true }
    let words = Set(m.split { !$0.isLetter }.map(String.init))
    guard !words.isDisjoint(with: ["limit", "limits"]) else { return false }
    return !words.isDisjoint(with: ["daily", "plan", "import", "imports", "day"])
  }

  /// Whether an error message says the account's credits are insufficient.
  static func isCreditsMessage(_ message: String) -> Bool {
    let m = message.lowercased()
    guard m.contains("credit") else { return false }
    return [
      "insufficient", "not enough", "no more", "no credit", "exhausted", "out of",
      "run out", "ran out", "remaining", "balance",
    ].contains { m.contains($0) }
  }

  /// The message of an error body: `message`, `error`, `detail` or `errors` of a
  /// JSON object, else the body's text (at most 300 characters).
  static func errorMessage(in body: Data) -> String? {
    if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
      for key in ["message", "error", "detail", "errors"] {
        if let text = flatten(object[key]), !text.isEmpty { return text }
      }
    }
    let text = String(decoding: body.prefix(300), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
  }

  private static func flatten(_ value: Any?) -> String? {
    switch value {
    case let s as String: return s
    case let a as [Any]: return a.compactMap { flatten($0) }.joined(separator: "; ")
    case let d as [String: Any]:
      return d.keys.sorted().compactMap { k in flatten(d[k]).map { "\(k): \($0)" } }
        .joined(separator: "; ")
    default: return nil
    }
  }
}
