import Foundation
import Ingest
import LeadsheetCore
import Testing

// Fixtures come from Fixtures/make_xlsx_fixtures.py (openpyxl, XlsxWriter,
// LibreOffice and hand-crafted files).

func xlsxFixture(_ name: String) throws -> String {
  try #require(
    Bundle.module.url(forResource: name, withExtension: "xlsx", subdirectory: "Fixtures")
  )
  .path
}

func readXLSX(
  _ name: String, sheet: String? = nil, limits: IngestLimits = IngestLimits()
) throws -> (reader: XLSXReader, rows: [SourceRow]) {
  let reader = try XLSXReader(
    path: try xlsxFixture(name), options: IngestOptions(sheet: sheet, limits: limits))
  var rows: [SourceRow] = []
  while let row = try reader.next() { rows.append(row) }
  return (reader, rows)
}

func xlsxError(_ name: String, sheet: String? = nil, limits: IngestLimits = IngestLimits())
  -> LeadsheetError?
{
  do {
    _ = try readXLSX(name, sheet: sheet, limits: limits)
    return nil
  } catch let e as LeadsheetError {
    return e
  } catch {
    return LeadsheetError(.usage, "unexpected \(error)")
  }
}

func c(_ text: String, _ kind: Cell.Kind) -> Cell { Cell(text, kind: kind) }

// MARK: Real writers

@Test func openpyxlValuesAreRenderedAsUsersSeeThem() throws {
  let (reader, rows) = try readXLSX("openpyxl_basic")
  #expect(reader.info.format == .xlsx)
  #expect(reader.info.sheets == ["Leads"])
  #expect(reader.info.sheet == "Leads")
  #expect(rows.map(\.number) == [1, 2, 3, 4, 6])
  #expect(
    rows[0].cells.map(\.text)
      == ["First", "Last", "Phone", "Id", "Score", "Active", "Signed up", "Call at", "Meet"])
  #expect(
    rows[1].cells == [
      "Ada", "Lovelace", c("33612345678", .number), c("123456789012345", .number),
      c("0.1", .number), c("TRUE", .boolean), c("2024-03-01", .date),
      c("2024-03-01T09:30:00", .date), c("09:30:00", .date),
    ])
  #expect(
    rows[2].cells == [
      "Alan", "Turing", c("33700000000", .number), c("1", .number), c("2.5", .number),
      c("FALSE", .boolean), c("1900-01-01", .date), c("1999-12-31T23:59:59", .date),
      c("00:00:01", .date),
    ])
  // Rich text runs are concatenated; "=1+2" has no cached value (openpyxl computes nothing).
  #expect(rows[3].cells == ["Grace Hopper", .empty, .empty, .empty, c("-3.75", .number)])
  #expect(rows[4].cells == ["after a gap", .empty, .empty, .empty, c("0.0000001", .number)])
  #expect(reader.warnings.map(\.kind) == ["formula-without-value"])
  #expect(reader.warnings.first?.count == 1)
  #expect(reader.warnings.first?.firstLocation == "Leads!D4")
}

@Test func xlsxWriterValuesFormulasErrorsAndFormats() throws {
  let (reader, rows) = try readXLSX("xlsxwriter_basic")
  #expect(reader.info.sheet == "Contacts")
  #expect(rows.map(\.number) == [1, 2, 3])
  #expect(
    rows[1].cells == [
      "Ada Lovelace", c("33612345678", .number), c("3", .number), c("TRUE", .boolean),
      c("#DIV/0!", .error), c("2024-03-01", .date), c("2024-03-01T09:30:00", .date),
      c("36:30:00", .date), c("1234.5", .number), c("12345.678", .number),
    ])
  #expect(
    rows[2].cells == [
      "  spaced  ", c("123456789012345", .number), "xy", c("FALSE", .boolean),
    ])
  #expect(reader.warnings.isEmpty)
}

@Test func xlsxWriter1904DateSystem() throws {
  let (_, rows) = try readXLSX("xlsxwriter_1904")
  #expect(rows.map { $0.cells } == [["When"], [c("2024-03-01", .date)], [c("1904-01-01", .date)]])
}

