import LeadsheetCore
import Testing

@Test func columnLetters() {
  #expect(SourceLocation.columnLetters(0) == "A")
  #expect(SourceLocation.columnLetters(25) == "Z")
  #expect(SourceLocation.columnLetters(26) == "AA")
  #expect(SourceLocation.columnLetters(27) == "AB")
  #expect(SourceLocation.columnLetters(701) == "ZZ")
  #expect(SourceLocation.columnLetters(702) == "AAA")
  #expect(SourceLocation.columnLetters(16_383) == "XFD")
}

@Test func errorRendersOnOneLineWithPlace() {
  let e = LeadsheetError(
    .malformed, file: "leads.csv", location: .line(1204), "unbalanced quote", hint: "fix it")
  #expect(e.description == "leads.csv:1204: unbalanced quote (fix it)")
  let x = LeadsheetError(
    .refused, file: "leads.xlsx", location: .cell(sheet: "Sheet1", reference: "C12"), "too long")
  #expect(x.description == "leads.xlsx: Sheet1!C12: too long")
}

@Test func enrichmentTypeListParsing() throws {
  #expect(try EnrichmentType.parseList("phone, email") == [.email, .phone])
  #expect(try EnrichmentType.parseList("personal-email") == [.personalEmail])
  #expect(throws: LeadsheetError.self) { try EnrichmentType.parseList("fax") }
}

@Test func blankCells() {
  #expect(Cell("").isBlank)
  #expect(Cell(" \t\r\n").isBlank)
  #expect(Cell("\u{00A0}\u{2003}").isBlank)  // no-break and em spaces
  #expect(!Cell(" a").isBlank)
  #expect(!Cell("é").isBlank)
  #expect(!Cell("\u{00A0}x").isBlank)
}
