import Foundation
import Testing

/// The simulator's ledger lines as (Unix time, credits billed).
func ledgerBillings(_ path: String) -> [(time: Double, credits: Int)] {
  guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
  let formatter = ISO8601DateFormatter()
  formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
  return text.split(separator: "\n").compactMap { line in
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      let time = (object["time"] as? String).flatMap(formatter.date(from:))
    else { return nil }
    return (time.timeIntervalSince1970, object["credits"] as? Int ?? 0)
  }
}

extension EndToEnd {
  /// Issue 12's proofs for the daily cap: the API's daily limit with short days and
  /// `--wait`, and leadsheet's own `--daily-credits` counted over every job.
  @Suite("Daily cap")
  struct DailyCap {
    @Test(
      "server cap 50 credits per 20-second day, 160 email rows, enrich --wait: four days, each at or under 50, one 422 a day at most"
    )
    func serverCapWithWait() async throws {
      let list = LeadList(count: 160, seed: 41, duplicateShare: 0, invalidShare: 0)
      let w = try Workdir("daily-wait")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let ledger = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(
        in: w, latency: "20,100",
        extra: ["--ledger", ledger, "--daily-credits", "50", "--day-seconds", "20"])
      // Start early in a server day, so that the first day can hold 50 credits.
      let into = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 20)
      if into > 6 { try await Task.sleep(for: .milliseconds(Int((20 - into) * 1000) + 300)) }

      let run = try await w.run(
        enrichArguments(input, sim, ["--wait", "--json"]), timeout: .seconds(150))
      #expect(run.code == 0, "\(run.stderr)")
      let stats = try await sim.stats()
      #expect(stats.billed == 160, "\(stats)")
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")

      var perDay: [Int: Int] = [:]
      for line in ledgerBillings(ledger) {
        perDay[Int((line.time / 20).rounded(.down)), default: 0] += line.credits
      }
      #expect(perDay.values.allSatisfy { $0 <= 50 }, "\(perDay.sorted { $0.key < $1.key })")
      #expect(perDay.values.reduce(0, +) == 160)
      #expect(perDay.count == 4, "\(perDay.sorted { $0.key < $1.key })")
      let refused = stats.int("daily_limited")
      #expect(refused <= perDay.count, "at most one 422 per day: \(refused)")

      let json = run.json
      #expect(json["end"] as? String == "done")
      let runStats = json["run"] as? [String: Any] ?? [:]
      #expect((runStats["daily_waits"] as? Int ?? 0) >= 3, "\(runStats)")
      #expect(json["api_daily_limit"] as? Int == 50)
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      await sim.stop()
    }

    @Test(
      "Ctrl-C while waiting for the daily reset: a normal pause, nothing lost, nothing bought twice"
    )
    func interruptWhileWaiting() async throws {
      let list = LeadList(count: 40, seed: 44, duplicateShare: 0, invalidShare: 0)
      let w = try Workdir("daily-interrupt")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w, extra: ["--daily-credits", "10"])
      let p = try w.start(enrichArguments(input, sim, ["--wait"]))
      let waiting = await p.waitFor(timeout: .seconds(30)) { _, err in
        err.contains("waiting for the daily reset at 00:00 UTC")
      }
      #expect(waiting, "\(p.stderr)")
      #expect(p.stderr.contains("10/10 credits today · 30 rows left, about 3 days"), "\(p.stderr)")
      p.send(SIGINT)
      let end = await p.wait(timeout: .seconds(20))
      #expect(end.code == 130, "\(p.stderr)")
      let job = try #require(jobID(in: p.stderr))
      let status = try await w.status(job)
      #expect(status["state"] as? String == "paused")
      let stats = try await sim.stats()
      #expect(stats.billed == 10, "\(stats)")
      #expect(stats.int("daily_limited") == 0, "the gate counted: no 422")
      // The day is spent: resume pauses at once, buying nothing.
      let again = try await w.run(resumeArguments(job, sim))
      #expect(again.code == 75, "\(again.stderr)")
      #expect(again.stderr.contains("the API's daily limit is reached: 10/10 credits today"))
      #expect(try await sim.stats().billed == 10)
      await sim.stop()
    }

    @Test(
      "--daily-credits 30 on 100 email rows: 30 billed, paused (75) to the next UTC midnight; a second job that day buys nothing"
    )
    func ownCapOverEveryJob() async throws {
      let w = try Workdir("daily-own")
      defer { w.remove() }
      let first = LeadList(count: 100, seed: 42, duplicateShare: 0, invalidShare: 0)
      let second = LeadList(count: 20, seed: 43, duplicateShare: 0, invalidShare: 0)
      let a = try w.write("a.csv", first.csv)
      let b = try w.write("b.csv", second.csv)
      let ledger = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(in: w, extra: ["--ledger", ledger])

      let run = try await w.run(enrichArguments(a, sim, ["--daily-credits", "30"]))
      #expect(run.code == 75, "\(run.stderr)")
      let job = try #require(jobID(in: run.stderr))
      var stats = try await sim.stats()
      #expect(stats.billed <= 30 && stats.billed > 0, "\(stats)")
      #expect(ledgerCredits(ledger, billing: "per-request").credits <= 30)
      let midnight = Date(
        timeIntervalSince1970: ((Date().timeIntervalSince1970 / 86_400).rounded(.down) + 1)
          * 86_400)
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC")!
      let c = calendar.dateComponents([.year, .month, .day], from: midnight)
      let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
      #expect(
        run.stderr.contains("daily cap reached: 30/30 credits today (--daily-credits 30)"),
        "\(run.stderr)")
      #expect(run.stderr.contains("resets at \(day) 00:00 UTC"), "\(run.stderr)")
      #expect(run.stderr.contains("continue with: leadsheet resume \(job)"))
      let status = try await w.status(job)
      #expect(status["state"] as? String == "paused")
      #expect((status["reason"] as? String ?? "").hasPrefix("daily cap reached:"))

      // Another job, the same day, in the same database: the day is spent already.
      let other = try await w.run(enrichArguments(b, sim, ["--daily-credits", "30", "--json"]))
      #expect(other.code == 75, "\(other.stderr)")
      #expect(other.json["end"] as? String == "daily_cap_reached")
      #expect(other.json["credits_today"] as? Int == 30)
      #expect(other.json["daily_credits"] as? Int == 30)
      stats = try await sim.stats()
      #expect(stats.billed == 30, "nothing more bought: \(stats)")

      // resume keeps the stored cap.
      let again = try await w.run(resumeArguments(job, sim))
      #expect(again.code == 75, "\(again.stderr)")
      #expect(try await sim.stats().billed == 30)
      await sim.stop()
    }
  }
}
