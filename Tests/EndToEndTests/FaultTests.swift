import Foundation
import Testing

/// One line starting `leadsheet: error:` and nothing else on standard error after it.
func expectOneLineError(
  _ stderr: String, containing: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let errors = stderr.split(separator: "\n").filter { $0.hasPrefix("leadsheet: error:") }
  #expect(
    errors.count == 1, "expected one error line: \(stderr.suffix(1500))",
    sourceLocation: sourceLocation)
  #expect(
    errors.first?.contains(containing) ?? false, "error line: \(errors.first ?? "none")",
    sourceLocation: sourceLocation)
}

extension EndToEnd {
  /// The reliability issue's faults while running.
  ///
  /// Hung requests, 429 storms, a full disk, a read-only database folder: each ends with a
  /// complete, correct output.
  @Suite("Faults while running")
  struct Faults {
    /// 5 % of requests hang (no answer until the client leaves): with `--timeout 2`
    /// each is abandoned after 2 s and retried; the run finishes without a failed row.
    @Test("hung requests: --timeout 2 abandons and retries them, the run finishes")
    func hungRequests() async throws {
      let list = LeadList(count: 300, seed: 51)
      let w = try Workdir("hang")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(
        in: w, extra: ["--faults", "hang", "--fault-rate", "0.05", "--seed", "5"])
      let clock = ContinuousClock()
      let start = clock.now
      let r = try await w.run(
        enrichArguments(input, sim, ["--timeout", "2", "--json"]), timeout: .seconds(90))
      let elapsed = clock.now - start
      #expect(r.code == 0, "\(r.stderr)")
      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      #expect(out.statusCounts()["failed"] == nil, "\(out.statusCounts())")
      let stats = try await sim.stats()
      #expect(stats.faults("hang") > 0, "\(stats)")
      // Every hang timed out once, and is counted as possibly billed.
      let run = r.json["run"] as? [String: Any]
      #expect(run?["timed_out_possibly_billed"] as? Int == stats.faults("hang"), "\(run ?? [:])")
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      print("hung requests: \(stats.faults("hang")) hangs survived in \(elapsed)")
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// A storm of 429s, with and without `Retry-After`.
    ///
    /// The API allows 10/s, leadsheet asks for 200/s. Every request is eventually
    /// answered, none fails, none is billed twice, and the accepted rate never exceeds
    /// the limit.
    @Test(
      "429 storm, with and without Retry-After: the run finishes, nothing fails",
      arguments: [true, false])
    func rateLimitStorm(retryAfter: Bool) async throws {
      let list = LeadList(count: 60, seed: retryAfter ? 52 : 53)
      let w = try Workdir("429-\(retryAfter)")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let limit = ["--rate", "10"] + (retryAfter ? [] : ["--no-retry-after"])
      let sim = try await SimulatorProcess(in: w, latency: "20,100", extra: limit)
      let r = try await w.run(
        enrichArguments(input, sim, ["--rate", "200", "--json"]), timeout: .seconds(90))
      #expect(r.code == 0, "\(r.stderr)")
      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      #expect(out.statusCounts()["failed"] == nil, "\(out.statusCounts())")
      let stats = try await sim.stats()
      #expect(stats.int("rate_limited") > 10, "\(stats.raw)")
      #expect(stats.int("peak_rate") <= 10)
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      let requests = Int(try w.sql("SELECT count(*) FROM requests")) ?? -1
      #expect(stats.billed == requests)
      print("429 storm (Retry-After \(retryAfter)): \(stats.int("rate_limited")) × 429 survived")
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// The database's disk fills up mid-run: one error line, exit 73; every outcome
    /// committed before stays; once space is freed, `resume` finishes, and only the
    /// requests in flight at the failure may be billed again.
    @Test(
      "database disk full mid-run: exit 73, one line; space freed, resume finishes",
      .enabled(if: Tmpfs.available, "needs root to mount a small tmpfs"))
    func diskFull() async throws {
      let list = LeadList(count: 1500, seed: 54)
      let w = try Workdir("disk-full")
      let disk = try Tmpfs(size: "8m")
      defer {
        disk.unmount()
        w.remove()
      }
      w.databasePath = disk.path + "/jobs.sqlite"
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, latency: "20,100")
      let p = try w.start(enrichArguments(input, sim, ["--rate", "300"]))
      let job = try await awaitJob(p)
      // Fill the disk once some outcomes are committed.
      for _ in 0..<400 {
        if Int(try w.sql("SELECT count(*) FROM requests WHERE state = 'done'")) ?? 0 >= 100 {
          break
        }
        try await Task.sleep(for: .milliseconds(25))
      }
      let filled = disk.fill()
      let t = await p.wait(timeout: .seconds(60))
      #expect(t == .exit(73), "\(p.stderr.suffix(2000))")
      expectOneLineError(p.stderr, containing: "disk is full")
      let doneAtFailure =
        Int(try w.sql("SELECT count(*) FROM requests WHERE state = 'done'")) ?? -1
      let inFlight = Int(try w.sql("SELECT count(*) FROM requests WHERE state = 'inFlight'")) ?? -1
      #expect(doneAtFailure > 0)

      disk.free()
      let r = try await w.run(resumeArguments(job, sim, ["--rate", "300"]))
      #expect(r.code == 0, "\(r.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let stats = try await sim.stats()
      let answered =
        Int(
          try w.sql("SELECT count(*) FROM requests WHERE status IN ('found','not_found')")) ?? 0
      #expect(stats.distinctContactsBilled == answered)
      #expect(stats.extraBillings <= max(inFlight, 0), "\(stats); in flight \(inFlight)")
      print(
        """
        disk full: filled \(filled) bytes; \(doneAtFailure) outcomes kept, \(inFlight) in \
        flight at the failure; billed again \(stats.extraBillings)
        """)
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// The database's folder is read-only when a paused job is resumed: one error line,
    /// exit 73, nothing sent; writable again, `resume` finishes.
    @Test(
      "read-only database folder: exit 73, one line; writable again, resume finishes",
      .enabled(if: Tmpfs.available, "needs root to mount a small tmpfs"))
    func readOnlyFolder() async throws {
      let list = LeadList(count: 200, seed: 55)
      let w = try Workdir("read-only")
      let disk = try Tmpfs(size: "8m")
      defer {
        disk.unmount()
        w.remove()
      }
      w.databasePath = disk.path + "/jobs.sqlite"
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let first = try await w.run(enrichArguments(input, sim, ["--limit", "40"]))
      #expect(first.code == 75, "\(first.stderr)")
      let job = try #require(jobID(in: first.stderr))
      let doneBefore = try w.sql("SELECT count(*) FROM requests WHERE state = 'done'")

      #expect(disk.setReadOnly(true))
      let refused = try await w.run(resumeArguments(job, sim))
      #expect(refused.code == 73, "\(refused.stderr)")
      expectOneLineError(refused.stderr, containing: "read-only")
      #expect(try await sim.stats().requests == 40)
      #expect(try w.sql("SELECT count(*) FROM requests WHERE state = 'done'") == doneBefore)

      #expect(disk.setReadOnly(false))
      let r = try await w.run(resumeArguments(job, sim))
      #expect(r.code == 0, "\(r.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let stats = try await sim.stats()
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      await sim.stop()
      w.expectNoKeyWritten()
    }
  }
}
