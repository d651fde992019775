import LeadsheetCore
import Foundation
import Testing

/// `--order-by`'s comparison: numbers as numbers, dates as dates, text as text, blanks last.
@Suite struct OrderKeyTests {
  /// `texts` sorted by `precedes` (stable: equal keys keep their order).
  func sorted(_ texts: [String], descending: Bool = false) -> [String] {
    texts.enumerated().sorted { a, b in
      let ka = OrderKey(a.element)
      let kb = OrderKey(b.element)
      if ka.precedes(kb, descending: descending) { return true }
      if kb.precedes(ka, descending: descending) { return false }
      return a.offset < b.offset
    }.map(\.element)
  }

  @Test func readsNumbersAsExportsWriteThem() {
    #expect(OrderKey("1,200") == .number(1200))
    #expect(OrderKey("1,234,567.5") == .number(1_234_567.5))
    #expect(OrderKey("3.5") == .number(3.5))
    #expect(OrderKey(".5") == .number(0.5))
    #expect(OrderKey("-2") == .number(-2))
    #expect(OrderKey("+7") == .number(7))
    #expect(OrderKey("85%") == .number(0.85))
    #expect(OrderKey("$1,200.50") == .number(1200.5))
    #expect(OrderKey("-$3") == .number(-3))
    #expect(OrderKey("(1,200)") == .number(-1200))
    #expect(OrderKey("1e6") == .number(1_000_000))
    #expect(OrderKey("  42 ") == .number(42))
    #expect(OrderKey(Cell("12000", kind: .number)) == .number(12000))
    // Not numbers: a decimal comma, misplaced separators, words.
    #expect(OrderKey("3,5") == .text("3,5"))
    #expect(OrderKey("1,20") == .text("1,20"))
    #expect(OrderKey("1234,567") == .text("1234,567"))
    #expect(OrderKey("12 apples") == .text("12 apples"))
    #expect(OrderKey("-") == .text("-"))
  }

  @Test func numbersCompareAsNumbers() {
    let scores = ["9", "1,200", "85%", "-2", "3.5", "100", "12000"]
    #expect(sorted(scores) == ["-2", "85%", "3.5", "9", "100", "1,200", "12000"])
    #expect(
      sorted(scores, descending: true) == ["12000", "1,200", "100", "9", "3.5", "85%", "-2"])
  }

  @Test func blanksAreLastInBothDirections() {
    let values = ["", "5", "  ", "1", "10"]
    #expect(sorted(values) == ["1", "5", "10", "", "  "])
    #expect(sorted(values, descending: true) == ["10", "5", "1", "", "  "])
    #expect(OrderKey(Cell("#N/A", kind: .error)) == .blank)
  }

  @Test func textIsCaseInsensitiveAndStable() {
    let names = ["banana", "Apple", "cherry", "apple", "BANANA"]
    #expect(sorted(names) == ["Apple", "apple", "banana", "BANANA", "cherry"])
    // Equal text keeps file order in both directions.
    #expect(sorted(names, descending: true) == ["cherry", "banana", "BANANA", "Apple", "apple"])
  }

  @Test func readsDates() throws {
    let day = 86_400.0
    #expect(OrderKey("1970-01-02") == .date(day))
    #expect(OrderKey("2024-03-01") == OrderKey("3/1/2024"))
    #expect(OrderKey("2024-03-01T09:30:00") == .date(try #require(date("2024-03-01")) + 34_200))
    #expect(OrderKey("2024-03-01 09:30") == OrderKey("2024-03-01T09:30:00Z"))
    #expect(OrderKey("2024-03-01T11:30:00+02:00") == OrderKey("2024-03-01T09:30:00Z"))
    #expect(OrderKey("3/1/2024 9:30 AM") == OrderKey("2024-03-01T09:30"))
    #expect(OrderKey("3/1/2024 12:15 PM") == OrderKey("2024-03-01T12:15"))
    #expect(OrderKey("3/1/2024 12:15 AM") == OrderKey("2024-03-01T00:15"))
    #expect(OrderKey("12/31/2023 17:30") == OrderKey("2023-12-31T17:30"))
    // XLSX date cells: ISO text, with the time the format hides.
    #expect(OrderKey(Cell("2024-03-01", kind: .date)) == OrderKey("2024-03-01"))
    #expect(
      OrderKey(Cell("2024-03-01", kind: .date, hiddenTime: 34_200_000))
        == OrderKey("2024-03-01T09:30"))
    #expect(OrderKey(Cell("09:30:00", kind: .date)) == .date(34_200))
    // Not dates.
    #expect(OrderKey("2024-02-30") == .text("2024-02-30"))
    #expect(OrderKey("13/1/2024") == .text("13/1/2024"))
    #expect(OrderKey("2024-03-01T") == .text("2024-03-01t"))
  }

  @Test func datesCompareAsDates() {
    let dates = ["12/31/2023", "2024-03-01", "1/15/2024", "2023-06-30T23:59:59", "", "2/1/2024"]
    #expect(
      sorted(dates) == [
        "2023-06-30T23:59:59", "12/31/2023", "1/15/2024", "2/1/2024", "2024-03-01", "",
      ])
    #expect(
      sorted(dates, descending: true) == [
        "2024-03-01", "2/1/2024", "1/15/2024", "12/31/2023", "2023-06-30T23:59:59", "",
      ])
  }

  @Test func mixedKindsGoNumbersDatesTextBlanks() {
    let mixed = ["n/a", "", "2024-01-01", "7", "Zed", "3", "1/1/2020"]
    #expect(sorted(mixed) == ["3", "7", "1/1/2020", "2024-01-01", "n/a", "Zed", ""])
    // `:desc` reverses within each kind, never the kinds themselves.
    #expect(
      sorted(mixed, descending: true) == ["7", "3", "2024-01-01", "1/1/2020", "Zed", "n/a", ""])
  }

  @Test func parsesTheOption() throws {
    #expect(try OrderBy.parse("score") == OrderBy(column: "score"))
    #expect(try OrderBy.parse("Score:DESC") == OrderBy(column: "Score", descending: true))
    #expect(try OrderBy.parse("score:asc") == OrderBy(column: "score"))
    #expect(
      try OrderBy.parse("Score: 2024:desc") == OrderBy(column: "Score: 2024", descending: true))
    #expect(try OrderBy.parse("score:desc").description == "score:desc")
    #expect(throws: LeadsheetError.self) { try OrderBy.parse(":desc") }
  }

  @Test func storedWithTheJobButNotItsIdentity() throws {
    let options = JobOptions(orderBy: "score:desc")
    #expect(options.identity == JobOptions().identity)
    let text = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
    #expect(text.contains(#""order_by":"score:desc""#))
    #expect(JobOptions(json: text)?.parsedOrderBy == OrderBy(column: "score", descending: true))
    #expect(JobOptions(json: #"{"types":["email"]}"#)?.orderBy == nil)
  }

  func date(_ iso: String) -> Double? {
    if case .date(let s) = OrderKey(iso) { return s }
    return nil
  }
}
