import Foundation
import Testing

extension EndToEnd {
  /// A server that works on 5 requests at once and queues the rest (Pronto's Concurrency
  /// page): the in-flight window follows the latency, so no request waits in the
  /// server's queue until its timeout and none is bought twice.
  @Suite("Concurrency-limited server")
  struct ConcurrencyLimit {
    /// `--max-concurrent 5`, 1 s per request, `--timeout 15`: a fixed window of 200
    /// would queue each request 40 s at the server and time it out (then send it again,
    /// billed twice). With the latency window, no request times out, no contact is
    /// billed twice, and the run keeps the server busy: at least 90 % of its 5/s,
    /// measured on the run's own figures (first request to last answer).
    @Test("--max-concurrent 5, 1 s, --timeout 15: no timeout, nothing billed twice, ≥ 90 % of 5/s")
    func concurrencyLimitedServer() async throws {
      let list = LeadList(count: 500, seed: 61)
      let w = try Workdir("max-concurrent")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let ledger = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(
        in: w, latency: "1000,1000", extra: ["--max-concurrent", "5", "--ledger", ledger])
      let r = try await w.run(
        enrichArguments(input, sim, ["--rate", "50", "--timeout", "15", "--json"]),
        timeout: .seconds(400))
      #expect(r.code == 0, "\(r.stderr.suffix(2000))")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let run = try #require(r.json["run"] as? [String: Any], "\(r.stdout)")
      let sent = try #require(run["requests_sent"] as? Int)
      let seconds = try #require(run["seconds"] as? Double)
      #expect(run["timed_out_possibly_billed"] as? Int == 0, "\(run)")
      #expect(run["retries"] as? Int == 0, "\(run)")
      let requests = Int(try w.sql("SELECT count(*) FROM requests")) ?? -1
      #expect(sent == requests, "each request sent once")
      let stats = try await sim.stats()
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      let twice = billedPerContact(ledgers: [ledger]).filter { $0.value > 1 }
      #expect(twice.isEmpty, "billed twice: \(twice.keys.sorted().prefix(5))")
      #expect(stats.billed == requests, "\(stats)")
      // The server allows 5 per second; the first answer takes 1 s whatever the window.
      let allowed = Double(requests) / 5 + 1
      #expect(
        seconds <= allowed / 0.9,
        "\(requests) requests in \(seconds) s: \(Double(requests) / seconds)/s of 5/s")
      print(
        "max-concurrent 5: \(requests) requests in \(String(format: "%.1f", seconds)) s"
          + " (\(String(format: "%.0f", allowed / seconds * 100)) % of the server's limit),"
          + " peak queued \(stats.int("peak_queued")), peak working \(stats.int("peak_working"))"
      )
      await sim.stop()
    }
  }
}
