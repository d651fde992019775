import Foundation
import LeadsheetCore
import Testing

@testable import Output

/// Prints every cell as [value, openpyxl data_type, number_format, Python type] plus sheet facts.
private let openpyxlDump = """
  import json, sys, zipfile, datetime
  import openpyxl
  path = sys.argv[1]
  z = zipfile.ZipFile(path)
  assert z.testzip() is None
  wb = openpyxl.load_workbook(path)
  ws = wb.worksheets[0]
  def v(x):
      if isinstance(x, (datetime.datetime, datetime.date, datetime.time)): return x.isoformat()
      return x
  rows = [[[v(c.value), c.data_type, c.number_format, type(c.value).__name__] for c in r]
          for r in ws.iter_rows()]
  print(json.dumps({
      "title": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
      "bold": [c.font.b for c in ws[1]], "rows": rows,
      "workbook": z.read("xl/workbook.xml").decode(),
      "sheet_head": z.read("xl/worksheets/sheet1.xml")[:2000].decode(),
      "names": sorted(z.namelist())}))
  """

private func dump(_ path: String) throws -> [String: Any] {
  try #require(try Support.json(try Support.python(openpyxlDump, [path])) as? [String: Any])
}

@Test(.enabled(if: Support.hasOpenpyxl, "openpyxl is not installed (pip install openpyxl)"))
func xlsxValuesAndTypesThroughOpenpyxl() throws {
  let dir = try Support.temporaryFolder()
  let (path, columns, summary) = try XLSXFixture.write(in: dir)
  let d = try dump(path)
  let rows = try #require(d["rows"] as? [[[Any]]])
  #expect(rows.count == 5)
  func cell(_ r: Int, _ c: Int) -> (value: Any, type: String, format: String, py: String) {
    let x = rows[r][c]
    return (x[0], x[1] as! String, x[2] as! String, x[3] as! String)
  }
  // Header: the input's names then the appended ones, all text.
  #expect(rows[0].map { $0[0] as? String } == (XLSXFixture.header + columns.names).map { $0 })
  // Row 2: typed values.
  #expect(cell(1, 0).value as? String == "Zoë <&> \"Ångström\"")
  #expect(cell(1, 1).py == "int" && cell(1, 1).value as? Int == 42)
  #expect(cell(1, 2).py == "float" && cell(1, 2).value as? Double == 1234.5)
  #expect(cell(1, 3).py == "datetime" && cell(1, 3).value as? String == "2024-03-01T00:00:00")
  #expect(cell(1, 3).format == "yyyy\\-mm\\-dd")
  #expect(cell(1, 4).py == "datetime" && cell(1, 4).value as? String == "2024-03-01T09:30:00")
  #expect(cell(1, 5).py == "time" && cell(1, 5).value as? String == "09:30:00")
  #expect(cell(1, 6).py == "bool" && cell(1, 6).value as? Bool == true)
  #expect(cell(1, 7).type == "e" && cell(1, 7).value as? String == "#N/A")
  #expect(cell(1, 8).value as? String == "  spaced  ")
  // Appended columns are text, phone numbers included.
  let phones = 9 + columns.fields.firstIndex(of: .phones)!
  #expect(cell(1, phones).py == "str")
  #expect(cell(1, phones).value as? String == "+33612345678; +14155550100")
  #expect(cell(2, phones).value as? String == "+33612345678")
  #expect(cell(1, 9).value as? String == "zoe@acme.com")
  // Row 3: CJK, emoji, numbers in exponent form, dates around 1900's phantom day, line breaks.
  #expect(cell(2, 0).value as? String == "李小龙 🎉")
  #expect(cell(2, 1).value as? Double == -1.5e-7)
  #expect(cell(2, 2).value as? Double == 1e20)
  #expect(cell(2, 3).value as? String == "1900-01-01T00:00:00")
  #expect(cell(2, 4).value as? String == "1900-03-01T00:00:00")
  #expect(cell(2, 5).value as? String == "23:59:59")
  #expect(cell(2, 6).value as? Bool == false)
  #expect(cell(2, 7).value as? String == "#DIV/0!")
  #expect(cell(2, 8).value as? String == "line1\nline2\r\nline3")
  // Row 4: what does not fit its kind is text; nothing is ever a formula.
  #expect(cell(3, 0).value as? String == "ctrlchar")
  #expect(cell(3, 1).py == "str" && cell(3, 1).value as? String == "not-a-number")
  #expect(cell(3, 2).py == "int" && cell(3, 2).value as? Int == 0)
  #expect(cell(3, 3).value as? String == "1850-01-01")
  #expect(cell(3, 4).value as? String == "garbage")
  #expect(cell(3, 5).type == "s" && cell(3, 5).value as? String == "=1+1")
  #expect(cell(3, 6).value as? String == "maybe")
  #expect(cell(3, 7).type == "s" && cell(3, 7).value as? String == "#WHAT")
  #expect((cell(3, 8).value as? String)?.count == 32_767)
  let message = 9 + columns.fields.firstIndex(of: .message)!
  #expect(cell(3, message).type == "s")
  #expect(cell(3, message).value as? String == "=HYPERLINK(\"http://evil\",\"x\")")
  // Row 5: empty input cells are absent; the status is there.
  let status = 9 + columns.fields.firstIndex(of: .status)!
  #expect(rows[4][0][0] is NSNull)
  #expect(cell(4, status).value as? String == "pending")
  // Counted, not silent.
  #expect(summary.truncatedCells == 1 && summary.firstTruncatedCell == "I4")
  #expect(summary.strippedCells == 1 && summary.firstStrippedCell == "A4")
  #expect(summary.rows == 4)
  #expect(summary.warnings.count == 2)
}

