import Foundation
import JobStore
import LeadsheetCore
import Logging
import ProntoClient
import Simulator
import Testing

@testable import Report

@Suite struct SimulatorReportTests {
  /// A job whose outcomes come from the real simulator, sent through `ProntoClient`,
  /// checked against the simulator's billing ledger and the answers the test saw.
  @Test func reportOfAJobRunAgainstTheSimulator() async throws {
    let temp = try TempStore()
    let store = temp.store
    let leads = testLeads(count: 200)
    let types: [EnrichmentType] = [.email, .phone]
    let job = try makeJob(store, leads: leads, types: types)
    let sim = try await Simulator.start(SimulatorConfiguration(rate: 0, latency: .none))
    let client = ProntoClient(
      configuration: try ProntoClientConfiguration(baseURL: sim.baseURL, maxConnections: 8),
      apiKey: APIKey(sim.keys[0])!, logger: Logger(label: "report.test"))
    var answers: [String: EnrichResponse] = [:]
    do {
      let run = try store.startRun(job: job)
      var sent = 0
      while true {
        let batch = try store.nextRequests(job: job, limit: 20)
        if batch.isEmpty { break }
        try store.markInFlight(job: job, batch.map(\.id))
        var outcomes: [RequestOutcome] = []
        for pending in batch {
          let timed = await client.enrichTimed(pending.request)
          sent += 1
          let ms =
            Int(timed.latency.components.seconds * 1000)
            + Int(timed.latency.components.attoseconds / 1_000_000_000_000_000)
          let result: RequestOutcome.Result
          if let response = timed.attempt.response {
            answers[pending.request.contactKey] = response
            result = .response(response, json: nil)
          } else {
            result = .failed(errorClass: timed.attempt.label, message: "\(timed.attempt)")
          }
          outcomes.append(
            RequestOutcome(requestID: pending.id, result: result, latencyMilliseconds: ms))
        }
        try store.recordOutcomes(job: job, outcomes)
      }
      try store.addToRun(run, RunCounters(requestsSent: sent))
      try store.endRun(run, reason: "done")
      let stats = await sim.stats()
      let report = try CoverageReport.build(store: store, job: job, by: ["Country"])

      // The simulator's ledger is the truth for what was billed.
      #expect(report.cost.requestsBilled == stats.billed)
      #expect(report.cost.requestsBilled == stats.found + stats.notFound)
      #expect(report.run.requestsSent == stats.requests)

      // Row figures, counted from the answers the test received.
      var found = ["email": 0, "phone": 0]
      var answered = ["email": 0, "phone": 0]
      var emailStatuses: [String: Int] = [:]
      var foundRows = 0
      for lead in leads where lead.invalid == nil {
        let request = lead.request(types: types)
        guard let response = answers[request.contactKey] else { continue }
        if response.isSuccess { foundRows += 1 }
        for type in request.enrichmentType {
          answered[type.rawValue]! += 1
          if type == .email, response.email != nil { found["email"]! += 1 }
          if type == .phone, !(response.phones ?? []).isEmpty { found["phone"]! += 1 }
        }
        emailStatuses[response.emailStatus ?? "(none)", default: 0] += 1
      }
      #expect(report.rowsByStatus.found == foundRows)
      for result in report.results {
        #expect(result.foundRows == found[result.type])
        #expect(result.answeredRows == answered[result.type])
      }
      let email = try #require(report.results.first { $0.type == "email" })
      #expect(
        Dictionary(uniqueKeysWithValues: email.statusBreakdown.map { ($0.name, $0.rows) })
          == emailStatuses)
      #expect(email.foundRows > 0)
    } catch {
      try? await client.shutdown()
      await sim.stop()
      throw error
    }
    try await client.shutdown()
    await sim.stop()
  }
}