@Test func xlsxWriterConstantMemoryInlineStrings() throws {
  let (_, rows) = try readXLSX("xlsxwriter_inline")
  #expect(
    rows.map(\.cells) == [
      ["Name", "Count"], ["inline text", c("42", .number)], ["second", c("7", .number)],
    ])
}

@Test func libreOfficeExport() throws {
  let (reader, rows) = try readXLSX("libreoffice_basic")
  #expect(reader.info.sheets == ["Feuille1", "Second"])
  #expect(reader.info.sheet == "Feuille1")
  #expect(rows.map(\.number) == [1, 2, 6])
  #expect(rows[0].cells.map(\.text) == ["Name", "Phone", "Joined", "Ratio", "Sum", "Flag"])
  #expect(
    rows[1].cells == [
      "Zoë Ångström", c("33612345678", .number), c("2024-03-01", .date), c("0.125", .number),
      c("33612345679", .number), c("TRUE", .boolean),
    ])
  #expect(rows[2].cells == ["after blanks", .empty, .empty, c("-0.5", .number)])
  let second = try readXLSX("libreoffice_basic", sheet: "2").rows
  #expect(second.map(\.cells) == [["two"]])
}

// MARK: Cells

@Test func handmadeCellsCoverEveryCellType() throws {
  let (reader, rows) = try readXLSX("handmade_cells")
  #expect(rows.map(\.number) == [1, 2, 3, 5, 6, 7, 8, 9, 20])
  var byRow: [Int: [Cell]] = [:]
  for r in rows { byRow[r.number] = r.cells }
  // Shared strings: plain, rich runs with phonetic run ignored, _x000D_ escape.
  #expect(byRow[1] == ["Name", "Email", "Rich text", "Line\r\ntwo"])
  // Inline string with xml:space, t="str", booleans, errors; cells without r.
  #expect(
    byRow[2] == [
      " inline ", "ab", c("TRUE", .boolean), c("FALSE", .boolean), c("#DIV/0!", .error),
      c("#N/A", .error),
    ])
  // Row without r follows row 2; formula cached value; sparse columns; big integers.
  #expect(
    byRow[3] == [
      c("3", .number), .empty, .empty, c("33612345678", .number), .empty,
      c("123456789012345", .number),
    ])
  // <v/> with t="s" is empty (not string 0); empty <si/> counts; formatted empty cell trimmed.
  #expect(byRow[5] == [.empty, .empty, "  padded  "])
  #expect(
    byRow[6] == [
      c("0.30000000000000004", .number), c("2.1", .number), c("0.001", .number),
      c("0", .number), c("1e+21", .number), c("7", .number),
    ])
  #expect(
    byRow[7] == [
      c("2024-03-01", .date), c("2024-03-01T09:30:00", .date), c("09:30:00", .date),
      c("36:30:00", .date), c("12345.678", .number), c("42", .number), c("2024-03-01", .date),
      c("60:00:00", .date),
    ])
  // Lotus 1900-02-29, days around it, a negative serial stays a number.
  #expect(
    byRow[8] == [
      c("1900-02-29", .date), c("1900-02-28", .date), c("1900-03-01", .date),
      c("1900-01-01", .date), c("-1", .number), c("2024-03-01T12:00:00", .date),
    ])
  #expect(
    byRow[9] == [
      c("2024-03-01T09:30:00", .date), c("2024-03-01", .date), "rich inline", "東京",
    ])
  #expect(byRow[20] == [.empty, "Email"])
  #expect(reader.warnings.first?.kind == "formula-without-value")
  #expect(reader.warnings.first?.firstLocation == "Cells!A10")
}

@Test func handmade1904Dates() throws {
  let (_, rows) = try readXLSX("handmade_1904")
  #expect(
    rows.map(\.cells) == [
      [c("1904-01-01", .date), c("2024-03-01", .date), c("2024-03-01T12:00:00", .date)]
    ])
}

@Test func aSharedStringReferencedByManyCellsSharesItsStorage() throws {
  let (_, rows) = try readXLSX("shared_many")
  #expect(rows.count == 1000)
  let cells = rows.flatMap(\.cells)
  #expect(cells.count == 2000)
  var text = cells[0].text
  let first = text.withUTF8 { UInt(bitPattern: $0.baseAddress) }
  #expect(
    cells.allSatisfy { cell in
      var t = cell.text
      return t.withUTF8 { UInt(bitPattern: $0.baseAddress) } == first
    })
}

