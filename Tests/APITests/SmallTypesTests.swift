import Foundation
import LeadsheetCore
import Testing

@testable import ProntoClient

@Suite struct APIKeyTests {
  @Test func keyIsRedactedEverywhere() throws {
    let key = try #require(APIKey("  sk_live_SECRET123 \n"))
    var dumped = ""
    dump(key, to: &dumped)
    dump([key], to: &dumped)
    let texts = [
      key.description, key.debugDescription, "\(key)", String(describing: key),
      String(reflecting: key), dumped, "\(Mirror(reflecting: key).children.map { "\($0)" })",
    ]
    for text in texts { #expect(!text.contains("SECRET"), "\(text)") }
    #expect(key.secret == "sk_live_SECRET123")
    #expect(key.redact("bad key sk_live_SECRET123!") == "bad key [redacted]!")
    #expect(APIKey("   ") == nil)
    #expect(APIKey("a\nb") == nil)
  }

  @Test func resolvesFromFileThenEnvironment() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID())").path
    try "file_SECRET\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(
      try APIKey.resolve(environment: ["PRONTO_API_KEY": "env"], file: path).secret == "file_SECRET"
    )
    #expect(try APIKey.resolve(environment: ["PRONTO_API_KEY": "env"], file: nil).secret == "env")
    #expect(throws: LeadsheetError.self) { try APIKey.resolve(environment: [:], file: nil) }
    do {
      _ = try APIKey(contentsOfFile: path + ".missing")
    } catch {
      #expect(!"\(error)".contains("SECRET"))
    }
  }
}

@Suite struct ConfigurationTests {
  @Test func tlsRule() throws {
    #expect(
      try ProntoClientConfiguration().enrichURL
        == "https://api.prontohq.com/v2/contacts/single_enrich")
    for ok in ["http://127.0.0.1:8080/v2", "http://localhost/v2/", "http://[::1]:9/v2"] {
      #expect(throws: Never.self) { try ProntoClientConfiguration(baseURL: ok) }
    }
    #expect(throws: LeadsheetError.self) {
      try ProntoClientConfiguration(baseURL: "http://example.com/v2")
    }
    #expect(throws: LeadsheetError.self) { try ProntoClientConfiguration(baseURL: "ftp://x/v2") }
    #expect(throws: LeadsheetError.self) {
      try ProntoClientConfiguration(baseURL: "https://u:p@x/v2")
    }
    #expect(throws: Never.self) {
      try ProntoClientConfiguration(baseURL: "http://example.com/v2", allowInsecure: true)
    }
    #expect(try ProntoClientConfiguration().userAgent == "leadsheet/\(LeadsheetVersion.current)")
    #expect(try ProntoClientConfiguration().requestTimeout == .seconds(90))
  }

  @Test func baseURLResolution() {
    let env = ["LEADSHEET_BASE_URL": "http://127.0.0.1:1/v2"]
    #expect(
      ProntoClientConfiguration.resolveBaseURL(option: "https://o/v2", environment: env)
        == "https://o/v2")
    #expect(
      ProntoClientConfiguration.resolveBaseURL(option: nil, environment: env)
        == "http://127.0.0.1:1/v2")
    #expect(
      ProntoClientConfiguration.resolveBaseURL(option: nil, environment: [:])
        == ProntoClientConfiguration.defaultBaseURL)
  }
}

@Suite struct BackoffTests {
  @Test func fullJitterWithinCeilingAndBounded() {
    let b = Backoff(base: .milliseconds(500), cap: .seconds(30), maxRetries: 6)
    #expect(b.ceiling(forRetry: 0) == .milliseconds(500))
    #expect(b.ceiling(forRetry: 3) == .seconds(4))
    #expect(b.ceiling(forRetry: 10) == .seconds(30))
    #expect(b.delay(forRetry: 2, unitRandom: 0.5) == .seconds(1))
    #expect(b.delay(forRetry: 2, unitRandom: 0) == .zero)
    #expect(b.delay(forRetry: 6, unitRandom: 0.5) == nil)
    var rng = FixedRandom(value: 0)
    for n in 0..<6 {
      let d = b.delay(forRetry: n, using: &rng)!
      #expect(d >= .zero && d <= b.ceiling(forRetry: n))
    }
  }

  struct FixedRandom: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 {
      value &+= 0x9E37_79B9_7F4A_7C15
      return value
    }
  }
}

