import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

// Kinds of file from the wild (issue 14), made by `make_xlsx_fixtures.py --wild`:
// XlsxWriter and LibreOffice for the normal ones, Python's zipfile for the odd ones.

/// Reads a fixture as `inspect` and `enrich` do (`SourceOpener.openTable`), to the end.
func openFixture(_ name: String, sheet: String? = nil) throws -> (Table, [[Cell]]) {
  let table = try SourceOpener.openTable(
    path: try xlsxFixture(name), options: IngestOptions(sheet: sheet))
  var rows: [[Cell]] = []
  while let row = try table.next() { rows.append(row.cells) }
  return (table, rows)
}

/// The `LeadsheetError` opening and reading a fixture throws.
func openError(_ name: String, sheet: String? = nil) -> LeadsheetError? {
  do {
    _ = try openFixture(name, sheet: sheet)
    return nil
  } catch let e as LeadsheetError {
    return e
  } catch {
    return LeadsheetError(.usage, "unexpected \(error)")
  }
}

// MARK: 1. Backslashes in ZIP entry names

@Test func backslashEntryNamesInAnyCaseAreRead() throws {
  // `_rels\.rels`, `XL\Workbook.xml`, `xl\Worksheets\Sheet1.xml` (the relationship says
  // `worksheets/sheet1.xml`) and a target written `worksheets\sheet2.xml`.
  let (reader, rows) = try readXLSX("backslash_names")
  #expect(reader.info.sheets == ["Leads", "Second"])
  #expect(rows.map(\.cells) == [["Email"], ["ada@example.com"]])
  #expect(try readXLSX("backslash_names", sheet: "Second").rows.map(\.cells) == [["second"]])
}

@Test func twoEntriesNamingOnePartAreRefusedAsAmbiguous() throws {
  let e = try #require(xlsxError("backslash_ambiguous"))
  #expect(e.code == .malformed)
  #expect(e.message.contains("the workbook is ambiguous"))
  #expect(e.message.contains("'xl/worksheets/sheet1.xml'"))
  #expect(e.message.contains(#"'xl\worksheets\SHEET1.xml'"#))
  #expect(!e.description.contains("\n"))
}

@Test func partNamesFoldCaseAndBackslashes() {
  #expect(ZipArchive.fold(#"XL\Worksheets\Sheet1.xml"#) == "xl/worksheets/sheet1.xml")
  #expect(Workbook.resolvePath(#"worksheets\sheet2.xml"#, from: "xl") == "xl/worksheets/sheet2.xml")
  #expect(Workbook.resolvePath(#"..\media\x.png"#, from: "xl/drawings") == "xl/media/x.png")
}

// MARK: 2. Dialog and macro sheets

@Test func dialogAndMacroSheetsFirstAreSkippedByDefault() throws {
  let (table, rows) = try openFixture("dialog_macro_first")
  #expect(table.info.sheets == ["Dialog1", "Macro1", "Leads"])
  #expect(table.info.sheet == "Leads")
  #expect(table.header == ["Email"])
  #expect(rows == [["ada@example.com"]])
  // Chosen by name, a macro sheet is read (it has cells).
  #expect(try readXLSX("dialog_macro_first", sheet: "Macro1").rows.map(\.cells) == [["macro"]])
}

@Test func aChosenSheetWithoutDataIsNamedWithTheOthers() throws {
  let e = try #require(openError("dialog_macro_first", sheet: "Dialog1"))
  #expect(e.code == .malformed)
  #expect(e.message == "no header row: sheet 'Dialog1' holds no data")
  #expect(e.hint?.contains("the other sheets are 'Macro1', 'Leads'") == true)
  let empty = try #require(openError("empty_sheet"))
  #expect(empty.message == "no header row: sheet 'Empty' holds no data")
  #expect(empty.hint?.contains("'Next'") == true)
}

@Test func sheetKindsComeFromRelationshipTypes() {
  let ms = "http://schemas.microsoft.com/office/2006/relationships"
  let od = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  #expect(Workbook.Kind(relationshipType: "\(od)/worksheet") == .worksheet)
  #expect(Workbook.Kind(relationshipType: "\(od)/chartsheet") == .chart)
  #expect(Workbook.Kind(relationshipType: "\(od)/dialogsheet") == .dialog)
  #expect(Workbook.Kind(relationshipType: "\(ms)/xlMacrosheet") == .macro)
  #expect(Workbook.Kind(relationshipType: "\(ms)/xlIntlMacrosheet") == .macro)
}

// MARK: 3. Number formats in <dxfs>

