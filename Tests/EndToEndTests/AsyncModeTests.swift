import Foundation
import Testing

/// The simulator flags of the async proofs: 2 % faults, including `reset-after-billing`
/// (the submission is billed and its answer lost: the one case a (contact, type) may be
/// submitted twice).
private let asyncFaults = [
  "--seed", "42", "--fault-rate", "0.02",
  "--faults", "500,502,503,reset,garbage,reset-after-billing",
]

/// `enrich`/`resume` arguments against the simulator's asynchronous base URL.
private func asyncBase(_ sim: SimulatorProcess) -> String { sim.address + "/api/v2" }

/// The columns that must not depend on the API mode nor on interruptions.
private let resultColumns = ["email", "phones", "status"]

extension EndToEnd {
  /// Proofs of the async API mode (issue 11): results equal the sync call's, no
  /// (contact, type) bought twice, kills resumed by polling the stored ids.
  @Suite("Async mode")
  struct AsyncMode {
    /// A 1,000-row list asking for email and phone, against a simulator with 1 s/5 s
    /// latency and 2 % faults: the same emails and phones as a sync run of the same
    /// contacts; no (contact, type) billed twice but those a `reset-after-billing`
    /// fault lost the answer of.
    @Test("1,000 rows, email and phone, 1 s/5 s latency, 2 % faults: same results as sync")
    func sameResultsAsSync() async throws {
      let list = LeadList(count: 1000, seed: 11)
      let w = try Workdir("async")
      let ref = try Workdir("async-sync-reference")
      defer {
        w.remove()
        ref.remove()
      }
      let input = try w.write("leads.csv", list.csv)
      let refInput = try ref.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, latency: "1000,5000", extra: asyncFaults)
      // Outcomes depend only on the contact and the seed: the same seed, no faults.
      let refSim = try await SimulatorProcess(in: ref, extra: ["--seed", "42"])
      async let reference = ref.run(
        enrichArguments(refInput, refSim, ["--types", "email,phone", "--json"]),
        timeout: .seconds(120))
      let run = try await w.run(
        [
          "enrich", input, "--base-url", asyncBase(sim), "--api", "async", "--types",
          "email,phone", "--rate", "200", "--json",
        ], timeout: .seconds(240))
      #expect(run.code == 0, "async run: \(run.stderr)")
      #expect(run.json["end"] as? String == "done")
      let refRun = try await reference
      #expect(refRun.code == 0, "sync run: \(refRun.stderr)")

      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let refOut = try expectComplete(output: ref.path("leads.enriched.csv"), input: list)
      // Rows that failed on faults (retries exhausted) are left out of the comparison.
      let failed = Set(
        out.column("status").enumerated().filter { $0.element == "failed" }.map(\.offset))
      #expect(failed.count <= 10, "\(failed.count) rows failed")
      for name in resultColumns {
        let a = out.column(name)
        let b = refOut.column(name)
        let differing = zip(a, b).enumerated().filter {
          $0.element.0 != $0.element.1 && !failed.contains($0.offset)
        }
        #expect(
          a.count == b.count && differing.isEmpty,
          "column \(name) differs on \(differing.count) rows, first \(differing.prefix(3))")
      }
      // Each call's own vocabulary: the async call says deliverable / catch-all.
      let statuses = Set(out.column("email_status").filter { !$0.isEmpty })
      #expect(statuses.isSubset(of: ["deliverable", "catch-all", "N/A"]), "\(statuses)")
      #expect(!out.column("email").filter { !$0.isEmpty }.isEmpty)
      #expect(!out.column("phones").filter { !$0.isEmpty }.isEmpty)

