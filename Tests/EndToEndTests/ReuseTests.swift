import Foundation
import Testing

/// `row` written as another export would write the same person: names in capitals
/// with spaces around, the company in capitals, the LinkedIn URL with `http://`,
/// no `www.` and a trailing slash.
private func writtenDifferently(_ row: [String]) -> [String] {
  var r = row
  r[0] = "  " + r[0].uppercased() + " "
  r[1] = r[1].uppercased()
  r[2] = r[2].uppercased()
  if !r[4].isEmpty {
    r[4] = r[4].replacingOccurrences(of: "https://www.", with: "http://") + "/"
  }
  return r
}

extension EndToEnd {
  /// Issue 13's proofs: a contact already bought is not bought again by a later job,
  /// nor by a job running at the same time; `--max-age 0` and
  /// `--recheck-not-found-after 0` buy again what they say.
  @Suite("Reuse across jobs")
  struct ReuseAcrossJobs {
    /// Job A on 300 rows; job B on 300 rows of which 200 are A's contacts written
    /// differently: B is billed for its 100 new contacts only, and its 200 shared rows
    /// carry A's results, marked reused with A's date.
    @Test("job B reuses the 200 contacts job A bought; --max-age 0 and --recheck-not-found-after 0")
    func secondJobReuses() async throws {
      let listA = LeadList(count: 300, seed: 61, duplicateShare: 0, invalidShare: 0)
      var listB = LeadList(count: 0)
      listB.rows = listA.rows.prefix(200).map(writtenDifferently)
      let fresh = LeadList(count: 100, seed: 62, duplicateShare: 0, invalidShare: 0)
      listB.rows += fresh.rows.map { r in
        var r = r
        r[1] += "x"  // never an A contact
        return r
      }
      let w = try Workdir("reuse-jobs")
      defer { w.remove() }
      let fileA = try w.write("a.csv", listA.csv)
      let fileB = try w.write("b.csv", listB.csv)
      let ledger = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(in: w, extra: ["--ledger", ledger])

      let a = try await w.run(enrichArguments(fileA, sim, ["--json"]))
      #expect(a.code == 0, "\(a.stderr)")
      #expect(ledgerLines(ledger).count == 300)
      let outA = try expectComplete(output: w.path("a.enriched.csv"), input: listA)
      #expect(Set(outA.column("result_source")) == ["bought"])

      let b = try await w.run(enrichArguments(fileB, sim, ["--json"]))
      #expect(b.code == 0, "\(b.stderr)")
      let billedB = ledgerLines(ledger, from: 300)
      #expect(billedB.count == 100, "B must buy only its 100 new contacts")
      #expect(billedB.allSatisfy { lastName($0).hasSuffix("x") })
      let runB = try #require(b.json["run"] as? [String: Any])
      #expect(runB["reused_requests"] as? Int == 200)
      #expect(runB["credits_saved_by_reuse"] as? Int == 200)
      #expect(runB["requests_sent"] as? Int == 100)
      let outB = try expectComplete(output: w.path("b.enriched.csv"), input: listB)
      for name in ["email", "email_status", "phones", "phone_status", "status", "bought_at"] {
        let shared = Array(outB.column(name).prefix(200))
        #expect(shared == Array(outA.column(name).prefix(200)), "column \(name) of shared rows")
      }
      #expect(
        Array(outB.column("result_source").prefix(200)) == Array(repeating: "reused", count: 200))
      #expect(
        Array(outB.column("result_source").suffix(100)) == Array(repeating: "bought", count: 100))
      #expect(outB.column("bought_at").allSatisfy { $0.hasSuffix("Z") && $0.count == 20 })

      // status and the report show what was reused and what it saved.
      let jobB = try #require(b.json["job"] as? String)
      let spending = try #require(try await w.status(jobB)["spending"] as? [String: Any])
      #expect(spending["credits_saved_by_reuse"] as? Int == 200)
      #expect(spending["credits_spent"] as? Int == 100)
      let report = try await w.run(["report", jobB, "--format", "md"])
      #expect(report.stdout.contains("Bought and reused"), "\(report.stdout.prefix(2000))")

