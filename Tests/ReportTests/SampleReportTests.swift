import Foundation
import JobStore
import LeadsheetCore
import Logging
import ProntoClient
import Simulator
import Testing

@testable import Report

/// Writes the sample report of `docs/report.md` when `REPORT_SAMPLE_DIR` is set
/// (`scripts/check-report-html.sh` does), from a 2,000-row job run against the simulator.
@Suite struct SampleReportTests {
  static let folder = ProcessInfo.processInfo.environment["REPORT_SAMPLE_DIR"]

  @Test(.enabled(if: folder != nil, "set REPORT_SAMPLE_DIR to write the sample report"))
  func writeSampleReport() async throws {
    let temp = try TempStore()
    let store = temp.store
    let firsts = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis"]
    let lasts = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov"]
    let countries = ["FR", "US", "DE", "GB", "ES", "IT", "NL", "BE", "CH", "SE", "PL", "PT"]
    let sources = ["Webinar March", "Trade show", "Inbound", "Purchased list", "Partner"]
    var generator = SplitMix(seed: 7)
    var leads: [Lead] = []
    for i in 0..<2_000 {
      if i % 37 == 5, let previous = leads.last {
        leads.append(previous)
        continue
      }
      let source = sources[Int(generator.next() % UInt64(sources.count))]
      let good = source != "Purchased list"
      let roll = { (p: Int) in Int(generator.next() % 100) < p }
      leads.append(
        Lead(
          first: "\(firsts[i % firsts.count])\(i)", last: lasts[(i / 3) % lasts.count],
          company: roll(good ? 92 : 60) ? "Company \(i % 150)" : nil,
          domain: roll(good ? 85 : 45) ? "company\(i % 150).com" : nil,
          linkedin: roll(good ? 75 : 35) ? "https://www.linkedin.com/in/person-\(i)/" : nil,
          country: countries[
            Int(Double(countries.count) * pow(Double(generator.next() % 1000) / 1000, 2))],
          invalid: roll(3) ? (roll(50) ? "missing_name" : "missing_last_name") : nil))
      leads[leads.count - 1].source = source
    }
    let job = try makeJob(
      store, leads: leads, types: [.email, .phone], inputPath: "q3-leads.csv")
    let sim = try await Simulator.start(SimulatorConfiguration(rate: 0, latency: .none))
    let client = ProntoClient(
      configuration: try ProntoClientConfiguration(baseURL: sim.baseURL, maxConnections: 8),
      apiKey: APIKey(sim.keys[0])!, logger: Logger(label: "report.sample"))
    let run = try store.startRun(job: job)
    var sent = 0
    while true {
      let batch = try store.nextRequests(job: job, limit: 50)
      if batch.isEmpty { break }
      try store.markInFlight(job: job, batch.map(\.id))
      var outcomes: [RequestOutcome] = []
      for pending in batch {
        let attempt = await client.enrich(pending.request)
        sent += 1
        let latency = 300 + Int(generator.next() % 900) + (sent % 50 == 0 ? 2_500 : 0)
        let result: RequestOutcome.Result =
          sent % 97 == 0
          ? .failed(errorClass: "timeout", message: "no answer after 3 attempts")
          : attempt.response.map { .response($0, json: nil) }
            ?? .failed(errorClass: attempt.label, message: "\(attempt)")
        outcomes.append(
          RequestOutcome(requestID: pending.id, result: result, latencyMilliseconds: latency))
      }
      try store.recordOutcomes(job: job, outcomes)
    }
    try await client.shutdown()
    await sim.stop()
    try store.addToRun(run, RunCounters(requestsSent: sent + 31, retries: 31, rateLimited: 12))
    try store.recordPause(run: run, reason: "rate limited (429)", seconds: 4)
    try store.recordPause(run: run, reason: "rate limited (429)", seconds: 2)
    try store.recordPause(run: run, reason: "network unreachable", seconds: 11)
    temp.clock.advance(44)
    try store.endRun(run, reason: "done")
    try store.setState(job: job, to: .done)

    let report = try CoverageReport.build(store: store, job: job, by: ["Country", "Source"])
    let folder = URL(fileURLWithPath: Self.folder!)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for format in ReportOutputFormat.allCases {
      let name = "report-sample.\(format == .text ? "txt" : format.rawValue)"
      try Data(format.renderer.render(report).utf8).write(
        to: folder.appendingPathComponent(name))
    }
  }
}

/// A tiny deterministic generator for the sample's data.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
