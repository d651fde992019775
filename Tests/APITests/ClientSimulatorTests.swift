import Foundation
import LeadsheetCore
import Logging
import Simulator
import Testing

@testable import ProntoClient

/// A log handler that keeps every line (message and metadata) at trace level.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(
    level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
    file: String, function: String, line: UInt
  ) {
    let all = self.metadata.merging(metadata ?? [:]) { $1 }
    lock.withLock { lines.append("\(level) \(message) \(all)") }
  }

  var text: String { lock.withLock { lines.joined(separator: "\n") } }
  var count: Int { lock.withLock { lines.count } }
}

/// Runs `body` with a simulator on 127.0.0.1:0 and a client pointed at it.
func withPair<T>(
  _ sim: SimulatorConfiguration, requestTimeout: Duration = .seconds(10),
  handler: CapturingLogHandler? = nil,
  _ body: (Simulator, ProntoClient) async throws -> T
) async throws -> T {
  let simulator = try await Simulator.start(sim)
  let logger = Logger(label: "test.client") { _ in handler ?? CapturingLogHandler() }
  let client = ProntoClient(
    configuration: try ProntoClientConfiguration(
      baseURL: simulator.baseURL, requestTimeout: requestTimeout, maxConnections: 64),
    apiKey: APIKey(simulator.keys[0])!, logger: logger)
  do {
    let result = try await body(simulator, client)
    try await client.shutdown()
    await simulator.stop()
    return result
  } catch {
    try? await client.shutdown()
    await simulator.stop()
    throw error
  }
}

let fast = SimulatorConfiguration(rate: 0, latency: .none)

func contact(_ i: Int, _ types: [EnrichmentType] = [.email]) -> EnrichRequest {
  EnrichRequest(
    firstname: "Ada\(i)", lastname: "Lovelace", companyName: "Analytical", domain: "engine.io",
    linkedinURL: "https://www.linkedin.com/in/ada-\(i)/", enrichmentType: types,
    custom: ["row": "\(i)"])
}

@Suite struct ClientSimulatorTests {
  @Test func foundAndNotFoundWithCustomEchoed() async throws {
    try await withPair(fast) { sim, client in
      var found = 0
      var notFound = 0
      for i in 0..<60 {
        let timed = await client.enrichTimed(contact(i, [.email, .phone]))
        #expect(timed.httpStatus == 200)
        switch timed.attempt {
        case .found(let r):
          found += 1
          #expect(r.custom == ["row": "\(i)"])
          #expect(r.phones?.allSatisfy { $0.number.hasPrefix("+") } ?? true)
        case .notFound(let r):
          notFound += 1
          #expect(r.message == "No email or phone found for this profile")
          #expect(r.phones == [])
        default: Issue.record("unexpected \(timed.attempt)")
        }
      }
      #expect(found > 30 && notFound > 3)
      // Deterministic: the same contact gets the same answer.
      #expect(await client.enrich(contact(7)) == client.enrich(contact(7)))
      let stats = await sim.stats()
      #expect(stats.billed == 62)
      #expect(stats.contactsBilledMoreThanOnce == 1)
    }
  }

  @Test func invalidRowsAreRowInvalid() async throws {
    try await withPair(fast) { _, client in
      var noLinkedIn = contact(1, [.phone])
      noLinkedIn.linkedinURL = nil
      guard case .rowInvalid(422, let message) = await client.enrich(noLinkedIn) else {
        Issue.record("expected rowInvalid")
        return
      }
      #expect(message.contains("linkedin_url"))
      let noName = EnrichRequest(lastname: "X", enrichmentType: [.email])
      #expect(await client.enrich(noName).label == "row_invalid")
      let four = EnrichRequest(
        firstname: "A", lastname: "B", linkedinURL: "https://linkedin.com/in/a",
        enrichmentType: [.email, .phone, .personalEmail, .email])
      #expect(await client.enrich(four).label == "row_invalid")
    }
  }

  @Test func wrongOrRevokedKeyStopsTheJob() async throws {
    try await withPair(fast) { sim, client in
      #expect(await client.enrich(contact(1)).label == "found")
      try await sim.control(SimulatorControl(revokeKeys: [sim.keys[0]]))
      let attempt = await client.enrich(contact(2))
      #expect(attempt == .jobStop(.unauthorized(status: 401)))
    }
  }

  @Test func consentMissingStopsTheJob() async throws {
    var config = fast
    config.keys = ["k-no-consent"]
    config.noConsentKeys = ["k-no-consent"]
    try await withPair(config) { _, client in
      #expect(await client.enrich(contact(1, [.email])).label == "found")
      guard case .jobStop(let reason) = await client.enrich(contact(1, [.personalEmail])) else {
        Issue.record("expected jobStop")
        return
      }
      #expect(reason.label == "consent_missing")
      #expect(reason.remedy.contains("personal_email"))
    }
  }

