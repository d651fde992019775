import Foundation
import Testing

extension EndToEnd {
  /// Proof 3: what `resume` refuses — a changed input, a job another process runs.
  @Suite("Refusals")
  struct Refusals {
    /// The input's bytes changed since the job was made: `resume` refuses, naming the
    /// file and saying that `export` still works; `export` then writes the list.
    @Test("input changed between runs: resume refused, export still works")
    func inputChanged() async throws {
      let list = LeadList(count: 200, seed: 21)
      let w = try Workdir("changed")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let first = try await w.run(enrichArguments(input, sim, ["--limit", "30"]))
      #expect(first.code == 75, "\(first.stderr)")
      let job = try #require(jobID(in: first.stderr))

      try w.write("leads.csv", list.csv + "Zoé,Added,Late Corp,late.example,\n")
      let r = try await w.run(resumeArguments(job, sim))
      #expect(r.code != 0)
      #expect(r.stderr.contains(input), "\(r.stderr)")
      #expect(r.stderr.contains("changed since job \(job)"))
      #expect(r.stderr.contains("leadsheet export \(job)"))
      #expect(try await sim.stats().billed == 30)

      let e = try await w.run(["export", job])
      #expect(e.code == 0, "\(e.stderr)")
      let out = try EnrichedList(path: w.path("leads.enriched.csv"))
      #expect(out.rows.count == list.rows.count)
      #expect(out.statusCounts()["pending"] ?? 0 > 0)
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// A job being run is locked: a second `resume` fails naming the first one's pid.
    @Test("a locked job: a second process is refused, naming the holder's pid")
    func locked() async throws {
      let list = LeadList(count: 100, seed: 22)
      let w = try Workdir("locked")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, latency: "1500,2500")
      let slow = try w.start(enrichArguments(input, sim, ["--rate", "5", "--max-in-flight", "2"]))
      let job = try await awaitJob(slow)
      var holder = ""
      for _ in 0..<200 where holder.isEmpty {
        holder = try w.sql("SELECT pid FROM locks WHERE job_id = '\(job)'")
        if holder.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
      }
      #expect(holder == "\(slow.pid)")

      let second = try await w.run(resumeArguments(job, sim))
      #expect(second.code != 0)
      #expect(second.stderr.contains("being run by pid \(slow.pid)"), "\(second.stderr)")
      #expect(slow.termination == nil, "the first run must go on")

      slow.send(SIGINT)
      #expect(await slow.wait(timeout: .seconds(30)) == .exit(130))
      #expect(try w.sql("SELECT count(*) FROM locks") == "0")
      await sim.stop()
      w.expectNoKeyWritten()
    }
  }

  /// Proof 4: `resume --no-resend-in-flight` after a SIGKILL.
  @Suite("No resend in flight")
  struct NoResend {
    /// The requests in flight at the kill become failed "interrupted: may have been
    /// billed", are never sent again, and nothing is billed twice.
    @Test("after SIGKILL, --no-resend-in-flight marks in-flight requests failed")
    func noResendInFlight() async throws {
      let list = LeadList(count: 400, seed: 31)
      let w = try Workdir("no-resend")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, latency: "400,800")
      let p = try w.start(enrichArguments(input, sim, ["--rate", "100"]))
      let job = try await awaitJob(p)
      try await sim.waitUntil { $0.billed >= 30 }
      p.send(SIGKILL)
      #expect(await p.wait() == .signal(SIGKILL))
      let inFlight = Int(try w.sql("SELECT count(*) FROM requests WHERE state = 'inFlight'")) ?? 0
      #expect(inFlight > 0)

