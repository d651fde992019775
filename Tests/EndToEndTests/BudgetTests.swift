import Foundation
import Testing

/// The simulator's ledger priced under a billing model, with the default costs
/// (email 1, phone 10, personal email 3): `per-request` charges each line its
/// types' sum; `per-number` only what the line's answer found, phones per number.
func ledgerCredits(_ path: String, billing: String) -> (lines: Int, credits: Int) {
  let costs = ["email": 1, "phone": 10, "personal_email": 3]
  guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (0, 0) }
  var lines = 0
  var credits = 0
  for line in text.split(separator: "\n") {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    else { continue }
    lines += 1
    let types = object["types"] as? [String] ?? []
    let found = object["found"] as? [String] ?? []
    let numbers = object["phone_numbers"] as? Int ?? 0
    for type in types {
      switch billing {
      case "per-request": credits += costs[type] ?? 0
      default:
        if type == "phone" {
          credits +=
            (costs[type] ?? 0) * (billing == "per-number" ? numbers : (numbers > 0 ? 1 : 0))
        } else if found.contains(type) {
          credits += costs[type] ?? 0
        }
      }
    }
  }
  return (lines, credits)
}

/// The `phone_numbers` of the simulator's ledger lines that asked for a phone.
func ledgerPhoneNumbers(_ path: String) -> [Int] {
  guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
  return text.split(separator: "\n").compactMap { line in
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      (object["types"] as? [String] ?? []).contains("phone")
    else { return nil }
    return object["phone_numbers"] as? Int ?? 0
  }
}