      // inspect on the same list counts the 200 rows the store answers.
      let inspect = try await w.run(["inspect", fileB, "--json"])
      let reuse = try #require(inspect.json["reuse"] as? [String: Any], "\(inspect.stdout)")
      #expect(reuse["rows_covered"] as? Int == 300, "B's own 100 are stored now too")
      let inspectA = try await w.run(["inspect", fileA, "--max-age", "0"])
      #expect(!inspectA.stdout.contains("reuse:"), "--max-age 0 counts nothing")

      // --max-age 0: a new job on B buys all 300 again.
      let c = try await w.run(enrichArguments(fileB, sim, ["--new", "--max-age", "0", "--json"]))
      #expect(c.code == 0, "\(c.stderr)")
      #expect(ledgerLines(ledger, from: 400).count == 300)

      // --recheck-not-found-after 0: a new job on A buys again exactly its not-found rows.
      let notFound = Set(
        zip(listA.rows, outA.column("status")).filter { $0.1 == "not_found" }.map {
          $0.0[1].lowercased()
        })
      #expect(!notFound.isEmpty)
      let d = try await w.run(
        enrichArguments(fileA, sim, ["--new", "--recheck-not-found-after", "0", "--json"]))
      #expect(d.code == 0, "\(d.stderr)")
      let billedD = ledgerLines(ledger, from: 700)
      #expect(Set(billedD.map(lastName)) == notFound)
      #expect(billedD.count == notFound.count)
    }

    /// Several processes opening one new database at the same instant: each
    /// one opens it (creating, switching to WAL and migrating it is done once),
    /// none fails with "disk I/O error" or "database is locked".
    @Test("processes opening one new database at once all succeed")
    func openingRace() async throws {
      let w = try Workdir("reuse-open-race")
      defer { w.remove() }
      for round in 0..<15 {
        let db = w.path("race\(round).sqlite")
        let children = try (0..<4).map { _ in
          try w.start(["jobs", "--db", db, "--json"], db: false)
        }
        for child in children {
          let t = await child.wait(timeout: .seconds(30))
          #expect(t.code == 0, "round \(round): \(child.stderr.suffix(500))")
        }
      }
    }

    /// Two `enrich` processes at once on overlapping lists, one database: no contact
    /// is billed twice; the later one waits for what the other is buying.
    @Test("two enrich processes on overlapping lists at once: no contact billed twice")
    func concurrentJobs() async throws {
      let first = LeadList(count: 300, seed: 71, duplicateShare: 0, invalidShare: 0)
      var second = LeadList(count: 0)
      second.rows = first.rows.shuffled().prefix(150).map(writtenDifferently)
      let more = LeadList(count: 150, seed: 72, duplicateShare: 0, invalidShare: 0)
      second.rows += more.rows.map { r in
        var r = r
        r[1] += "y"
        return r
      }
      let w = try Workdir("reuse-concurrent")
      defer { w.remove() }
      let file1 = try w.write("one.csv", first.csv)
      let file2 = try w.write("two.csv", second.csv)
      let ledger = w.path("ledger.jsonl")
      // Slow answers, so that both jobs are buying at the same time.
      let sim = try await SimulatorProcess(
        in: w, latency: "300,900", extra: ["--ledger", ledger])
      let p1 = try w.start(enrichArguments(file1, sim, ["--rate", "100"]))
      let p2 = try w.start(enrichArguments(file2, sim, ["--rate", "100"]))
      let t1 = await p1.wait(timeout: .seconds(90))
      let t2 = await p2.wait(timeout: .seconds(90))
      #expect(t1.code == 0, "\(p1.stderr.suffix(2000))")
      #expect(t2.code == 0, "\(p2.stderr.suffix(2000))")
      let lines = ledgerLines(ledger)
      let perContact = Dictionary(grouping: lines, by: { $0["contact"] as? String ?? "" })
      let twice = perContact.filter { $0.value.count > 1 }.keys
      #expect(twice.isEmpty, "billed twice: \(twice.prefix(5))")
      #expect(lines.count == 450, "300 + 150 distinct contacts")
      let out1 = try expectComplete(output: w.path("one.enriched.csv"), input: first)
      let out2 = try expectComplete(output: w.path("two.enriched.csv"), input: second)
      let reused =
        out1.column("result_source").filter { $0 == "reused" }.count
        + out2.column("result_source").filter { $0 == "reused" }.count
      #expect(reused == 150, "each shared contact bought by one job, reused by the other")
    }
  }
}
