import Foundation
import LeadsheetCore

@testable import Output

/// A typed sheet with everything that breaks naive XLSX writers.
enum XLSXFixture {
  static let header = [
    "Name", "Employees", "Revenue", "Created", "Meeting", "Start", "Active", "Check", "Notes",
  ]
  static let long = String(repeating: "ü", count: 40_000)
  static let rows: [(cells: [Cell], result: RowResult)] = [
    (
      [
        "Zoë <&> \"Ångström\"", Cell("42", kind: .number), Cell("1234.5", kind: .number),
        Cell("2024-03-01", kind: .date), Cell("2024-03-01T09:30:00", kind: .date),
        Cell("09:30:00", kind: .date), Cell("TRUE", kind: .boolean), Cell("#N/A", kind: .error),
        "  spaced  ",
      ],
      RowResult(
        status: .found, email: "zoe@acme.com", emailStatus: "valid",
        phones: ["+33612345678", "+14155550100"], phoneStatus: "valid", enrichmentID: "e-1")
    ),
    (
      [
        "李小龙 🎉", Cell("-1.5e-7", kind: .number), Cell("1E+20", kind: .number),
        Cell("1900-01-01", kind: .date), Cell("1900-03-01", kind: .date),
        Cell("23:59:59", kind: .date), Cell("FALSE", kind: .boolean),
        Cell("#DIV/0!", kind: .error), "line1\nline2\r\nline3",
      ],
      RowResult(status: .found, phones: ["+33612345678"], phoneStatus: "valid")
    ),
    (
      [
        "ctrl\u{1}char\u{B}", Cell("not-a-number", kind: .number), Cell("0", kind: .number),
        Cell("1850-01-01", kind: .date), Cell("garbage", kind: .date), "=1+1",
        Cell("maybe", kind: .boolean), Cell("#WHAT", kind: .error), Cell(long),
      ],
      RowResult(status: .failed, message: "=HYPERLINK(\"http://evil\",\"x\")")
    ),
    (["", "", "", "", "", "", "", "", ""], .pending),
  ]

  /// Writes the fixture to `dir/name`.
  static func write(
    in dir: String, name: String = "out.xlsx", header: [String] = header,
    options: OutputOptions = OutputOptions(format: .xlsx, sheetName: "Leads"),
    forceZIP64: Bool = false
  ) throws -> (path: String, columns: OutputColumns, summary: OutputSummary) {
    let path = dir + "/" + name
    let writer = try XLSXOutputWriter(
      path: path, inputPath: nil, header: header, requested: [.email, .phone], options: options,
      forceZIP64: forceZIP64)
    for row in rows { try writer.append(cells: row.cells, result: row.result) }
    return (path, writer.columns, try writer.finish())
  }
}
