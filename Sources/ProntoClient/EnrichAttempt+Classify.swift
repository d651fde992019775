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
    case 200:
      guard let response = try? JSONDecoder().decode(EnrichResponse.self, from: body) else {
        return .transient(.badBody)
      }
      // `success`, or any status with an email, a personal email or a phone, is found.
      return response.isFound ? .found(response) : .notFound(response)
    case 429:
      return .rateLimited(retryAfter: retryAfter.flatMap { RetryAfter.parse($0, now: now) })
    case 408:
      return .transient(.timeout)
    case 500..<600:
      return .transient(.http(status: status))
    case 400..<500:
      let message = redact(errorMessage(in: body) ?? "HTTP \(status)")
      if isConsentMessage(message) { return .jobStop(.consentMissing(message: message)) }
      if status == 402 || isCreditsMessage(message) {
        return .jobStop(.creditsExhausted(status: status, message: message))
      }
      switch status {
      case 401, 403: return .jobStop(.unauthorized(status: status))
      case 404, 405: return .jobStop(.endpointNotFound(status: status))
      default: return .rowInvalid(status: status, message: message)
      }
    default:
      // 1xx that ended the exchange, 2xx other than 200, 3xx (redirects are not followed).
      return .transient(.http(status: status))
    }
  }

  /// Whether an error message is the personal-email consent refusal.
  static func isConsentMessage(_ message: String) -> Bool {
    message.lowercased().contains("consent")
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