// MARK: Namespaces, ZIP variants

@Test func strictNamespacesReadLikeTransitional() throws {
  let strict = try readXLSX("strict_openpyxl").rows
  let transitional = try readXLSX("openpyxl_basic").rows
  #expect(strict == transitional)
  let prefixed = try readXLSX("strict_prefixed").rows
  #expect(prefixed.map(\.cells) == [["prefixed", c("5", .number)]])
}

@Test func zip64RecordsDataDescriptorsAndStoredEntries() throws {
  #expect(try readXLSX("zip64_descriptors").rows == readXLSX("xlsxwriter_inline").rows)
  #expect(try readXLSX("stored").rows.map(\.cells) == [["x"]])
}

// MARK: Sheet choice

@Test func defaultSheetIsTheFirstVisibleOne() throws {
  let (reader, rows) = try readXLSX("openpyxl_hidden_first")
  #expect(reader.info.sheets == ["Config", "Leads", "Very"])
  #expect(reader.info.sheet == "Leads")
  #expect(rows.map(\.cells) == [["Email"], ["ada@example.com"]])
  let hand = try readXLSX("handmade_hidden")
  #expect(hand.reader.info.sheet == "Shown")
  #expect(hand.rows.map(\.cells) == [["shown"]])
}

@Test func sheetByNameIndexOrCaseInsensitiveName() throws {
  #expect(try readXLSX("openpyxl_hidden_first", sheet: "Config").rows.map(\.cells) == [["secret"]])
  #expect(try readXLSX("openpyxl_hidden_first", sheet: "1").rows.map(\.cells) == [["secret"]])
  #expect(
    try readXLSX("openpyxl_hidden_first", sheet: "very").rows.map(\.cells) == [["very hidden"]])
  #expect(try readXLSX("openpyxl_hidden_first", sheet: "3").reader.info.sheet == "Very")
}

@Test func unknownSheetListsTheSheets() throws {
  for wanted in ["Nope", "0", "4"] {
    let e = try #require(xlsxError("openpyxl_hidden_first", sheet: wanted))
    #expect(e.code == .notFound)
    #expect(e.description.contains("no sheet named '\(wanted)'"))
    #expect(e.description.contains("'Config', 'Leads', 'Very'"))
  }
}

// MARK: Hostile and broken files

@Test(arguments: [
  ("xxe_sheet", "xl/worksheets/sheet1.xml"), ("laughs_sheet", "xl/worksheets/sheet1.xml"),
  ("xxe_sst", "xl/sharedStrings.xml"), ("laughs_sst", "xl/sharedStrings.xml"),
  ("doctype_workbook", "xl/workbook.xml"), ("doctype_styles", "xl/styles.xml"),
])
func doctypeAndEntitiesAreRefused(name: String, part: String) throws {
  let e = try #require(xlsxError(name))
  #expect(e.code == .refused)
  #expect(e.location == .part(part))
  #expect(e.message.contains("contains a DOCTYPE/entity declaration; refused for safety"))
  #expect(!e.description.contains("root:"))
}

@Test func zipBombsAreRefused() throws {
  let honest = try #require(xlsxError("zip_bomb"))
  #expect(honest.code == .refused)
  #expect(honest.location == .part("xl/worksheets/sheet1.xml"))
  #expect(honest.message.contains("ZIP bomb"))
  let lying = try #require(xlsxError("zip_bomb_lying"))
  #expect(lying.code == .refused)
  #expect(lying.message.contains("beyond the 2000 bytes its header declares"))
  // The total inflated size is counted too.
  var small = IngestLimits()
  small.maxUncompressedBytes = 3_000
  let total = try #require(xlsxError("openpyxl_basic", limits: small))
  #expect(total.code == .refused)
  #expect(total.message.contains("more than 3000 bytes"))
  var dense = IngestLimits()
  dense.maxCompressionRatio = 2
  #expect(xlsxError("shared_many", limits: dense)?.code == .refused)
}

