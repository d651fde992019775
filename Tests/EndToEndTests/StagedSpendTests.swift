import Foundation
import Testing

private func types(_ line: [String: Any]) -> [String] { line["types"] as? [String] ?? [] }

private func credits(_ lines: [[String: Any]]) -> Int {
  lines.map { $0["credits"] as? Int ?? 0 }.reduce(0, +)
}

/// A list whose every row can ask for a phone (a LinkedIn URL on each).
private func phoneList(count: Int, seed: UInt64) -> LeadList {
  var list = LeadList(count: count, seed: seed, duplicateShare: 0, invalidShare: 0)
  for i in list.rows.indices where list.rows[i][4].isEmpty {
    list.rows[i][4] = "https://www.linkedin.com/in/staged-\(i)-\(seed)"
  }
  return list
}

extension EndToEnd {
  /// Issue 13's staged-spend proofs: `--phone-if no-email` buys the phone exactly
  /// where the email was not found, and costs what `inspect` said; `--max-per`
  /// buys at most N phones per company, the best-ranked.
  @Suite("Staged spend")
  struct StagedSpend {
    /// Sync and async: the email first, then the phone for exactly the contacts whose
    /// email was not found; the found ones say why their phone was not bought.
    @Test(
      "--phone-if no-email: phone for exactly the contacts whose email was not found",
      arguments: [false, true])
    func phoneIfNoEmail(async: Bool) async throws {
      let list = phoneList(count: 200, seed: 81)
      let w = try Workdir("staged-\(async ? "async" : "sync")")
      defer { w.remove() }
      let file = try w.write("leads.csv", list.csv)
      let log = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(in: w, latency: "20,100", extra: ["--ledger", log])
      var args = ["enrich", file, "--types", "email,phone", "--phone-if", "no-email", "--json"]
      args +=
        async
        ? ["--base-url", sim.address + "/api/v2", "--api", "async"] : ["--base-url", sim.baseURL]
      let run = try await w.run(args + ["--rate", "200"], timeout: .seconds(120))
      #expect(run.code == 0, "\(run.stderr)")

      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let last = out.column("Last Name").map { $0.lowercased() }
      let emails = out.column("email")
      let notFound = Set(zip(last, emails).filter { $0.1.isEmpty }.map(\.0))
      #expect(!notFound.isEmpty && notFound.count < list.rows.count)
      let lines = ledgerLines(log)
      let phoneBought = lines.filter { types($0).contains("phone") }.map(lastName)
      #expect(Set(phoneBought) == notFound)
      #expect(phoneBought.count == notFound.count, "no phone bought twice")
      #expect(lines.filter { types($0).contains("email") }.count == list.rows.count)
      // Every found row says why its phone was not bought.
      for (status, (email, message)) in zip(
        out.column("phone_status"), zip(emails, out.column("message"))) where !email.isEmpty
      {
        #expect(status == "skipped")
        #expect(message.contains("--phone-if no-email"))
      }
      // The report's phone rate counts the phones bought, and says how many were not.
      let job = try #require(run.json["job"] as? String)
      let report = try await w.run(["report", job, "--format", "json"])
      #expect(report.code == 0, "\(report.stderr)")
      let results = try #require(
        (try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?[
          "results"] as? [[String: Any]])
      let phone = try #require(results.first { $0["type"] as? String == "phone" })
      #expect(phone["answered_rows"] as? Int == notFound.count)
      #expect(phone["not_bought_rows"] as? Int == list.rows.count - notFound.count)
      // `status` says how many phones were not bought on purpose.
      let status = try await w.run(["status", job, "--json"])
      let notBought =
        (status.json["spending"] as? [String: Any])?["not_bought_by_type"]
        as? [[String: Any]]
      #expect(
        notBought?.first { $0["type"] as? String == "phone" }?["count"] as? Int
          == list.rows.count - notFound.count)
      let statusText = try await w.run(["status", job])
      #expect(statusText.stdout.contains("skipped phone"), "\(statusText.stdout)")
      // The bill: every email, and a phone for each not-found contact.
      #expect(credits(lines) == list.rows.count + 10 * notFound.count)
      // The run says what it did not buy, and what that spared.
      let summary = try #require(run.json["run"] as? [String: Any])
      let found = list.rows.count - notFound.count
      #expect((summary["skipped_types"] as? [String: Int]) == ["phone": found])
      #expect(summary["credits_spared_by_stages"] as? Int == 10 * found)
    }