      let r = try await w.run(resumeArguments(job, sim, ["--no-resend-in-flight", "--json"]))
      #expect(r.code == 0, "\(r.stderr)")
      let interrupted = try w.sql(
        """
        SELECT count(*) FROM requests WHERE status = 'failed' AND error_class = 'interrupted'
        AND message = 'interrupted: may have been billed'
        """)
      #expect(interrupted == "\(inFlight)")
      #expect(try w.sql("SELECT resent_after_crash FROM jobs") == "0")
      let run = r.json["run"] as? [String: Any] ?? [:]
      #expect(run["resent_after_crash"] as? Int == 0)
      #expect(run["failed_after_crash"] as? Int == inFlight)
      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let failedRows = zip(out.column("status"), out.column("message")).filter {
        $0.0 == "failed" && $0.1 == "interrupted: may have been billed"
      }
      #expect(failedRows.count >= inFlight)
      let stats = try await sim.stats()
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      print("no-resend: \(inFlight) in flight at the kill, marked failed; simulator \(stats)")
      await sim.stop()
      w.expectNoKeyWritten()
    }
  }

  /// Proof 5: `--only-missing`, `--limit`, and `enrich` run twice.
  @Suite("Partial runs")
  struct PartialRuns {
    /// Rows whose column already holds a value are `skipped`, keep it, and cost nothing.
    @Test("--only-missing Email: those rows skipped, value kept, not sent")
    func onlyMissing() async throws {
      var list = LeadList(count: 300, seed: 41)
      list.addColumn("Email") { $0 % 3 == 0 ? "known\($0)@known.example" : "" }
      let w = try Workdir("only-missing")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let r = try await w.run(enrichArguments(input, sim, ["--only-missing", "Email"]))
      #expect(r.code == 0, "\(r.stderr)")
      // `Email` clashes with the appended `email`: every appended column gets `pronto_`.
      let out = try expectComplete(
        output: w.path("leads.enriched.csv"), input: list, statusColumn: "pronto_status")
      let statuses = out.column("pronto_status")
      let emails = out.column("Email")
      for (i, s) in statuses.enumerated() {
        #expect((s == "skipped") == !emails[i].isEmpty, "row \(i): \(s) with Email '\(emails[i])'")
      }
      #expect(statuses.filter { $0 == "skipped" }.count == 100)
      let requests = Int(try w.sql("SELECT count(*) FROM requests")) ?? 0
      let stats = try await sim.stats()
      #expect(stats.billed == requests)
      #expect(stats.contactsBilledMoreThanOnce == 0)
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// `--limit 40` sends exactly 40 requests and pauses; `resume` sends the rest.
    @Test("--limit 40 sends 40, resume sends the rest")
    func limit() async throws {
      let list = LeadList(count: 300, seed: 42)
      let w = try Workdir("limit")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let first = try await w.run(enrichArguments(input, sim, ["--limit", "40", "--json"]))
      #expect(first.code == 75, "\(first.stderr)")
      #expect(first.json["end"] as? String == "limit_reached")
      let job = try #require(first.json["job"] as? String)
      #expect(try await sim.stats().requests == 40)
      #expect(try await sim.stats().billed == 40)

      let r = try await w.run(resumeArguments(job, sim))
      #expect(r.code == 0, "\(r.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let requests = Int(try w.sql("SELECT count(*) FROM requests")) ?? 0
      let stats = try await sim.stats()
      #expect(stats.billed == requests)
      #expect(stats.contactsBilledMoreThanOnce == 0)
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// `enrich` on the same file and options resumes the unfinished job; `--new` makes one.
    @Test("enrich twice resumes the unfinished job; --new creates another")
    func enrichTwice() async throws {
      let list = LeadList(count: 200, seed: 43)
      let w = try Workdir("twice")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let first = try await w.run(enrichArguments(input, sim, ["--limit", "20"]))
      #expect(first.code == 75, "\(first.stderr)")
      let job = try #require(jobID(in: first.stderr))

      let second = try await w.run(enrichArguments(input, sim))
      #expect(second.code == 0, "\(second.stderr)")
      #expect(second.stderr.contains("resuming job \(job)"), "\(second.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let requests = Int(try w.sql("SELECT count(*) FROM requests")) ?? 0
      var stats = try await sim.stats()
      #expect(stats.billed == requests)
      #expect(stats.contactsBilledMoreThanOnce == 0)

      let third = try await w.run(
        enrichArguments(input, sim, ["--new", "--refresh", "--limit", "5"]))
      #expect(third.code == 75, "\(third.stderr)")
      let other = try #require(jobID(in: third.stderr))
      #expect(other != job)
      #expect(try w.sql("SELECT count(*) FROM jobs") == "2")
      stats = try await sim.stats()
      #expect(stats.billed == requests + 5)
      await sim.stop()
      w.expectNoKeyWritten()
    }
  }
}