      let stats = try await sim.stats()
      #expect(
        stats.extraBillings <= stats.faults("reset-after-billing"),
        "a (contact, type) billed twice beyond the faults: \(stats)")
      #expect(stats.polls > 0)
      let runSummary = run.json["run"] as? [String: Any] ?? [:]
      let submitted = runSummary["submitted"] as? Int ?? 0
      #expect(submitted >= stats.distinctContactsBilled, "\(runSummary)")
      let failedSubmitted = try w.sql(
        "SELECT count(*) FROM requests WHERE error_class = 'submitted'")
      #expect(failedSubmitted == "0", "ids left unpolled")
      print("async vs sync: \(stats); run \(runSummary)")
      await sim.stop()
      await refSim.stop()
      w.expectNoKeyWritten()
    }

    /// SIGKILL at five random moments of an async run, `resume` each time: every
    /// submitted id is polled to its result, none is submitted again, and the output
    /// equals an uninterrupted async run's.
    @Test("async: killed 5 times, resumed by polling the stored ids, same output")
    func killAndResume() async throws {
      let list = LeadList(count: 600, seed: 5)
      let w = try Workdir("async-kill")
      let ref = try Workdir("async-kill-reference")
      defer {
        w.remove()
        ref.remove()
      }
      let input = try w.write("leads.csv", list.csv)
      let refInput = try ref.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, latency: "800,3000", extra: ["--seed", "3"])
      let refSim = try await SimulatorProcess(in: ref, latency: "800,3000", extra: ["--seed", "3"])
      let flags = ["--api", "async", "--rate", "100"]
      let types = ["--types", "email,phone"]
      async let reference = ref.run(
        ["enrich", refInput, "--base-url", asyncBase(refSim)] + flags + types,
        timeout: .seconds(120))

      var job = ""
      var inFlightAtKills: [Int] = []
      var submittedAtKills: [Int] = []
      for k in 0..<5 {
        let p: ChildProcess
        if k == 0 {
          p = try w.start(["enrich", input, "--base-url", asyncBase(sim)] + flags + types)
          job = try await awaitJob(p)
        } else {
          p = try w.start(["resume", job, "--base-url", asyncBase(sim)] + flags)
        }
        try await Task.sleep(for: randomDelay(0.8...2.5))
        #expect(p.termination == nil, "run \(k) ended before its kill: \(p.stderr)")
        p.send(SIGKILL)
        #expect(await p.wait() == .signal(SIGKILL))
        inFlightAtKills.append(
          Int(try w.sql("SELECT count(*) FROM requests WHERE state = 'inFlight'")) ?? -1)
        submittedAtKills.append(
          Int(try w.sql("SELECT count(*) FROM requests WHERE state = 'submitted'")) ?? -1)
      }
      #expect(submittedAtKills.contains { $0 > 0 }, "no kill left a submitted request to poll")
      let last = try await w.run(
        ["resume", job, "--base-url", asyncBase(sim), "--json"] + flags, timeout: .seconds(120))
      #expect(last.code == 0, "final resume: \(last.stderr)")
      let refRun = try await reference
      #expect(refRun.code == 0, "reference: \(refRun.stderr)")

      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let refOut = try expectComplete(output: ref.path("leads.enriched.csv"), input: list)
      for name in resultColumns + ["email_status", "phone_status"] {
        let a = out.column(name)
        let b = refOut.column(name)
        let differing = zip(a, b).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(
          a.count == b.count && differing.isEmpty,
          "column \(name) differs on \(differing.count) rows, first \(differing.prefix(3))")
      }
      // Only what was being sent without an id at a kill may be bought twice (at most
      // one per type of each such request); a submitted id is never submitted again.
      let resent = Int(try w.sql("SELECT resent_after_crash FROM jobs WHERE id = '\(job)'")) ?? -1
      let stats = try await sim.stats()
      #expect(resent >= 0 && resent <= inFlightAtKills.reduce(0, +))
      #expect(
        stats.extraBillings <= 2 * resent,
        "\(stats); resent \(resent), in flight at kills \(inFlightAtKills)")
      let refStats = try await refSim.stats()
      #expect(refStats.extraBillings == 0, "\(refStats)")
      print(
        "async kill-and-resume: in flight at kills \(inFlightAtKills), submitted at kills "
          + "\(submittedAtKills), resent \(resent); \(stats)")
      await sim.stop()
      await refSim.stop()
    }

    /// The async base URL copied from Pronto's docs, without `--api`: the same results
    /// as `--api async`. And `--api sync` forced onto the async endpoint: its pending
    /// answers are polled, never taken for not-found.
    @Test("async base URL without --api, and pending answers of a forced sync: every result")
    func copiedBaseURL() async throws {
      let list = LeadList(count: 150, seed: 9)
      let w = try Workdir("async-copied")
      defer { w.remove() }
      let sim = try await SimulatorProcess(in: w, latency: "200,800")
      var outputs: [EnrichedList] = []
      for (i, flags) in [
        ["--api", "async", "--types", "email,phone"], ["--types", "email,phone"],
        ["--api", "sync", "--types", "email"],
      ].enumerated() {
        let input = try w.write("leads\(i).csv", list.csv)
        let run = try await w.run(
          ["enrich", input, "--base-url", asyncBase(sim), "--rate", "200"] + flags,
          timeout: .seconds(90))
        #expect(run.code == 0, "\(flags): \(run.stderr)")
        if i == 1 { #expect(run.stderr.contains("using --api async"), "\(run.stderr)") }
        outputs.append(try expectComplete(output: w.path("leads\(i).enriched.csv"), input: list))
      }
      for name in resultColumns {
        #expect(outputs[0].column(name) == outputs[1].column(name), "column \(name)")
      }
      // Email only, through the sync code path: every email the async run found.
      #expect(outputs[2].column("email") == outputs[0].column("email"))
      #expect(outputs[2].statusCounts()["failed"] == nil)
      let options = try w.sql("SELECT options FROM jobs ORDER BY created_at")
      #expect(options.contains("\"api\":\"async\"") && options.contains("\"api\":\"sync\""))
      await sim.stop()
    }
  }
}
