import Foundation
import Ingest
import LeadsheetCore
import Output
import Testing

/// Writing a list with `Output` and reading it back with `Ingest` gives back the same cells:
/// for the Samples and for fixtures with the text real lists hold.
@Suite("Round trips through leadsheet's own writer and reader")
struct RoundTripTests {
  /// The repository's `Samples/` folder.
  static let samples = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples")

  static func temp(_ name: String) -> String {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("roundtrip-\(UUID().uuidString.prefix(8))-\(name)").path
  }

  /// Reads every data row of `path` with leadsheet's reader.
  static func read(_ path: String) throws -> (header: [String], rows: [[Cell]], info: SourceInfo) {
    let table = try SourceOpener.openTable(path: path)
    var rows: [[Cell]] = []
    while let row = try table.next() { rows.append(row.cells) }
    return (table.rawHeader, rows, table.info)
  }

  /// Writes `rows` (with a `found` result each) to `format`, reads the file back, and
  /// returns what came back: the original columns, and the appended ones.
  static func writeAndRead(
    header: [String], rows: [[Cell]], info: SourceInfo, format: SourceFormat
  ) throws -> (original: [[Cell]], appended: [[String]], info: SourceInfo) {
    let path = temp("out.\(format.rawValue)")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let writer = try OutputWriters.open(
      path: path, inputPath: nil, header: header, requested: [.email, .phone],
      options: OutputOptions(matching: info, format: format))
    for (i, cells) in rows.enumerated() {
      try writer.append(
        cells: cells,
        result: RowResult(
          status: .found, email: "p\(i)@example.com", emailStatus: "valid",
          phones: ["+33612345678", "+14155550100"], phoneStatus: "valid"))
    }
    _ = try writer.finish()
    let back = try read(path)
    #expect(Array(back.header.prefix(header.count)) == header)
    return (
      back.rows.map { Array($0.prefix(header.count)) },
      back.rows.map { $0.dropFirst(header.count).map(\.text) }, back.info
    )
  }

  @Test(
    "Samples come back cell for cell, in their own format and in the other",
    arguments: ["sales-navigator.csv", "prospects-fr.csv", "hubspot-contacts.xlsx"],
    [SourceFormat.csv, .xlsx])
  func samples(name: String, format: SourceFormat) throws {
    let input = try Self.read(Self.samples.appendingPathComponent(name).path)
    #expect(input.rows.count > 50)
    let back = try Self.writeAndRead(
      header: input.header, rows: input.rows, info: input.info, format: format)
    #expect(back.original.count == input.rows.count)
    for (a, b) in zip(input.rows, back.original) {
      if format == .xlsx || input.info.format == .csv {
        // Same kinds (numbers stay numbers, dates dates) unless XLSX went through CSV text.
        #expect(a == b)
      } else {
        #expect(a.map(\.text) == b.map(\.text))
      }
    }
    #expect(
      back.appended.allSatisfy { $0[0].hasPrefix("p") && $0[2] == "+33612345678; +14155550100" })
    if format == .csv && input.info.format == .csv {
      #expect(back.info.delimiter == input.info.delimiter)
    }
  }

  /// Text real lists hold: accents, CJK, emoji, line breaks, quotes, long cells,
  /// formula-like text, dates, large integers and decimals.
  static let awkward: [[Cell]] = [
    ["Zoë", "Brun-Picard", "Société Générale, Paris", "=HYPERLINK(\"x\")"],
    ["山田", "太郎", "株式会社テスト", "@SUM(A1)"],
    ["Ana 🚀", "O'Connor \"Jr\"", "Line one\nline two\r\nline three", "+33 6 12"],
    ["  padded  ", "", Cell(String(repeating: "long ", count: 6_000)), "-10"],
    [
      Cell("33612345678", kind: .number), Cell("123456789012345", kind: .number),
      Cell("0.1", kind: .number), Cell("-0.00000025", kind: .number),
    ],
    [
      Cell("2024-03-01", kind: .date), Cell("2024-03-01T09:30:00", kind: .date),
      Cell("TRUE", kind: .boolean), Cell("#N/A", kind: .error),
    ],
  ]

  @Test("awkward text comes back exactly, in CSV and XLSX", arguments: [SourceFormat.csv, .xlsx])
  func awkwardText(format: SourceFormat) throws {
    let header = ["First", "Last", "Company", "Note"]
    let info = SourceInfo(format: format, encoding: "utf-8", delimiter: ",")
    let back = try Self.writeAndRead(header: header, rows: Self.awkward, info: info, format: format)
    #expect(back.original.count == Self.awkward.count)
    for (a, b) in zip(Self.awkward, back.original) {
      if format == .xlsx {
        #expect(a == b)
      } else {
        #expect(a.map(\.text) == b.map(\.text))
      }
    }
  }

  @Test(
    "a time hidden by a date-only format stays in XLSX output, the date alone in CSV",
    arguments: [SourceFormat.csv, .xlsx])
  func hiddenTime(format: SourceFormat) throws {
    // XlsxWriter's dates with a time under yyyy-mm-dd (Ingest's fixtures, issue 14 #10).
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("IngestTests/Fixtures/hidden_time.xlsx")
    let input = try Self.read(fixture.path)
    #expect(input.rows[0].map(\.hiddenTime) == [34_200_000, 67_530_250, 1_000, 0, 86_399_700, 0])
    let back = try Self.writeAndRead(
      header: input.header, rows: input.rows, info: input.info, format: format)
    #expect(back.original[0].map(\.text) == input.rows[0].map(\.text))
    if format == .xlsx {
      // The serial keeps the time under the date style: read again, the same cells.
      #expect(back.original == input.rows)
    } else {
      #expect(back.original[0].map(\.hiddenTime) == [0, 0, 0, 0, 0, 0])
    }
  }
}
