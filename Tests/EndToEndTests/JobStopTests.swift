import Foundation
import Testing

extension EndToEnd {
  /// Proof 2: each job-wide stop leaves a paused job that `resume` finishes.
  @Suite("Job-wide stops")
  struct JobStops {
    /// A key revoked mid-run (401): exit 75, paused; the key back, `resume` finishes.
    @Test("key revoked mid-run: paused (75), resume finishes")
    func keyRevoked() async throws {
      let list = LeadList(count: 600, seed: 11)
      let w = try Workdir("revoked")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let p = try w.start(enrichArguments(input, sim, ["--rate", "100"]))
      let job = try await awaitJob(p)
      try await sim.waitUntil { $0.billed >= 100 }
      try await sim.control(["revoke_keys": [testAPIKey]])
      #expect(await p.wait() == .exit(75), "\(p.stderr)")
      #expect(p.stderr.contains("refused the API key"))
      #expect(p.stderr.contains("resume with: leadsheet resume \(job)"))
      let status = try await w.status(job)
      #expect(status["state"] as? String == "paused")
      #expect((status["reason"] as? String ?? "").contains("API key"))

      try await sim.control(["add_keys": [testAPIKey]])
      let r = try await w.run(resumeArguments(job, sim))
      #expect(r.code == 0, "\(r.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let stats = try await sim.stats()
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      #expect(stats.int("unauthorized") > 0)
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// Personal email without the account's consent: paused with the consent hint;
    /// once the account consents, `resume` finishes.
    @Test("consent missing: paused (75) with the hint, resume finishes once consented")
    func consentMissing() async throws {
      let list = LeadList(count: 300, seed: 12)
      let w = try Workdir("consent")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let ledger = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(
        in: w, extra: ["--no-consent-keys", testAPIKey, "--ledger", ledger])
      let args = ["--types", "email,personal_email"]
      let first = try await w.run(enrichArguments(input, sim, args))
      #expect(first.code == 75, "\(first.stderr)")
      #expect(first.stderr.contains("not consented"))
      #expect(first.stderr.contains("Enable personal email consent"))
      let job = try #require(jobID(in: first.stderr))
      let status = try await w.status(job)
      #expect(status["state"] as? String == "paused")
      // Rows without a LinkedIn URL ask for email only (personal_email needs one) and may
      // be billed; no request asking for personal_email was.
      let billedPersonal = billedPerContact(ledgers: [ledger]).keys.filter {
        $0.hasSuffix("personal_email")
      }
      #expect(billedPersonal.isEmpty)

      try await sim.control(["no_consent_keys": [String]()])
      let r = try await w.run(resumeArguments(job, sim))
      #expect(r.code == 0, "\(r.stderr)")
      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      #expect(out.header.contains("personal_email"))
      #expect(out.column("personal_email").contains { $0.contains("@") })
      let stats = try await sim.stats()
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// Credits run out after 100: paused (75); credits added, `resume` finishes and
    /// nothing is billed twice.
    @Test("credits exhausted: paused (75), credits added, resume finishes, none billed twice")
    func creditsExhausted() async throws {
      let list = LeadList(count: 400, seed: 13)
      let w = try Workdir("credits")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, extra: ["--credits", "100"])
      let first = try await w.run(enrichArguments(input, sim))
      #expect(first.code == 75, "\(first.stderr)")
      #expect(first.stderr.contains("no credits left"))
      let job = try #require(jobID(in: first.stderr))
      #expect(try await w.status(job)["state"] as? String == "paused")
      #expect(try await sim.stats().billed == 100)

      try await sim.control(["credits": -1])
      let r = try await w.run(resumeArguments(job, sim))
      #expect(r.code == 0, "\(r.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let stats = try await sim.stats()
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      let requests = Int(try w.sql("SELECT count(*) FROM requests WHERE job_id = '\(job)'")) ?? 0
      #expect(stats.billed == requests)
      await sim.stop()
      w.expectNoKeyWritten()
    }

    /// The simulator dies mid-run and comes back on the same port 3 s later: the
    /// run carries on and finishes; billed twice at most what was in flight.
    @Test("network down 3 s: the run survives and finishes")
    func shortOutage() async throws {
      let list = LeadList(count: 600, seed: 14)
      let w = try Workdir("outage")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let ledgers = [w.path("ledger-1.jsonl"), w.path("ledger-2.jsonl")]
      let sim = try await SimulatorProcess(in: w, extra: ["--ledger", ledgers[0]])
      let p = try w.start(enrichArguments(input, sim, ["--rate", "100", "--max-in-flight", "20"]))
      let job = try await awaitJob(p)
      try await sim.waitUntil { $0.billed >= 100 }
      sim.process.send(SIGKILL)
      await sim.process.wait()
      let down = ContinuousClock().now
      try await Task.sleep(for: .seconds(3))
      let back = try await SimulatorProcess(
        in: w, port: sim.port, extra: ["--ledger", ledgers[1]])
      let t = await p.wait(timeout: .seconds(60))
      let seconds = ContinuousClock().now - down
      #expect(t == .exit(0), "\(p.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let billed = billedPerContact(ledgers: ledgers)
      let extra = billed.values.reduce(0) { $0 + $1 - 1 }
      #expect(extra <= 20, "billed again beyond the 20 in flight: \(extra)")
      print(
        "short outage: job \(job) done \(seconds) after the outage began; billed again \(extra)")
      await back.stop()
      w.expectNoKeyWritten()
    }

    /// With `--give-up-after 5`, an outage that lasts pauses the job (75);
    /// once the API is back, `resume` finishes.
    @Test("network down for good: paused (75) after --give-up-after, resume finishes")
    func longOutage() async throws {
      let list = LeadList(count: 400, seed: 15)
      let w = try Workdir("long-outage")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let ledgers = [w.path("ledger-1.jsonl"), w.path("ledger-2.jsonl")]
      let sim = try await SimulatorProcess(in: w, extra: ["--ledger", ledgers[0]])
      let p = try w.start(
        enrichArguments(
          input, sim, ["--rate", "100", "--max-in-flight", "20", "--give-up-after", "5"]))
      let job = try await awaitJob(p)
      try await sim.waitUntil { $0.billed >= 50 }
      sim.process.send(SIGKILL)
      await sim.process.wait()
      let down = ContinuousClock().now
      let t = await p.wait(timeout: .seconds(60))
      let seconds = ContinuousClock().now - down
      #expect(t == .exit(75), "\(p.stderr)")
      #expect(p.stderr.contains("unreachable"))
      // --give-up-after 5, plus at most one connect timeout (10 s) of the attempt that
      // finds the API still gone, plus slack for a loaded machine.
      #expect(seconds < .seconds(20), "paused \(seconds) after the outage began")
      #expect(try await w.status(job)["state"] as? String == "paused")

      let back = try await SimulatorProcess(
        in: w, port: sim.port, extra: ["--ledger", ledgers[1]])
      let r = try await w.run(resumeArguments(job, back))
      #expect(r.code == 0, "\(r.stderr)")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let extra = billedPerContact(ledgers: ledgers).values.reduce(0) { $0 + $1 - 1 }
      #expect(extra <= 20, "billed again beyond the 20 in flight: \(extra)")
      print("long outage: paused \(seconds) after the outage began; billed again \(extra)")
      await back.stop()
      w.expectNoKeyWritten()
    }

    /// Ctrl-C (SIGINT) and SIGTERM: exit 130, the resume command printed; `resume`
    /// finishes and nothing is billed twice (in-flight requests were let finish).
    @Test(
      "SIGINT / SIGTERM: exit 130 with the resume command, resume finishes",
      arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) async throws {
      let list = LeadList(count: 500, seed: 16)
      let w = try Workdir("signal-\(signal)")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let p = try w.start(enrichArguments(input, sim, ["--rate", "100"]))
      let job = try await awaitJob(p)
      try await sim.waitUntil { $0.billed >= 50 }
      p.send(signal)
      #expect(await p.wait(timeout: .seconds(30)) == .exit(130), "\(p.stderr)")
      #expect(p.stderr.contains("resume with: leadsheet resume \(job)"), "\(p.stderr)")
      let status = try await w.status(job)
      #expect(status["state"] as? String == "paused")
      #expect(try w.sql("SELECT count(*) FROM requests WHERE state = 'inFlight'") == "0")

      let r = try await w.run(resumeArguments(job, sim, ["--json"]))
      #expect(r.code == 0, "\(r.stderr)")
      let run = r.json["run"] as? [String: Any] ?? [:]
      #expect(run["resent_after_crash"] as? Int == 0)
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let stats = try await sim.stats()
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      await sim.stop()
      w.expectNoKeyWritten()
    }
  }
}