@Test func dxfNumberFormatsDoNotChangeCellFormats() throws {
  // dxfs redefine 14 as `0.00` and 164 (`dd/mm/yyyy` in numFmts) as `#,##0`.
  let rows = try readXLSX("dxfs_numfmt").rows
  #expect(
    rows.map(\.cells) == [[c("2024-03-01", .date), c("2024-03-02", .date), c("1.5", .number)]])
}

// MARK: 6. OLE2 files

@Test func aRenamedLegacyXLSSaysWhatItIs() throws {
  // LibreOffice's BIFF8 `.xls`, renamed `.xlsx`.
  let path = try xlsxFixture("legacy_renamed")
  let e = try #require(openError("legacy_renamed"))
  #expect(e.code == .unsupported)
  #expect(e.file == path)
  #expect(
    e.description
      == "\(path): an Excel 97–2003 .xls file (open it in Excel or LibreOffice and save as"
      + " .xlsx, or export as CSV)")
}

@Test func anEncryptedXLSXIsToldApartFromALegacyXLS() throws {
  // msoffcrypto-tool's agile encryption of openpyxl_hidden_first.xlsx.
  let e = try #require(openError("encrypted"))
  #expect(e.code == .refused)
  #expect(e.message == "the workbook is encrypted or password-protected")
  let other = try #require(openError("ole2_other"))
  #expect(other.code == .unsupported)
  #expect(other.message.contains("holds no Excel workbook"))
}

@Test func compoundFileDirectoriesAreReadBoundedAndSafely() throws {
  func kind(_ bytes: [UInt8]) -> CompoundFile.Kind {
    CompoundFile.classify(size: Int64(bytes.count)) { offset, count in
      guard offset >= 0, offset <= Int64(bytes.count) else { return nil }
      let start = Int(offset)
      return Array(bytes[start..<min(bytes.count, start + count)])
    }
  }
  let other = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try xlsxFixture("ole2_other"))))
  let legacy = [UInt8](
    try Data(contentsOf: URL(fileURLWithPath: try xlsxFixture("legacy_renamed"))))
  let encrypted = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try xlsxFixture("encrypted"))))
  #expect(kind(other) == .other)
  #expect(kind(legacy) == .legacyWorkbook)
  #expect(kind(encrypted) == .encryptedPackage)
  // The directory chain loops onto itself (FAT entry of sector 1 = 1): read once.
  var loop = other
  loop[512 + 4] = 1
  loop[512 + 5] = 0
  loop[512 + 6] = 0
  loop[512 + 7] = 0
  #expect(kind(loop) == .other)
  // Cut short, a bad sector size, a directory past the end.
  #expect(kind(Array(other[0..<700])) == .unreadable)
  var shift = other
  shift[0x1E] = 20
  #expect(kind(shift) == .unreadable)
  var far = other
  far[0x30] = 0xFF
  far[0x31] = 0xFF
  #expect(kind(far) == .unreadable)
}

// MARK: 7. Damaged XML

@Test func textBeforeTheRootElementSaysTheWorkbookIsDamaged() throws {
  // "Exported by ACME CRM" on line 1, then the XML declaration on line 2.
  let e = try #require(xlsxError("text_before_root"))
  #expect(e.code == .malformed)
  #expect(e.location == .part("xl/worksheets/sheet1.xml"))
  #expect(
    e.message.hasPrefix(
      "the workbook is damaged: invalid XML at line 2: text before the first element"))
  #expect(e.message.contains("[libxml2: "))
  #expect(!e.description.contains("\n"))
  // The workbook part goes through xmlTextReader: the same message, with its line.
  let w = try #require(xlsxError("text_before_workbook"))
  #expect(w.location == .part("xl/workbook.xml"))
  #expect(
    w.message.hasPrefix(
      "the workbook is damaged: invalid XML at line 3: text before the first element"))
}

@Test func libxml2WordsAreExplained() {
  #expect(DamagedXML.explain("Document is empty").hasPrefix("text before the first element"))
  #expect(
    DamagedXML.explain("Extra content at the end of the document") == "text after the last element")
  #expect(DamagedXML.explain("Premature end of data in tag row line 1").contains("truncated"))
  #expect(
    DamagedXML.explain("Opening and ending tag mismatch: c line 1 and row").contains(
      "wrong end tag"))
  let e = DamagedXML.error(
    file: "a.xlsx", part: "xl/x.xml", libxml2: "Document is empty\nBytes: 0x41", line: 2)
  #expect(
    e.description.hasPrefix("a.xlsx: xl/x.xml: the workbook is damaged: invalid XML at line 2: "))
  #expect(e.message.hasSuffix("[libxml2: Document is empty]"))
}

// MARK: 9. Beyond Excel's grid