    /// A rule the job's types cannot follow, or a `--max-per` column the list does not
    /// have, is refused in one line before any job is stored.
    @Test("refused rules: one line, no job stored")
    func refusedBeforeAJobExists() async throws {
      let list = phoneList(count: 20, seed: 84)
      let w = try Workdir("staged-refused")
      defer { w.remove() }
      let file = try w.write("leads.csv", list.csv)
      let noPhone = try await w.run(
        ["enrich", file, "--simulate", "--types", "email", "--phone-if", "no-email"])
      #expect(noPhone.code == 64)
      #expect(noPhone.stderr.contains("--phone-if no-email: the job does not buy phone"))
      let noColumn = try await w.run(
        ["enrich", file, "--simulate", "--types", "email,phone", "--max-per", "Compny=2"])
      #expect(noColumn.code == 66)
      #expect(noColumn.stderr.contains("--max-per: no column named 'Compny'"))
      #expect(noColumn.stderr.contains("'Company'"))
      let jobs = try await w.run(["jobs", "--json"])
      #expect(jobs.code == 0)
      #expect(!jobs.stdout.contains("\"id\""), "no job stored: \(jobs.stdout)")
    }

    /// With the emails already in the contact store, `inspect` knows which phones the
    /// rule spares: the job then costs exactly its estimate.
    @Test("--phone-if no-email costs what inspect estimated for the rule")
    func matchesInspect() async throws {
      let list = phoneList(count: 150, seed: 82)
      let w = try Workdir("staged-inspect")
      defer { w.remove() }
      let file = try w.write("leads.csv", list.csv)
      let log = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(in: w, latency: "20,100", extra: ["--ledger", log])
      let emails = try await w.run(enrichArguments(file, sim, ["--types", "email", "--json"]))
      #expect(emails.code == 0, "\(emails.stderr)")
      let before = ledgerLines(log).count

      let inspect = try await w.run(
        ["inspect", file, "--types", "email,phone", "--phone-if", "no-email", "--json"])
      #expect(inspect.code == 0, "\(inspect.stderr)")
      let staged = try #require(
        (inspect.json["estimate"] as? [String: Any])?["staged"] as? [String: Any])
      let estimate = try #require(staged["with_rules"] as? Int)
      let without = try #require(staged["without_rules"] as? Int)
      #expect(estimate < without)

      let run = try await w.run(
        enrichArguments(
          file, sim, ["--types", "email,phone", "--phone-if", "no-email", "--json"]))
      #expect(run.code == 0, "\(run.stderr)")
      let bought = ledgerLines(log, from: before)
      #expect(bought.allSatisfy { types($0) == ["phone"] }, "emails reused, phones only")
      #expect(credits(bought) == estimate)
      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      #expect(bought.count == out.column("email").filter(\.isEmpty).count)
    }

    /// `--max-per company_name=2 --order-by score:desc`: at most two phone requests
    /// per company, and they are its two best-scored contacts.
    @Test("--max-per company=2 with --order-by: the two best-ranked per company get a phone")
    func maxPerCompany() async throws {
      var list = phoneList(count: 120, seed: 83)
      list.addColumn("score") { i in String((i * 37) % 101) }
      let w = try Workdir("staged-max-per")
      defer { w.remove() }
      let file = try w.write("leads.csv", list.csv)
      let log = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(in: w, latency: "20,100", extra: ["--ledger", log])
      let run = try await w.run(
        enrichArguments(
          file, sim,
          [
            "--types", "email,phone", "--max-per", "Company=2", "--order-by", "score:desc",
            "--json",
          ]))
      #expect(run.code == 0, "\(run.stderr)")
      let lines = ledgerLines(log)
      let withPhone = Set(lines.filter { types($0).contains("phone") }.map(lastName))
      var expected = Set<String>()
      let byCompany = Dictionary(grouping: list.rows.indices) { list.rows[$0][2] }
      for (_, rows) in byCompany {
        let best = rows.sorted {
          (Int(list.rows[$0][5])!, -$0) > (Int(list.rows[$1][5])!, -$1)
        }.prefix(2)
        for i in best { expected.insert(list.rows[i][1].lowercased()) }
      }
      #expect(withPhone == expected)
      #expect(lines.filter { types($0).contains("phone") }.count == 2 * byCompany.count)
      #expect(lines.filter { types($0).contains("email") }.count == list.rows.count)
      let out = try expectComplete(output: w.path("leads.enriched.csv"), input: list)
      let skipped = out.column("phone_status").filter { $0 == "skipped" }.count
      #expect(skipped == list.rows.count - 2 * byCompany.count)
    }
  }
}