@Test(.enabled(if: Support.hasOpenpyxl, "openpyxl is not installed (pip install openpyxl)"))
func xlsxFrozenHeaderBoldAndAutofilter() throws {
  let dir = try Support.temporaryFolder()
  let (path, columns, _) = try XLSXFixture.write(in: dir)
  let d = try dump(path)
  let last = SourceLocation.columnLetters(XLSXFixture.header.count + columns.count - 1)
  #expect(d["title"] as? String == "Leads")
  #expect(d["freeze"] as? String == "A2")
  #expect(d["filter"] as? String == "A1:\(last)5")
  #expect((d["bold"] as? [Bool])?.allSatisfy { $0 } == true)
  let workbook = try #require(d["workbook"] as? String)
  #expect(workbook.contains(#"name="_xlnm._FilterDatabase" localSheetId="0" hidden="1""#))
  #expect(workbook.contains("'Leads'!$A$1:$\(last)$5"))
  let head = try #require(d["sheet_head"] as? String)
  #expect(
    head.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
  #expect(
    d["names"] as? [String] == [
      "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
      "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml",
      "xl/worksheets/sheet1.xml",
    ])
  if (try? Support.run("which", ["unzip"]).status) == 0 {
    let r = try Support.run("unzip", ["-t", path])
    #expect(r.status == 0 && r.out.contains("No errors detected"))
  }
}

@Test(.enabled(if: Support.hasOpenpyxl, "openpyxl is not installed (pip install openpyxl)"))
func xlsxWithZIP64RecordsStillOpens() throws {
  let dir = try Support.temporaryFolder()
  let (path, _, _) = try XLSXFixture.write(in: dir, forceZIP64: true)
  let d = try dump(path)
  #expect((d["rows"] as? [Any])?.count == 5)
  #expect(d["freeze"] as? String == "A2")
  // Info-ZIP checks local headers and data descriptors too, not only the central directory.
  if (try? Support.run("which", ["unzip"]).status) == 0 {
    let r = try Support.run("unzip", ["-t", path])
    #expect(r.status == 0 && r.out.contains("No errors detected"))
  }
}

@Test(.enabled(if: Support.hasOpenpyxl, "openpyxl is not installed (pip install openpyxl)"))
func xlsxClashingHeaderAndOddSheetName() throws {
  let dir = try Support.temporaryFolder()
  var header = XLSXFixture.header
  header[0] = "Email"
  let options = OutputOptions(format: .xlsx, sheetName: "O'Brien's [leads]: 2024/03 and more text")
  let (path, columns, _) = try XLSXFixture.write(in: dir, header: header, options: options)
  #expect(columns.names.first == "pronto_email")
  let d = try dump(path)
  #expect(d["title"] as? String == "O'Brien's _leads__ 2024_03 and")
  #expect((d["rows"] as? [[[Any]]])?[0][9][0] as? String == "pronto_email")
}