@Test func cellsPastExcelsLimitAreReadUpToTheByteGuard() throws {
  // 40,000 characters inline, 100,000 in the shared-string table: read whole.
  let inline = try readXLSX("long_cell")
  #expect(inline.rows[0].cells[0].text == String(repeating: "a", count: 40_000))
  let shared = try readXLSX("long_shared")
  let note = String(String(repeating: "Long note é😀 ", count: 8_334).prefix(100_000))
  #expect(shared.rows.map { $0.cells.map(\.text) } == [["Name", "Notes"], ["Ada", note]])
}

@Test func overlongCellsAreRefusedWithTheirReference() throws {
  var limits = IngestLimits()
  limits.maxCellBytes = 30_000
  let e = try #require(xlsxError("long_cell", limits: limits))
  #expect(e.code == .refused)
  #expect(e.location == .cell(sheet: "S", reference: "A1"))
  #expect(e.message.contains("longer than 30000 bytes"))
  let sst = try #require(xlsxError("long_shared", limits: limits))
  #expect(sst.location == .part("xl/sharedStrings.xml"))
  limits.maxCellBytes = 50
  let shared = try #require(xlsxError("shared_many", limits: limits))
  #expect(shared.code == .refused)
  #expect(shared.location == .part("xl/sharedStrings.xml"))
  limits = IngestLimits()
  limits.maxColumns = 3
  let wide = try #require(xlsxError("handmade_cells", limits: limits))
  #expect(wide.code == .refused)
  #expect(wide.location == .cell(sheet: "Cells", reference: "D1"))
  // Valueless formatted cells beyond the limit (the stray XFD1048576) do not count.
  limits.maxColumns = 8
  #expect(xlsxError("handmade_cells", limits: limits) == nil)
}

@Test func brokenFilesGiveOneLineErrors() throws {
  let cases: [(String, LeadsheetError.Code, String)] = [
    ("truncated", .malformed, "no end of central directory"),
    ("text", .malformed, "no end of central directory"),
    ("no_workbook", .malformed, "no xl/workbook.xml inside the ZIP"),
    ("corrupt_deflate", .malformed, "corrupt compressed data"),
  ]
  for (name, code, text) in cases {
    let e = try #require(xlsxError(name), "\(name)")
    #expect(e.code == code, "\(name)")
    #expect(e.description.contains(text), "\(name): \(e)")
    #expect(e.description.contains("\(name).xlsx"), "\(name)")
    #expect(!e.description.contains("\n"), "\(name)")
  }
}

@Test func sourceOpenerReadsXLSXThroughTable() throws {
  let table = try SourceOpener.openTable(path: try xlsxFixture("openpyxl_hidden_first"))
  #expect(table.header == ["Email"])
  #expect(try table.next()?.cells == ["ada@example.com"])
  #expect(try table.next() == nil)
}

@Test func malformedSheetXMLNamesThePart() throws {
  let e = try #require(xlsxError("malformed_sheet"))
  #expect(e.code == .malformed)
  #expect(e.location == .part("xl/worksheets/sheet1.xml"))
  #expect(e.message.hasPrefix("the workbook is damaged: invalid XML at line "))
  #expect(!e.description.contains("\n"))
}

@Test func sharedStringIndexOutOfRangeNamesTheCell() throws {
  let e = try #require(xlsxError("bad_shared_index"))
  #expect(e.code == .malformed)
  #expect(e.location == .cell(sheet: "S", reference: "B1"))
  #expect(e.message.contains("shared string 99, but the workbook has 1"))
}

@Test func anEmptySheetHasNoRows() throws {
  let (reader, rows) = try readXLSX("empty_sheet")
  #expect(reader.info.sheet == "Empty")
  #expect(rows.isEmpty)
  #expect(try readXLSX("empty_sheet", sheet: "Next").rows.map(\.cells) == [["x"]])
}

@Test func sourceOpenerRefusesTextNamedXLSX() throws {
  do {
    _ = try SourceOpener.openTable(path: try xlsxFixture("text"))
    Issue.record("no error")
  } catch let e as LeadsheetError {
    #expect(e.code == .malformed)
    #expect(e.message.contains("no ZIP signature"))
  }
}