  @Test(arguments: [422, 402]) func creditsExhaustedPausesTheJob(status: Int) async throws {
    var config = fast
    config.credits = 3
    config.creditsExhaustedStatus = status
    try await withPair(config) { sim, client in
      for i in 0..<3 { #expect(await client.enrich(contact(i)).response != nil) }
      guard case .jobStop(let reason) = await client.enrich(contact(9)) else {
        Issue.record("expected jobStop")
        return
      }
      #expect(reason == .creditsExhausted(status: status, message: reason.creditsMessage))
      #expect(reason.isResumable)
      #expect(await sim.stats().billed == 3)
      try await sim.control(SimulatorControl(credits: 5))
      #expect(await client.enrich(contact(9)).response != nil)
    }
  }

  /// Six requests at once against 2 per second: some are refused with a `Retry-After`
  /// of 1–2 s (sent together, so a slow machine cannot spread them over two windows),
  /// and a refused one passes after waiting that long.
  @Test func rateLimitedCarriesRetryAfter() async throws {
    var config = fast
    config.rate = 2
    try await withPair(config) { sim, client in
      let attempts = await withTaskGroup(of: EnrichAttempt.self) { group in
        for i in 1...6 { group.addTask { await client.enrich(contact(i)) } }
        return await group.reduce(into: []) { $0.append($1) }
      }
      var refused: [Duration] = []
      for attempt in attempts {
        if case .rateLimited(let after?) = attempt { refused.append(after) }
      }
      #expect(attempts.filter { $0.response != nil }.count == 6 - refused.count)
      #expect(!refused.isEmpty, "\(attempts)")
      let after = try #require(refused.max())
      #expect(after >= .seconds(1) && after <= .seconds(2))
      try await Task.sleep(for: after)
      #expect(await client.enrich(contact(7)).response != nil)
      #expect(await sim.stats().rateLimited == refused.count)
    }
  }

  @Test(arguments: [
    (SimulatedFault.http500, "transient.http_5xx"), (.http502, "transient.http_5xx"),
    (.http503, "transient.http_5xx"), (.reset, "transient.connection_reset"),
    (.garbage, "transient.bad_body"), (.resetAfterBilling, "transient.connection_reset"),
  ])
  func faultsAreTransient(fault: SimulatedFault, label: String) async throws {
    var config = fast
    config.faultRate = 1
    config.faults = [fault]
    try await withPair(config) { sim, client in
      #expect(await client.enrich(contact(1)).label == label)
      #expect(await client.enrich(contact(1)).label == label)
      let stats = await sim.stats()
      #expect(stats.faults[fault.rawValue] == 2)
      // Only a reset after billing is paid for, and then twice: the ledger shows it.
      #expect(stats.billed == (fault == .resetAfterBilling ? 2 : 0))
      #expect(stats.contactsBilledMoreThanOnce == (fault == .resetAfterBilling ? 1 : 0))
      try await sim.control(SimulatorControl(faultRate: 0))
      #expect(await client.enrich(contact(1)).response != nil)
    }
  }

  @Test func hangIsATimeout() async throws {
    var config = fast
    config.faultRate = 1
    config.faults = [.hang]
    try await withPair(config, requestTimeout: .milliseconds(700)) { _, client in
      let timed = await client.enrichTimed(contact(1))
      #expect(timed.attempt == .transient(.timeout))
      #expect(timed.latency >= .milliseconds(600) && timed.latency < .seconds(5))
    }
  }

  @Test func slowAnswerBeyondDeadlineIsATimeout() async throws {
    var config = fast
    config.latency = LatencyDistribution(medianMilliseconds: 1500, p99Milliseconds: 1500)
    try await withPair(config, requestTimeout: .milliseconds(400)) { _, client in
      #expect(await client.enrich(contact(1)) == .transient(.timeout))
    }
  }

  @Test func nothingListeningIsConnectFailed() async throws {
    // Bind a port, then free it: nothing listens there any more.
    let sim = try await Simulator.start(fast)
    let base = sim.baseURL
    await sim.stop()
    let client = ProntoClient(
      configuration: try ProntoClientConfiguration(
        baseURL: base, connectTimeout: .milliseconds(300), requestTimeout: .seconds(1)),
      apiKey: APIKey("k")!, logger: Logger(label: "t") { _ in CapturingLogHandler() })
    #expect(await client.enrich(contact(1)) == .transient(.connectFailed))
    try await client.shutdown()
  }

  @Test func wrongPathStopsTheJob() async throws {
    let sim = try await Simulator.start(fast)
    let client = ProntoClient(
      configuration: try ProntoClientConfiguration(baseURL: sim.address + "/v9"),
      apiKey: APIKey(sim.keys[0])!, logger: Logger(label: "t") { _ in CapturingLogHandler() })
    #expect(await client.enrich(contact(1)).label == "job_stop.endpoint_not_found")
    try await client.shutdown()
    await sim.stop()
  }

  @Test func apiKeyNeverAppearsInLogsOrOutcomes() async throws {
    let secret = "sk_live_TOPSECRET_0123456789"
    let handler = CapturingLogHandler()
    var config = fast
    config.keys = [secret]
    config.faultRate = 0.5
    config.faults = [.http500, .reset, .garbage]
    let texts = try await withPair(config, handler: handler) { sim, client in
      var texts: [String] = []
      for i in 0..<30 {
        let timed = await client.enrichTimed(contact(i))
        texts.append("\(timed) \(timed.attempt.label)")
        var dumped = ""
        dump(timed, to: &dumped)
        texts.append(dumped)
      }
      try await sim.control(SimulatorControl(revokeKeys: [secret]))
      let stop = await client.enrich(contact(1))
      if case .jobStop(let r) = stop { texts.append(r.sentence + r.remedy) }
      texts.append("\(client.configuration) \(String(reflecting: client))")
      return texts
    }
    #expect(handler.count > 30)
    #expect(!handler.text.contains(secret))
    #expect(!handler.text.contains("TOPSECRET"))
    for text in texts { #expect(!text.contains("TOPSECRET")) }
  }
}

extension JobStopReason {
  /// The message of a credits stop (for comparisons).
  var creditsMessage: String {
    if case .creditsExhausted(_, let m) = self { return m }
    return ""
  }
}