extension EndToEnd {
  /// Issue 12's proofs for `--max-credits`: the simulator never bills past the budget,
  /// the job pauses (75) saying how to go on, `resume --max-credits` goes on, nothing
  /// is bought twice.
  @Suite("Credit budget")
  struct CreditBudget {
    @Test(
      "--max-credits 100 on 500 email rows: 100 billed, paused (75); resume --max-credits 250: 150 more"
    )
    func emailBudget() async throws {
      let list = LeadList(count: 500, seed: 31, duplicateShare: 0, invalidShare: 0)
      let w = try Workdir("budget-email")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let ledger = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(in: w, extra: ["--ledger", ledger])

      let first = try await w.run(enrichArguments(input, sim, ["--max-credits", "100"]))
      #expect(first.code == 75, "\(first.stderr)")
      let job = try #require(jobID(in: first.stderr))
      var stats = try await sim.stats()
      #expect(stats.billed <= 100, "\(stats)")
      #expect(ledgerCredits(ledger, billing: "per-request").credits == stats.billed)
      #expect(
        first.stderr.contains(
          "budget reached: \(stats.billed) of 100 credits spent (\(500 - stats.billed) rows left,"
            + " about \(500 - stats.billed) more credits); continue with: leadsheet resume \(job)"
            + " --max-credits 500"), "\(first.stderr)")
      #expect(first.stderr.contains("credits: \(stats.billed) of --max-credits 100 spent"))
      let status = try await w.status(job)
      #expect(status["state"] as? String == "paused")
      #expect((status["reason"] as? String ?? "").hasPrefix("budget reached:"))
      // status, jobs and the report show the spending against the budget (item 7).
      let spending = try #require(status["spending"] as? [String: Any])
      #expect(spending["credits_spent"] as? Int == stats.billed)
      #expect(spending["max_credits"] as? Int == 100)
      #expect(spending["budget_left"] as? Int == 100 - stats.billed)
      #expect(spending["credits_today"] as? Int == stats.billed)
      #expect(spending["requests_left"] as? Int == 500 - stats.billed)
      #expect(spending["days_to_finish"] as? Int == 1)
      // A plain resume would stop again at once: `next` raises the budget, as the pause did.
      #expect(status["next"] as? String == "leadsheet resume \(job) --max-credits 500")
      let statusText = try await w.run(["status", job])
      #expect(statusText.stdout.contains("next    leadsheet resume \(job) --max-credits 500"))
      #expect(
        statusText.stdout.contains(
          "credits \(stats.billed) spent under per-request (email \(stats.billed)); today"
            + " \(stats.billed); budget 100, \(100 - stats.billed) left"), "\(statusText.stdout)")
      let jobsText = try await w.run(["jobs"])
      #expect(jobsText.stdout.contains(" \(stats.billed)/100 "), "\(jobsText.stdout)")
      #expect(
        jobsText.stdout.contains("credits today (UTC, every job): \(stats.billed) "),
        "\(jobsText.stdout)")
      let report = try await w.run(["report", job, "--format", "json"])
      let reportSpending = try #require(report.json["spending"] as? [String: Any])
      #expect(reportSpending["credits_spent"] as? Int == stats.billed)
      #expect(reportSpending["budget_left"] as? Int == 100 - stats.billed)

      let second = try await w.run(resumeArguments(job, sim, ["--max-credits", "250"]))
      #expect(second.code == 75, "\(second.stderr)")
      stats = try await sim.stats()
      #expect(stats.billed <= 250, "\(stats)")
      #expect(stats.billed > 100)
      #expect(second.stderr.contains("budget reached: \(stats.billed) of 250 credits spent"))

      // The budget is stored with the job: resume without --max-credits buys nothing more.
      let third = try await w.run(resumeArguments(job, sim))
      #expect(third.code == 75, "\(third.stderr)")
      #expect(try await sim.stats().billed == stats.billed)

      let last = try await w.run(resumeArguments(job, sim, ["--max-credits", "1000", "--json"]))
      #expect(last.code == 0, "\(last.stderr)")
      stats = try await sim.stats()
      #expect(stats.billed == 500)
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      #expect(last.json["credits_spent"] as? Int == 500)
      #expect(last.json["max_credits"] as? Int == 1000)
      #expect(last.json["billing"] as? String == "per-request")
      try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      await sim.stop()
    }

    @Test(
      "email and phone: the worst case stops sending, the account's own ledger never passes the budget",
      arguments: ["per-request", "per-number"])
    func phoneBudget(_ billing: String) async throws {
      let list = LeadList(count: 300, seed: 32, duplicateShare: 0, invalidShare: 0)
      let w = try Workdir("budget-phone")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let ledger = w.path("ledger.jsonl")
      // The account bills under the same model; a found phone holds up to three
      // numbers, each billed under per-number.
      let sim = try await SimulatorProcess(
        in: w, extra: ["--ledger", ledger, "--billing", billing, "--max-phones", "3"])
      let args = ["--types", "email,phone", "--billing", billing, "--json"]

      let first = try await w.run(enrichArguments(input, sim, args + ["--max-credits", "300"]))
      #expect(first.code == 75, "\(first.stderr)")
      #expect(first.json["end"] as? String == "budget_reached")
      let job = try #require(first.json["job"] as? String)
      var stats = try await sim.stats()
      #expect(stats.int("credits_billed") <= 300, "\(stats)")
      #expect(stats.billed > 0)
      #expect(ledgerCredits(ledger, billing: billing).credits == stats.int("credits_billed"))
      #expect(
        first.json["credits_spent"] as? Int == stats.int("credits_billed"),
        "leadsheet's count is the account's")
      #expect(first.json["billing"] as? String == billing)

      let second = try await w.run(resumeArguments(job, sim, ["--max-credits", "600", "--json"]))
      #expect(second.code == 75 || second.code == 0, "\(second.stderr)")
      stats = try await sim.stats()
      #expect(stats.int("credits_billed") <= 600, "\(stats)")
      #expect(second.json["credits_spent"] as? Int == stats.int("credits_billed"))
      #expect(second.json["billing"] as? String == billing, "stored with the job")
      #expect(stats.contactsBilledMoreThanOnce == 0, "\(stats)")
      if billing == "per-number" {
        // The proof means something only if some answers held several numbers.
        let numbers = ledgerPhoneNumbers(ledger)
        #expect(numbers.contains { $0 > 1 }, "\(numbers)")
      }
      await sim.stop()
    }
  }
}