@Test func sheetsBeyondExcelsGridAreRefusedAtOnce() throws {
  for (name, what) in [
    ("beyond_dimension", "A1:B2000000"), ("beyond_dimension_columns", "A1:XFE3"),
  ] {
    let reader = try XLSXReader(path: try xlsxFixture(name), options: IngestOptions())
    // Refused at the dimension, before the first row.
    let e = try #require(throws: LeadsheetError.self) { try reader.next() }
    #expect(e.code == .refused)
    #expect(e.location == .part("xl/worksheets/sheet1.xml"))
    #expect(e.message.contains("says it spans \(what), beyond Excel's 1,048,576 rows"))
  }
  // A row number past the last row: refused (rows parsed in the same piece of XML
  // before it are not handed out: the whole sheet is refused).
  let reader = try XLSXReader(path: try xlsxFixture("beyond_row"), options: IngestOptions())
  let e = try #require(throws: LeadsheetError.self) { try reader.next() }
  #expect(e.code == .refused)
  #expect(e.location == .row(sheet: "Big", row: 1_048_577))
  #expect(e.message.hasPrefix("row 1048577 is beyond Excel's"))
  // A cell reference past XFD, even without a value.
  let cell = try #require(xlsxError("beyond_cell_reference"))
  #expect(cell.code == .refused)
  #expect(cell.location == .cell(sheet: "Big", reference: "XFE1"))
  #expect(cell.message.hasPrefix("the cell is beyond Excel's"))
}

@Test func rowsWithoutNumbersPastExcelsLastRowAreRefused() throws {
  // 1,048,577 `<row>` elements without `r` (the 2 GiB sheet of repeated rows, small).
  let reader = try XLSXReader(path: try xlsxFixture("beyond_row_count"), options: IngestOptions())
  var count = 0
  let e = try #require(throws: LeadsheetError.self) {
    while try reader.next() != nil { count += 1 }
  }
  #expect(count > 1_040_000 && count <= 1_048_576)
  #expect(e.code == .refused)
  #expect(e.message.hasPrefix("row 1048577 is beyond Excel's"))
}

@Test func referencesParseRowsAndColumns() {
  func ref(_ s: String) -> (Int?, Int?) {
    Array(s.utf8).withUnsafeBufferPointer { (SheetReader.column($0), SheetReader.row($0)) }
  }
  #expect(ref("B12") == (1, 12))
  #expect(ref("XFD1048576") == (16_383, 1_048_576))
  #expect(ref("XFE1") == (16_384, 1))
  #expect(ref("ABCDE7") == (16_384, 7))
  #expect(ref("A99999999999999999999") == (0, 1_048_577))
  #expect(ref("A") == (0, nil))
}

// MARK: 10. A time of day under a date-only format

@Test func aTimeHiddenByADateFormatIsKeptBesideTheDate() throws {
  // XlsxWriter: 2024-03-01 09:30 as yyyy-mm-dd, 18:45:30.250 as built-in 14,
  // 1999-12-31 00:00:01 as dd/mm/yyyy, a midnight, 23:59:59.700, and a date-time format.
  let (reader, rows) = try readXLSX("hidden_time")
  let cells = rows[1].cells
  #expect(
    cells.map(\.text) == [
      "2024-03-01", "2024-03-01", "1999-12-31", "2024-03-01", "2024-03-01", "2024-03-01T09:30:00",
    ])
  #expect(cells.map(\.kind) == Array(repeating: .date, count: 6))
  #expect(cells.map(\.hiddenTime) == [34_200_000, 67_530_250, 1_000, 0, 86_399_700, 0])
  let warning = try #require(reader.warnings.first { $0.kind == "date-hides-time" })
  #expect(warning.count == 4)
  #expect(warning.firstLocation == "Dates!A2")
}

@Test func hiddenTimeIsTheFractionToTheMillisecond() {
  #expect(NumberRendering.hiddenTime(45352.39583333334, style: .date) == 34_200_000)
  #expect(NumberRendering.hiddenTime(45352.39583333334, style: .dateTime) == 0)
  #expect(NumberRendering.hiddenTime(45352, style: .date) == 0)
  #expect(NumberRendering.hiddenTime(-1, style: .date) == 0)
  // Within half a millisecond of midnight: the next day, nothing hidden.
  #expect(NumberRendering.hiddenTime(45352.999999999, style: .date) == 0)
  #expect(NumberRendering.date(45352.999999999, style: .date, date1904: false) == "2024-03-02")
  #expect(NumberRendering.date(45352.99999652777, style: .date, date1904: false) == "2024-03-01")
  #expect(MemoryLayout<Cell>.stride == 24)
}
