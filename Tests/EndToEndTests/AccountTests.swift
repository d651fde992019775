import Foundation
import Testing

extension EndToEnd {
  /// `leadsheet account` and `enrich`'s key check, against the simulator's `/account` and `/credits`.
  @Suite("Account")
  struct Account {
    /// `leadsheet ARGS` (no job database: `account` has none) to its end.
    func account(_ w: Workdir, _ arguments: [String]) async throws -> Workdir.Finished {
      let p = try w.start(["account"] + arguments, db: false)
      let t = await p.wait(timeout: .seconds(60))
      return Workdir.Finished(termination: t, stdout: p.stdout, stderr: p.stderr)
    }

    @Test("a good key: accepted, with the account and the balance; --json says the same")
    func goodKey() async throws {
      let w = try Workdir("account-good")
      defer { w.remove() }
      let sim = try await SimulatorProcess(in: w, extra: ["--credits", "1234"])
      let text = try await account(w, ["--base-url", sim.baseURL])
      #expect(text.code == 0, "\(text.stderr)")
      #expect(text.stdout.contains("key: accepted by \(sim.baseURL)/account"), "\(text.stdout)")
      #expect(text.stdout.contains("credits_remaining=1234"), "\(text.stdout)")
      #expect(!text.stdout.contains(testAPIKey) && !text.stderr.contains(testAPIKey))
      let json = try await account(w, ["--base-url", sim.baseURL, "--json"])
      #expect(json.code == 0, "\(json.stderr)")
      #expect(json.json["key"] as? String == "accepted")
      let credits = try #require(json.json["credits"] as? [String: Any])
      let fields = try #require(credits["fields"] as? [String: String])
      #expect(fields["credits_remaining"] == "1234")
      await sim.stop()
    }

    @Test("a bad key: refused, exit 75, one line naming the fix")
    func badKey() async throws {
      let w = try Workdir("account-bad")
      defer { w.remove() }
      let sim = try await SimulatorProcess(in: w)
      var env = w.environment
      env["PRONTO_API_KEY"] = "not-the-key-0000"
      let p = try w.start(["account", "--base-url", sim.baseURL], db: false, environment: env)
      #expect(await p.wait() == .exit(75), "\(p.stderr)")
      #expect(p.stdout.contains("key: refused"), "\(p.stdout)")
      let errors = p.stderr.split(separator: "\n").filter { $0.contains("error") }
      #expect(errors.count == 1 && errors[0].contains("refused"), "\(p.stderr)")
      #expect(!p.stderr.contains("not-the-key-0000") && !p.stdout.contains("not-the-key-0000"))
      await sim.stop()
    }

    @Test("a server without /credits: the key is accepted and the missing balance said, exit 0")
    func noCreditsEndpoint() async throws {
      let w = try Workdir("account-nocredits")
      defer { w.remove() }
      let sim = try await SimulatorProcess(in: w, extra: ["--no-credits-endpoint"])
      let r = try await account(w, ["--base-url", sim.baseURL])
      #expect(r.code == 0, "\(r.stderr)")
      #expect(r.stdout.contains("credits: this server has no /credits (HTTP 404)"), "\(r.stdout)")
      await sim.stop()
    }

    @Test("each run records the account's balance before and after, and says what was charged")
    func balancePerRun() async throws {
      let list = LeadList(count: 40, seed: 4)
      let w = try Workdir("account-balance")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, extra: ["--credits", "1000"])
      let r = try await w.run(enrichArguments(input, sim))
      #expect(r.code == 0, "\(r.stderr)")
      let billed = try await sim.stats().billed
      #expect(billed > 0)
      let stored = try w.sql("SELECT credits_before, credits_after FROM runs")
      #expect(stored == "1000.0|\(Double(1000 - billed))", "\(stored)")
      #expect(
        r.stderr.contains("account balance: 1,000 → \(1000 - billed) credits (\(billed) charged"),
        "\(r.stderr)")
      await sim.stop()
    }

    @Test("enrich with a refused key stops before reading the list: no job, nothing billed")
    func enrichChecksTheKeyFirst() async throws {
      let list = LeadList(count: 50, seed: 3)
      let w = try Workdir("account-enrich")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      var env = w.environment
      env["PRONTO_API_KEY"] = "not-the-key-0000"
      let clock = ContinuousClock()
      let start = clock.now
      let p = try w.start(enrichArguments(input, sim), environment: env)
      #expect(await p.wait() == .exit(75), "\(p.stderr)")
      #expect(clock.now - start < .seconds(20))
      #expect(p.stderr.contains("refused"), "\(p.stderr)")
      #expect(jobID(in: p.stderr) == nil, "no job is created: \(p.stderr)")
      let stats = try await sim.stats()
      #expect(stats.billed == 0)
      await sim.stop()
    }
  }
}