@Test(.enabled(if: Support.hasLibreOffice, "LibreOffice (soffice) is not installed"))
func xlsxOpensInLibreOffice() throws {
  let dir = try Support.temporaryFolder()
  let (path, columns, _) = try XLSXFixture.write(in: dir)
  let profile = "file://" + dir + "/lo-profile"
  let r = try Support.run(
    "soffice",
    [
      "-env:UserInstallation=\(profile)", "--headless", "--convert-to",
      "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir + "/lo", path,
    ])
  #expect(r.status == 0)
  let script = """
    import csv, json, sys
    with open(sys.argv[1], newline='', encoding='utf-8') as f:
        print(json.dumps(list(csv.reader(f))))
    """
  let rows = try #require(
    try Support.json(try Support.python(script, [dir + "/lo/out.csv"])) as? [[String]])
  #expect(rows.count == 5)
  #expect(rows[0] == XLSXFixture.header + columns.names)
  #expect(
    rows[1] == [
      "Zoë <&> \"Ångström\"", "42", "1234.5", "2024-03-01", "2024-03-01 09:30:00", "09:30:00",
      "TRUE", "#N/A", "  spaced  ", "zoe@acme.com", "valid", "+33612345678; +14155550100", "valid",
      "found", "", "e-1", "", "",
    ])
  #expect(Array(columns.names.suffix(2)) == ["result_source", "bought_at"])
  // LibreOffice ignores Excel's phantom 1900-02-29, so serial 1 (Excel's 1900-01-01, also
  // openpyxl's) shows as 1899-12-31 there; from 1900-03-01 on both agree. Its CSV export
  // also turns CR LF inside a cell into LF (openpyxl sees the CR kept).
  #expect(
    rows[2][3...8] == [
      "1899-12-31", "1900-03-01", "23:59:59", "FALSE", "#DIV/0!", "line1\nline2\nline3",
    ])
  #expect(rows[2][11] == "+33612345678")
  #expect(
    rows[3][0...7] == [
      "ctrlchar", "not-a-number", "0", "1850-01-01", "garbage", "=1+1", "maybe", "#WHAT",
    ])
  #expect(rows[3][8].count == 32_767)
  #expect(rows[3][14] == "=HYPERLINK(\"http://evil\",\"x\")")
  #expect(rows[4][13] == "pending")
}

@Test(.enabled(if: Support.hasOpenpyxl, "openpyxl is not installed (pip install openpyxl)"))
func xlsxTwoHundredThousandRows() throws {
  let dir = try Support.temporaryFolder()
  let path = dir + "/big.xlsx"
  let header = ["First", "Last", "Employees", "Created"]
  let writer = try OutputWriters.open(
    path: path, inputPath: nil, header: header, requested: [.email, .phone],
    options: OutputOptions(format: .xlsx))
  let count = 200_000
  for i in 0..<count {
    try writer.append(
      cells: [
        Cell("First \(i)"), Cell("Last \(i)"), Cell(String(i), kind: .number),
        Cell("2024-03-\(String(format: "%02d", 1 + i % 28))", kind: .date),
      ],
      result: RowResult(
        status: .found, email: "p\(i)@acme.com", phones: ["+3361\(String(format: "%07d", i))"]))
  }
  let summary = try writer.finish()
  #expect(summary.rows == count)
  let script = """
    import sys, openpyxl
    wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
    ws = wb.worksheets[0]
    n = 0; last = None
    for row in ws.iter_rows(values_only=True):
        n += 1; last = row
    print(n, repr(last[2]), last[3].isoformat(), last[4], last[6])
    """
  let out = try Support.python(script, [path]).trimmingCharacters(in: .whitespacesAndNewlines)
  #expect(out == "200001 199999 2024-03-24T00:00:00 p199999@acme.com +33610199999")
}
