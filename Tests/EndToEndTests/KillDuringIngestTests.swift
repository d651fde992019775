import Foundation
import Testing

extension EndToEnd {
  /// A crash while the list is being stored (`enrich` sends the first requests meanwhile).
  @Suite("Kill during ingest")
  struct KillDuringIngest {
    /// SIGKILL mid-ingest leaves a job that is `ingesting` with whole chunks, never a job
    /// that runs as if complete; `resume` refuses a changed file, and with the same file
    /// stores the rest and finishes: every row once, in order, with a final status.
    @Test("killed while storing: status says so, resume stores the rest and finishes")
    func killWhileStoringThenResume() async throws {
      // Mostly invalid rows (no last name): a long ingest, few requests.
      let list = LeadList(count: 100_000, seed: 3, duplicateShare: 0.05, invalidShare: 0.99)
      let w = try Workdir("kill-ingest")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, latency: "0,5")

      let p = try w.start(enrichArguments(input, sim, ["--rate", "0"]))
      let job = try await awaitJob(p)
      try await Task.sleep(for: .milliseconds(300))
      p.send(SIGKILL)
      #expect(await p.wait() == .signal(SIGKILL))
      let stored = try w.sql("SELECT state || ' ' || row_count FROM jobs WHERE id = '\(job)'")
      let parts = stored.split(separator: " ")
      try #require(parts.first == "ingesting", "the ingest ended before the kill: \(stored)")
      let rows = Int(parts.last ?? "") ?? -1
      #expect(rows >= 0 && rows < list.rows.count && rows % 100 == 0)
      #expect(try w.sql("SELECT count(*) FROM rows WHERE job_id = '\(job)'") == "\(rows)")

      let status = try await w.status(job)
      #expect(status["state"] as? String == "ingesting")
      #expect((status["next"] as? String)?.contains("leadsheet resume \(job)") == true)

      // A changed file is refused, and nothing is sent or stored.
      let original = try String(contentsOfFile: input, encoding: .utf8)
      try (original + "Extra,Row,Acme,acme.example,\n").write(
        toFile: input, atomically: true, encoding: .utf8)
      let refused = try await w.run(resumeArguments(job, sim, ["--rate", "0"]))
      #expect(refused.code != 0)
      #expect(refused.stderr.contains("changed since job \(job)"), "\(refused.stderr)")
      #expect(try w.sql("SELECT state FROM jobs WHERE id = '\(job)'") == "ingesting")
      try original.write(toFile: input, atomically: true, encoding: .utf8)

      let last = try await w.run(
        resumeArguments(job, sim, ["--rate", "0", "--json"]), timeout: .seconds(180))
      #expect(last.code == 0, "resume: \(last.stderr)")
      #expect(last.json["end"] as? String == "done")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      #expect(
        try w.sql("SELECT state || ' ' || row_count FROM jobs WHERE id = '\(job)'")
          == "done \(list.rows.count)")
      #expect(
        try w.sql("SELECT count(*) FROM chunks WHERE job_id = '\(job)' AND state != 'done'") == "0")
    }
  }
}
