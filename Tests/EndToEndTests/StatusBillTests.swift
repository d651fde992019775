import Foundation
import Testing

extension EndToEnd {
  /// `status JOB` and the report show the bill as the account saw it, next to leadsheet's count.
  @Suite("Status bill")
  struct StatusBill {
    /// Email only: the simulator charges one credit per answered request, as leadsheet
    /// counts; then email and phone: leadsheet counts 11 credits for a request with a
    /// LinkedIn URL, the simulator (phones free: `--credit-cost phone=0`) still charges
    /// one, and both texts say they differ.
    @Test("status and report: credits charged by the account's balance, against leadsheet's count")
    func statusShowsTheAccountsCharge() async throws {
      let w = try Workdir("status-bill")
      defer { w.remove() }
      let sim = try await SimulatorProcess(
        in: w, extra: ["--credits", "1000", "--credit-cost", "email=1,phone=0"])

      let first = try w.write("first.csv", LeadList(count: 30, seed: 7).csv)
      let r1 = try await w.run(enrichArguments(first, sim, ["--types", "email", "--json"]))
      #expect(r1.code == 0, "\(r1.stderr)")
      let job1 = try #require(r1.json["job"] as? String)
      let billed1 = try await sim.stats().billed
      #expect(billed1 > 0)

      let status1 = try await w.status(job1)
      #expect(status1["api"] as? String == "sync")
      #expect(status1["base_url"] as? String == sim.baseURL)
      let bill1 = try #require(status1["account_bill"] as? [String: Any])
      #expect(bill1["runs_measured"] as? Int == 1)
      #expect(bill1["credits_charged"] as? Double == Double(billed1))
      #expect(bill1["credits_counted_measured"] as? Int == billed1)
      #expect(bill1["credits_counted"] as? Int == billed1)
      #expect(bill1["differs"] as? Bool == false)
      #expect(bill1["latest_balance"] as? Double == Double(1000 - billed1))
      let text1 = try await w.run(["status", job1])
      #expect(text1.code == 0, "\(text1.stderr)")
      #expect(
        text1.stdout.contains(
          "account the account was charged \(billed1) credits, as leadsheet counted under per-request "
            + "(\(billed1); 1 of 1 run measured)"), "\(text1.stdout)")
      #expect(text1.stdout.contains("api     sync, \(sim.baseURL)"), "\(text1.stdout)")
      #expect(
        text1.stdout.contains("balance \(grouped(1000 - billed1)) credits (latest known"),
        "\(text1.stdout)")

      let second = try w.write("second.csv", LeadList(count: 30, seed: 8).csv)
      let r2 = try await w.run(
        enrichArguments(second, sim, ["--types", "email,phone", "--json"]))
      #expect(r2.code == 0, "\(r2.stderr)")
      let job2 = try #require(r2.json["job"] as? String)
      let billed2 = try await sim.stats().billed - billed1
      let status2 = try await w.status(job2)
      let bill2 = try #require(status2["account_bill"] as? [String: Any])
      #expect(bill2["credits_charged"] as? Double == Double(billed2))
      let counted2 = try #require(bill2["credits_counted_measured"] as? Int)
      #expect(counted2 > billed2)
      #expect(bill2["differs"] as? Bool == true)
      #expect(bill2["latest_balance"] as? Double == Double(1000 - billed1 - billed2))
      let text2 = try await w.run(["status", job2])
      #expect(
        text2.stdout.contains(
          "the account was charged \(billed2) credits; leadsheet counted \(grouped(counted2))"
            + " under per-request ("
        ), "\(text2.stdout)")

      // The report carries the same figures.
      let report = try await w.run(["report", job2, "--format", "json"])
      #expect(report.code == 0, "\(report.stderr)")
      let reportBill = try #require(report.json["account_bill"] as? [String: Any])
      #expect(reportBill["credits_charged"] as? Double == Double(billed2))
      #expect(reportBill["credits_counted_measured"] as? Int == counted2)
      let cost = try #require(report.json["cost"] as? [String: Any])
      #expect(cost["credits_billed"] as? Int == reportBill["credits_counted"] as? Int)
      let job = try #require(report.json["job"] as? [String: Any])
      #expect(job["api"] as? String == "sync")
      #expect(job["base_url"] as? String == sim.baseURL)
      await sim.stop()
    }

    /// Issue 12's reconciliation proof: the simulator bills `per-request` (every type
    /// asked, found or not); a job counting `per-found` is told the account was charged
    /// more, naming its model; a job counting `per-request` is told they agree.
    @Test("reconciliation: per-found against a per-request account differs; per-request agrees")
    func reconciliationNamesTheModel() async throws {
      let w = try Workdir("reconcile")
      defer { w.remove() }
      let sim = try await SimulatorProcess(
        in: w, extra: ["--credits", "100000", "--billing", "per-request"])
      let types = ["--types", "email,phone", "--json"]

      let foundFile = try w.write("found.csv", LeadList(count: 60, seed: 71).csv)
      let r1 = try await w.run(
        enrichArguments(foundFile, sim, types + ["--billing", "per-found"]))
      #expect(r1.code == 0, "\(r1.stderr)")
      let job1 = try #require(r1.json["job"] as? String)
      let charged1 = try await sim.stats().int("credits_billed")
      let status1 = try await w.status(job1)
      let bill1 = try #require(status1["account_bill"] as? [String: Any])
      #expect(bill1["credits_charged"] as? Double == Double(charged1))
      let counted1 = try #require(bill1["credits_counted_measured"] as? Int)
      #expect(counted1 < charged1, "per-found counts only what was found")
      #expect(bill1["differs"] as? Bool == true)
      #expect(bill1["billing"] as? String == "per-found")
      let text1 = try await w.run(["status", job1])
      #expect(
        text1.stdout.contains(
          "the account was charged \(grouped(charged1)) credits; leadsheet counted"
            + " \(grouped(counted1)) under per-found ("), "\(text1.stdout)")
      let report1 = try await w.run(["report", job1])
      #expect(report1.stdout.contains("under per-found"), "\(report1.stdout)")

      let requestFile = try w.write("request.csv", LeadList(count: 60, seed: 72).csv)
      let r2 = try await w.run(
        enrichArguments(requestFile, sim, types + ["--billing", "per-request"]))
      #expect(r2.code == 0, "\(r2.stderr)")
      let job2 = try #require(r2.json["job"] as? String)
      let charged2 = try await sim.stats().int("credits_billed") - charged1
      let status2 = try await w.status(job2)
      let bill2 = try #require(status2["account_bill"] as? [String: Any])
      #expect(bill2["credits_charged"] as? Double == Double(charged2))
      #expect(bill2["credits_counted_measured"] as? Int == charged2)
      #expect(bill2["differs"] as? Bool == false)
      let text2 = try await w.run(["status", job2])
      #expect(
        text2.stdout.contains(
          "the account was charged \(grouped(charged2)) credits, as leadsheet counted under"
            + " per-request (\(grouped(charged2));"), "\(text2.stdout)")
      await sim.stop()
    }
  }
}

/// `1234` → `1,234`, as leadsheet prints counts.
private func grouped(_ n: Int) -> String {
  let digits = String(n)
  var out = ""
  for (i, ch) in digits.enumerated() {
    if i > 0, (digits.count - i) % 3 == 0 { out += "," }
    out.append(ch)
  }
  return out
}
