import Foundation
import LeadsheetCore
import Logging
import Simulator
import Testing

@testable import ProntoClient

/// Sends `count` requests with `inFlight` at once, retrying rate-limited and
/// transient attempts; returns the final labels.
func drive(_ client: ProntoClient, count: Int, inFlight: Int) async -> [String: Int] {
  await withTaskGroup(of: String.self) { group in
    var next = 0
    func add() {
      let request = contact(next, [.email])
      next += 1
      group.addTask {
        var retry = 0
        var rng = SystemRandomNumberGenerator()
        while true {
          let attempt = await client.enrich(request)
          switch attempt {
          case .rateLimited(let after):
            try? await Task.sleep(for: after ?? .seconds(1))
          case .transient:
            guard let d = Backoff.standard.delay(forRetry: retry, using: &rng) else {
              return attempt.label
            }
            retry += 1
            try? await Task.sleep(for: d)
          default:
            return attempt.label
          }
        }
      }
    }
    for _ in 0..<min(inFlight, count) { add() }
    var labels: [String: Int] = [:]
    for await label in group {
      labels[label, default: 0] += 1
      if next < count { add() }
    }
    return labels
  }
}

@Suite(.serialized) struct LoadTests {
  @Test func rate50LimiterHoldsUnder200InFlight() async throws {
    var config = SimulatorConfiguration(
      rate: 50, latency: .init(medianMilliseconds: 5, p99Milliseconds: 5))
    config.seed = 1
    let simulator = try await Simulator.start(config)
    let client = ProntoClient(
      configuration: try ProntoClientConfiguration(baseURL: simulator.baseURL, maxConnections: 256),
      apiKey: APIKey(simulator.keys[0])!,
      logger: Logger(label: "load") { _ in SwiftLogNoOpLogHandler() })
    let labels = await drive(client, count: 300, inFlight: 200)
    let stats = await simulator.stats()
    try await client.shutdown()
    await simulator.stop()
    #expect(labels["found", default: 0] + labels["not_found", default: 0] == 300)
    #expect(stats.peakRate <= 50)
    #expect(stats.peakRate >= 40)
    #expect(stats.rateLimited > 0)
    #expect(stats.contactsBilledMoreThanOnce == 0)
    #expect(stats.billed == 300)
  }

  @Test func unlimitedRateCompletesQuickly() async throws {
    let simulator = try await Simulator.start(
      SimulatorConfiguration(rate: 0, latency: .init(medianMilliseconds: 5, p99Milliseconds: 5)))
    let client = ProntoClient(
      configuration: try ProntoClientConfiguration(baseURL: simulator.baseURL, maxConnections: 256),
      apiKey: APIKey(simulator.keys[0])!,
      logger: Logger(label: "load") { _ in SwiftLogNoOpLogHandler() })
    let clock = ContinuousClock()
    let start = clock.now
    let labels = await drive(client, count: 600, inFlight: 200)
    let elapsed = clock.now - start
    let stats = await simulator.stats()
    try await client.shutdown()
    await simulator.stop()
    #expect(labels["found", default: 0] + labels["not_found", default: 0] == 600)
    #expect(stats.peakConcurrency > 8, "the pool must not cap at 8 connections")
    #expect(stats.rateLimited == 0)
    #expect(elapsed < .seconds(30))
  }
}
