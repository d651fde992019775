import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct CellCodingTests {
  static let awkward: [Cell] = [
    Cell("Zoë Ångström-Müller"), Cell("北京市朝阳区"), Cell("👩🏽‍💻 dev 🇫🇷"),
    Cell("line one\nline two\r\nline three"), Cell(""), Cell("  "), Cell("nul\u{0}inside"),
    Cell(String(repeating: "é", count: 40_000)), Cell("42.5", kind: .number),
    Cell("2024-03-01", kind: .date), Cell("TRUE", kind: .boolean), Cell("#N/A", kind: .error),
    Cell("e\u{301}"),  // decomposed: must not be normalised
  ]

  @Test func roundTripsExactly() throws {
    let bytes = CellCoding.encode(Self.awkward)
    let back = try CellCoding.decode(bytes)
    #expect(back == Self.awkward)
    for (a, b) in zip(back, Self.awkward) {
      #expect(Array(a.text.utf8) == Array(b.text.utf8))
    }
  }

  @Test func emptyAndCompact() throws {
    #expect(CellCoding.encode([]) == [1])
    #expect(try CellCoding.decode([1]) == [])
    #expect(CellCoding.encode([Cell("ab")]) == [1, 0, 2, 97, 98])
    #expect(try CellCoding.decode([1, 0, 0]) == [Cell("")])
  }

  @Test func hiddenTimeRoundTripsAndOldRowsReadTheSame() throws {
    let cells = [
      Cell("2024-03-01", kind: .date, hiddenTime: 34_200_000), Cell("2024-03-01", kind: .date),
      Cell("x"), Cell("1999-12-31", kind: .date, hiddenTime: 86_399_999),
    ]
    let bytes = CellCoding.encode(cells)
    #expect(try CellCoding.decode(bytes) == cells)
    #expect(try CellCoding.decode(bytes).map(\.hiddenTime) == [34_200_000, 0, 0, 86_399_999])
    // Bit 7 of the kind byte, then the varint (1000 = E8 07), then length and text.
    #expect(
      CellCoding.encode([Cell("d", kind: .date, hiddenTime: 1000)]) == [
        1, 0x82, 0xE8, 0x07, 1, 100,
      ])
    // A row without hidden times is encoded as before.
    #expect(CellCoding.encode([Cell("d", kind: .date)]) == [1, 2, 1, 100])
    // Out of range or cut short.
    #expect(throws: LeadsheetError.self) { try CellCoding.decode([1, 0x82, 0, 1, 100]) }
    #expect(throws: LeadsheetError.self) {
      try CellCoding.decode([1, 0x82, 0x80, 0xB8, 0x99, 0x29, 1, 100])
    }
    #expect(throws: LeadsheetError.self) { try CellCoding.decode([1, 0x82, 0xE8]) }
  }

  @Test func refusesCorruptBytes() {
    #expect(throws: LeadsheetError.self) { try CellCoding.decode([]) }
    #expect(throws: LeadsheetError.self) { try CellCoding.decode([2]) }
    #expect(throws: LeadsheetError.self) { try CellCoding.decode([1, 9, 0]) }
    #expect(throws: LeadsheetError.self) { try CellCoding.decode([1, 0, 5, 97]) }
    #expect(throws: LeadsheetError.self) { try CellCoding.decode([1, 0, 0x80]) }
  }

  @Test func roundTripsThroughTheDatabase() throws {
    try withStore { store, _ throws in
      let job = try makeJob(
        store,
        rows: [
          IngestRow(line: 2, cells: Self.awkward, plan: .skipped(reason: "has email")),
          IngestRow(line: 9, cells: [], plan: .invalid(code: "empty", message: "empty row")),
        ])
      var rows: [JobRow] = []
      try store.forEachRow(job: job.id) { rows.append($0) }
      #expect(rows.count == 2)
      #expect(rows[0].cells == Self.awkward)
      #expect(rows[0].line == 2)
      #expect(rows[1].cells == [])
      #expect(rows[1].line == 9)
    }
  }
}
