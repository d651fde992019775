import Foundation
import Testing

/// A score written as exports write it: thousands commas, three decimals, a sign.
func exportedNumber(_ value: Double) -> String {
  let text = String(format: "%.3f", abs(value))
  let parts = text.split(separator: ".")
  var digits = Array(parts[0])
  var grouped = ""
  while digits.count > 3 {
    grouped = "," + String(digits.suffix(3)) + grouped
    digits.removeLast(3)
  }
  return (value < 0 ? "-" : "") + String(digits) + grouped + "." + parts[1]
}

/// The contacts (last names, lower case) a ledger billed, in billing order.
func ledgerContacts(_ path: String) -> [String] {
  guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
  return text.split(separator: "\n").compactMap { line in
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      let contact = object["contact"] as? String
    else { return nil }
    let parts = contact.split(separator: "|", omittingEmptySubsequences: false)
    return parts.count > 1 ? String(parts[1]) : nil
  }
}

extension EndToEnd {
  /// Issue 12, item 4: `--order-by COLUMN[:desc]` sends the best leads first, so a
  /// budget buys the rows that matter most.
  @Suite("Best leads first")
  struct BestLeadsFirst {
    /// 240 rows with a Score column (magnitudes from 0.1 to 100,000, percentages,
    /// negatives, thousands commas, blanks) and 24 duplicates of earlier contacts with
    /// other scores. Returns the list and each contact's best score (`nil`: blanks only).
    func scoredList() -> (LeadList, [String: Double?]) {
      var list = LeadList(count: 240, seed: 43, duplicateShare: 0, invalidShare: 0)
      var values: [Double?] = []
      var texts: [String] = []
      for i in 0..<list.rows.count {
        if i % 8 == 2 {
          values.append(nil)
          texts.append(i % 16 == 2 ? "" : "  ")
          continue
        }
        let magnitude = [0.1, 1, 10, 100][i % 4]
        var value = (Double((i * 7919) % 1000) + Double(i) / 1000) * magnitude
        if i % 11 == 5 { value = -value }
        if i % 10 == 3 {
          texts.append("\(exportedNumber(value))%")
          values.append(value / 100)
        } else {
          texts.append(exportedNumber(value))
          values.append(value)
        }
      }
      list.addColumn("Score") { texts[$0] }
      // Duplicates of the same contact with another score: 8 blank-scored contacts
      // get a top score, 8 high ones a low score (their best row stands), 8 middling
      // ones a score just high enough to matter.
      var copies: [(Int, String, Double)] = []
      for k in 0..<8 {
        copies.append((2 + 16 * k, exportedNumber(200_000 + Double(k)), 200_000 + Double(k)))
        copies.append((3 + 4 * k, "-1,000,000.5", -1_000_000.5))
        copies.append(
          (9 + 12 * k, exportedNumber(50_000 + Double(k) * 0.5), 50_000 + Double(k) * 0.5))
      }
      for (index, text, value) in copies {
        var row = list.rows[index]
        row[row.count - 1] = text
        list.rows.append(row)
        values.append(value)
      }
      var best: [String: Double?] = [:]
      for (row, value) in zip(list.rows, values) {
        let name = row[1].lowercased()
        let old = best[name] ?? nil
        best[name] = [old, value].compactMap { $0 }.max()
      }
      return (list, best)
    }

    @Test(
      "--order-by score:desc --max-credits 50: the 50 billed are the 50 best scores (a duplicate by its best row), never a blank; resume goes on in order"
    )
    func bestFiftyFirst() async throws {
      let (list, best) = scoredList()
      let ranked = best.compactMap { name, value in value.map { (name, $0) } }
        .sorted { $0.1 > $1.1 }
      try #require(ranked.count > 80)
      try #require(ranked[49].1 > ranked[50].1 && ranked[79].1 > ranked[80].1, "no tie at the cuts")
      let w = try Workdir("order-by")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let ledger = w.path("ledger.jsonl")
      let sim = try await SimulatorProcess(in: w, extra: ["--ledger", ledger])

      let first = try await w.run(
        enrichArguments(input, sim, ["--order-by", "score:desc", "--max-credits", "50"]))
      #expect(first.code == 75, "\(first.stderr)")
      #expect(
        first.stderr.contains("requests are sent by \"score\", highest first"), "\(first.stderr)")
      let job = try #require(jobID(in: first.stderr))
      let billed = ledgerContacts(ledger)
      #expect(billed.count == 50, "\(billed)")
      #expect(Set(billed) == Set(ranked.prefix(50).map(\.0)))
      let blanks = Set(best.filter { $0.value == nil }.map(\.key))
      #expect(blanks.count >= 8)
      #expect(Set(billed).isDisjoint(with: blanks))
      let status = try await w.status(job)
      #expect(status["state"] as? String == "paused")

      // The order is stored with the job: resume buys the next 30 in order.
      let second = try await w.run(resumeArguments(job, sim, ["--max-credits", "80"]))
      #expect(second.code == 75, "\(second.stderr)")
      let more = ledgerContacts(ledger).dropFirst(50)
      #expect(Set(more) == Set(ranked[50..<80].map(\.0)))
      #expect(try await sim.stats().contactsBilledMoreThanOnce == 0)
      await sim.stop()
    }

    @Test("an unknown --order-by column is refused in one line naming it and listing the headers")
    func unknownColumn() async throws {
      let (list, _) = scoredList()
      let w = try Workdir("order-by-unknown")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)
      let enrich = try await w.run(enrichArguments(input, sim, ["--order-by", "scroe:desc"]))
      #expect(enrich.code == 66, "\(enrich.stderr)")
      let line = enrich.stderr.split(separator: "\n").first { $0.contains("--order-by") }
      let text = String(try #require(line))
      #expect(text.contains("no column named 'scroe'"))
      #expect(
        text.contains("'First Name', 'Last Name', 'Company', 'Website', 'LinkedIn URL', 'Score'"))
      #expect(text.contains("did you mean 'Score'?"))
      #expect(try await sim.stats().billed == 0)

      let inspect = try w.start(["inspect", input, "--order-by", "scroe"], db: false)
      #expect(await inspect.wait(timeout: .seconds(30)).code == 66)
      #expect(inspect.stderr.contains("no column named 'scroe'"), "\(inspect.stderr)")
      let shown = try w.start(["inspect", input, "--order-by", "score:desc"], db: false)
      #expect(await shown.wait(timeout: .seconds(30)).code == 0, "\(shown.stderr)")
      #expect(
        shown.stdout.contains(
          "requests sent by \"Score\", highest first (blanks last), once the whole list is stored"),
        "\(shown.stdout)")
      await sim.stop()
    }
  }
}