@Suite struct RetryAfterTests {
  @Test func secondsAndDates() {
    let now = Date(timeIntervalSince1970: 1_445_412_470)  // Wed, 21 Oct 2015 07:27:50 GMT
    #expect(RetryAfter.parse("2") == .seconds(2))
    #expect(RetryAfter.parse(" 120 ") == .seconds(120))
    #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(10))
    #expect(RetryAfter.parse("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == .seconds(10))
    #expect(RetryAfter.parse("Wed Oct 21 07:28:00 2015", now: now) == .seconds(10))
    #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
    #expect(RetryAfter.parse("soon") == nil)
    #expect(RetryAfter.parse("") == nil)
    #expect(RetryAfter.parse("99999999") == RetryAfter.maximum)
  }
}

@Suite struct ClassificationTests {
  func classify(_ status: Int, _ body: String, retryAfter: String? = nil) -> EnrichAttempt {
    EnrichAttempt.classify(status: status, retryAfter: retryAfter, body: Data(body.utf8))
  }

  @Test func everyClass() {
    #expect(classify(200, #"{"status":"success","email":"a@b.c"}"#).label == "found")
    #expect(classify(200, #"{"status":"error","message":"none"}"#).response?.message == "none")
    #expect(classify(200, #"{"status":"weird"}"#).label == "not_found")
    // A result is found whatever its status says: never a paid result taken for not-found.
    #expect(classify(200, #"{"status":"finished","email":"a@b.c"}"#).label == "found")
    #expect(classify(200, #"{"status":"finished","phone":["+33612345678"]}"#).label == "found")
    #expect(classify(200, #"{"status":"error","email":"a@b.c"}"#).label == "found")
    #expect(classify(200, #"{"status":"finished","email":null,"phone":[]}"#).label == "not_found")
    #expect(classify(200, "<html>") == .transient(.unreadableBody(status: 200, excerpt: "<html>")))
    #expect(classify(200, "<html>").label == "transient.bad_body")
    #expect(classify(401, "{}") == .jobStop(.unauthorized(status: 401)))
    #expect(classify(403, "") == .jobStop(.unauthorized(status: 403)))
    let consent = #"""
      {"message": "You can't use the personal email enrichment feature \#
      without consenting with our terms of use"}
      """#
    #expect(classify(422, consent).label == "job_stop.consent_missing")
    #expect(
      classify(422, #"{"message":"firstname is required"}"#)
        == .rowInvalid(status: 422, message: "firstname is required"))
    #expect(classify(400, #"{"error":"bad"}"#) == .rowInvalid(status: 400, message: "bad"))
    #expect(classify(402, "{}").label == "job_stop.credits_exhausted")
    #expect(
      classify(422, #"{"message":"Insufficient credits"}"#).label == "job_stop.credits_exhausted")
    #expect(classify(429, "", retryAfter: "3") == .rateLimited(retryAfter: .seconds(3)))
    #expect(classify(429, "") == .rateLimited(retryAfter: nil))
    #expect(classify(503, "") == .transient(.http(status: 503)))
    #expect(classify(404, "") == .jobStop(.endpointNotFound(status: 404)))
    #expect(EnrichAttempt.transient(.http(status: 502)).label == "transient.http_5xx")
    #expect(JobStopReason.creditsExhausted(status: 402, message: "").isResumable)
    #expect(!JobStopReason.unauthorized(status: 401).isResumable)
    #expect(JobStopReason.consentMissing(message: "").remedy.contains("personal_email"))
  }
}

/// Item 2 and 6 of issue 11: pending answers, unknown 2xx shapes, limits.
@Suite struct AnswerShapeTests {
  func classify(
    _ status: Int, _ body: String, retryAfter: String? = nil,
    redact: @escaping (String) -> String = { $0 }
  ) -> EnrichAttempt {
    EnrichAttempt.classify(
      status: status, retryAfter: retryAfter, body: Data(body.utf8), redact: redact)
  }

  /// A pending answer is never a result and never not-found, whether 200 or 202.
  @Test(arguments: [200, 202])
  func pendingWithAnIdIsSubmitted(status: Int) {
    for state in ["pending", "queued", "processing", "PENDING"] {
      let body = #"{"enrichment_id": "e-1", "first_name": "Ada", "status": "\#(state)"}"#
      #expect(classify(status, body) == .submitted(enrichmentID: "e-1", status: state))
      #expect(!classify(status, body).isRetryable)
      #expect(classify(status, body).response == nil)
    }
    // Pending with no data but `custom` and names echoed: still submitted.
    let echoed = #"{"enrichment_id":"e-2","status":"pending","email":null,"custom":{"a":"1"}}"#
    #expect(classify(status, echoed).label == "submitted")
  }

  @Test func acceptedAnswersWithoutResults() {
    // A 202 with an id and no status: submitted (the id lets a poll fetch it).
    #expect(
      classify(202, #"{"enrichment_id":"e-3"}"#) == .submitted(enrichmentID: "e-3", status: ""))
    // A 202 with neither a pending status nor an id: failed with the body, not retried.
    let accepted = classify(202, #"{"status":"accepted"}"#)
    #expect(
      accepted
        == .unexpectedAnswer(status: 202, excerpt: #"{"status":"accepted"}"#, enrichmentID: nil))
    #expect(!accepted.isRetryable)
    // Pending without an id cannot be fetched: failed, never not-found.
    #expect(classify(200, #"{"status":"pending"}"#).label == "unexpected_answer")
    // A 202 that carries a result is that result.
    #expect(classify(202, #"{"status":"success","email":"a@b.co"}"#).label == "found")
    // A 202 "error" is not a not-found.
    #expect(classify(202, #"{"status":"error"}"#).label == "unexpected_answer")
  }

  @Test func unknownShapesAreNeverASilentNotFound() {
    #expect(
      classify(200, #"{"foo": 1}"#)
        == .unexpectedAnswer(status: 200, excerpt: #"{"foo": 1}"#, enrichmentID: nil))
    // Names and an id but nothing about a result: failed, the id kept.
    #expect(
      classify(200, #"{"enrichment_id":"e-4","first_name":"Ada"}"#)
        == .unexpectedAnswer(
          status: 200, excerpt: #"{"enrichment_id":"e-4","first_name":"Ada"}"#,
          enrichmentID: "e-4"))
    // Not a JSON object: retried a bounded number of times (a proxy's page is not billed).
    #expect(classify(200, "[1, 2]").label == "transient.bad_body")
    #expect(classify(204, "") == .transient(.unreadableBody(status: 204, excerpt: "(empty body)")))
    // The documented not-found stays not-found.
    #expect(classify(200, #"{"status":"error","email":null,"phones":[]}"#).label == "not_found")
    #expect(classify(200, #"{"email_status":"N/A"}"#).label == "not_found")
  }

  /// The excerpt is the first 200 characters, with the key removed even where the
  /// cut would have left part of it.
  @Test func excerptIsShortAndRedacted() {
    let key = "SECRETKEY0123456789"
    let body = "{\"note\": \"" + String(repeating: "x", count: 185) + key + "\"}"
    let redact = { (s: String) in s.replacingOccurrences(of: key, with: "[redacted]") }
    guard case .unexpectedAnswer(_, let excerpt, _) = classify(200, body, redact: redact) else {
      Issue.record("expected an unexpected answer")
      return
    }
    #expect(excerpt.count == 200)
    #expect(!excerpt.contains("SECRET"))
    #expect(excerpt.hasSuffix("[reda"))
    let long = String(repeating: "<p>", count: 300)
    guard case .transient(.unreadableBody(_, let page)) = classify(200, long) else {
      Issue.record("expected an unreadable body")
      return
    }
    #expect(page.count == 200)
  }

  @Test(arguments: [
    "Daily limit of 2,500 credits reached", "You have reached your plan limit",
    "Import limits exceeded for this account", "Limit reached", "DAILY LIMIT",
  ])
  func limitsPauseTheJob(message: String) {
    let attempt = classify(422, #"{"message": "\#(message)"}"#, retryAfter: "3600")
    #expect(
      attempt
        == .jobStop(.limitReached(status: 422, message: message, retryAfter: .seconds(3600))))
    guard case .jobStop(let reason) = attempt else { return }
    #expect(reason.isResumable)
    #expect(reason.label == "limit_reached")
    #expect(reason.sentence.contains(message))
    #expect(reason.remedy.contains("1 h"))
    let day = classify(422, #"{"message": "\#(message)"}"#, retryAfter: "45000")
    guard case .jobStop(let long) = day else { return }
    #expect(long.remedy.contains("12 h 30 min"))
    let noWait = classify(422, #"{"message": "\#(message)"}"#)
    #expect(noWait == .jobStop(.limitReached(status: 422, message: message, retryAfter: nil)))
  }

  @Test func otherRefusalsKeepTheirHandling() {
    #expect(
      classify(422, #"{"message":"Insufficient credits"}"#).label == "job_stop.credits_exhausted")
    #expect(
      classify(422, #"{"message":"You can't use it without consenting"}"#).label
        == "job_stop.consent_missing")
    #expect(
      classify(422, #"{"message":"linkedin_url is over the length limit"}"#)
        == .rowInvalid(status: 422, message: "linkedin_url is over the length limit"))
    #expect(classify(401, #"{"message":"daily limit"}"#) == .jobStop(.unauthorized(status: 401)))
  }
}
