import Foundation
import Testing

/// The end-to-end proofs of the "Resumable enrichment jobs" issue: every test runs the
/// real `leadsheet` binary against `leadsheet simulate` in its own process.
///
/// Serialized: the proofs time kills and outages, so they do not share the two cores.
@Suite("End to end", .serialized)
enum EndToEnd {}

/// The simulator flags of the kill test: 2 % faults of every kind but `hang`.
private let faultyFlags = [
  "--seed", "42", "--fault-rate", "0.02",
  "--faults", "500,502,503,reset,garbage,reset-after-billing",
]

extension EndToEnd {
  /// Proof 1: SIGKILL at five random moments, `resume` each time, then finish.
  @Suite("Kill and resume")
  struct KillAndResume {
    /// Every row ends with one final outcome, the output equals an uninterrupted
    /// run's against a fresh simulator with the same seed, and no contact is billed
    /// twice beyond the requests that were in flight at a kill (plus the simulator's
    /// own `reset-after-billing` faults, which bill an attempt the client must retry).
    @Test("killed 5 times, resumed: same output as an uninterrupted run, no extra billing")
    func killFiveTimesAndResume() async throws {
      let list = LeadList(count: 1500, seed: 7)
      let w = try Workdir("kill")
      let ref = try Workdir("kill-reference")
      defer {
        w.remove()
        ref.remove()
      }
      let input = try w.write("leads.csv", list.csv)
      let refInput = try ref.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, extra: faultyFlags)
      let refSim = try await SimulatorProcess(in: ref, extra: faultyFlags)

      // The uninterrupted run, alongside.
      async let reference = ref.run(
        enrichArguments(refInput, refSim, ["--rate", "150"]), timeout: .seconds(60))

      // Five kills at random moments: the first after the job is stored.
      var inFlightAtKills: [Int] = []
      var job = ""
      for k in 0..<5 {
        let p: ChildProcess
        if k == 0 {
          p = try w.start(enrichArguments(input, sim, ["--rate", "150"]))
          job = try await awaitJob(p)
        } else {
          p = try w.start(resumeArguments(job, sim, ["--rate", "150"]))
        }
        try await Task.sleep(for: randomDelay(0.4...1.4))
        #expect(p.termination == nil, "run \(k) ended before its kill: \(p.stderr)")
        p.send(SIGKILL)
        #expect(await p.wait() == .signal(SIGKILL))
        let n =
          Int(
            try w.sql(
              "SELECT count(*) FROM requests WHERE job_id = '\(job)' AND state = 'inFlight'")) ?? -1
        inFlightAtKills.append(n)
      }
      let last = try await w.run(resumeArguments(job, sim, ["--rate", "150", "--json"]))
      #expect(last.code == 0, "final resume: \(last.stderr)")
      #expect(last.json["end"] as? String == "done")

      let refRun = try await reference
      #expect(refRun.code == 0, "reference run: \(refRun.stderr)")

      // Every row once, in order, final.
      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let refOut = try expectComplete(output: ref.path("leads.enriched.csv"), input: list)

      // Same outcomes as the uninterrupted run: they depend only on the contact and the seed.
      let compared = [
        "email", "email_status", "phones", "phone_status", "status", "enrichment_id",
      ]
      for name in compared {
        let a = out.column(name)
        let b = refOut.column(name)
        let differing = zip(a, b).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(
          a.count == b.count && differing.isEmpty,
          "column \(name) differs on \(differing.count) rows, first \(differing.prefix(3))")
      }
      // Messages are equal too, except those of rows that failed on transient faults.
      let messagesDiffer = zip(
        zip(out.column("message"), refOut.column("message")), out.column("status")
      ).filter { $0.0.0 != $0.0.1 && $0.1 != "failed" }
      #expect(messagesDiffer.isEmpty, "messages differ: \(messagesDiffer.prefix(3))")
      let counts = out.statusCounts()
      #expect(counts["invalid"] == list.invalidRows)
      #expect((counts["found"] ?? 0) > 0 && (counts["not_found"] ?? 0) > 0)

      // Billing: nothing paid twice beyond what was in flight at the kills.
      let resent = Int(try w.sql("SELECT resent_after_crash FROM jobs WHERE id = '\(job)'")) ?? -1
      let stats = try await sim.stats()
      let refStats = try await refSim.stats()
      let afterBilling = stats.faults("reset-after-billing")
      #expect(resent >= 0 && resent <= inFlightAtKills.reduce(0, +))
      #expect(
        stats.extraBillings <= resent + afterBilling,
        "\(stats); resent after crash \(resent), in flight at kills \(inFlightAtKills)")
      #expect(refStats.extraBillings <= refStats.faults("reset-after-billing"), "\(refStats)")
      let answered =
        Int(
          try w.sql(
            """
            SELECT count(*) FROM requests WHERE job_id = '\(job)'
            AND status IN ('found', 'not_found')
            """)) ?? 0
      #expect(stats.distinctContactsBilled == answered)
      print(
        """
        kill-and-resume: in flight at kills \(inFlightAtKills), resent after crash \(resent); \
        simulator \(stats); reference \(refStats); rows \(counts)
        """)

      await sim.stop()
      await refSim.stop()
      w.expectNoKeyWritten()
      ref.expectNoKeyWritten()
    }
  }
}
