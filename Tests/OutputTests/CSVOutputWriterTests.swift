import Foundation
import LeadsheetCore
import Testing

@testable import Output

/// A list with everything that breaks naive CSV writers.
enum CSVFixture {
  static let header = ["Prénom", "Nom", "Société", "Notes"]
  static let long = String(repeating: "é-long-x ", count: 12_000)
  static let rows: [(cells: [Cell], result: RowResult)] = [
    (
      ["Zoë", "Ångström", "Müller & Söhne", "plain"],
      RowResult(
        status: .found, email: "zoe@muller.de", emailStatus: "valid",
        phones: ["+33612345678", "+14155550100"], phoneStatus: "valid", enrichmentID: "e-1")
    ),
    (
      ["李", "小龙", "株式会社", "emoji 🎉👩‍👩‍👧 ok"],
      RowResult(status: .notFound, message: "No data found")
    ),
    (
      ["Multi\nline", "with \"quotes\"", "a,b;c\tt", "  leading and trailing  "],
      RowResult(status: .invalid, message: "missing \"linkedin_url\", firstname")
    ),
    (
      ["=1+1", "@cmd", "+33 6", "-2+3+cmd|' /C calc'!A0"],
      RowResult(
        status: .failed, emailStatus: "-bad", phones: ["+33612345678"],
        message: "=HYPERLINK(\"http://evil\",\"x\")")
    ),
    ([Cell(long), "b", "c\r\nd", "\r"], RowResult(status: .found, email: "+tag@acme.com")),
    (["", "", "", ""], .pending),
    (["only one"], RowResult(status: .skipped)),
  ]

  /// What a CSV reader must give back, header included.
  static func expected(_ columns: OutputColumns) -> [[String]] {
    var all = [header + columns.names]
    for row in rows {
      var cells = row.cells.map(\.text)
      while cells.count < header.count { cells.append("") }
      let appended = zip(columns.fields, columns.values(for: row.result)).map { field, value in
        FormulaGuard.neutralized(value, listSeparator: field == .phones ? "; " : nil)
      }
      all.append(cells + appended)
    }
    return all
  }

  /// Writes the fixture; returns the path and the writer's columns.
  static func write(
    _ options: OutputOptions, in dir: String
  ) throws -> (path: String, columns: OutputColumns, summary: OutputSummary) {
    let path = dir + "/out.csv"
    let writer = try OutputWriters.open(
      path: path, inputPath: nil, header: header, requested: [.email, .phone], options: options)
    try writer.append(contentsOf: rows)
    let summary = try writer.finish()
    return (path, writer.columns, summary)
  }
}

private let pythonCSV = """
  import csv, json, sys
  with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
      print(json.dumps(list(csv.reader(f, delimiter=sys.argv[2]))))
  """

@Test(
  .enabled(if: Support.hasPython, "python3 is not installed: cannot parse the CSV back"),
  arguments: [
    OutputOptions(),
    OutputOptions(delimiter: ";", writesBOM: true),
    OutputOptions(delimiter: "\t", lineEnding: .lf),
    OutputOptions(delimiter: "|", writesBOM: true, lineEnding: .lf),
  ])
func csvRoundTripThroughPython(options: OutputOptions) throws {
  let dir = try Support.temporaryFolder()
  let (path, columns, summary) = try CSVFixture.write(options, in: dir)
  let out = try Support.python(pythonCSV, [path, String(options.delimiter)])
  let rows = try #require(try Support.json(out) as? [[String]])
  let expected = CSVFixture.expected(columns)
  #expect(rows.count == expected.count)
  for (got, want) in zip(rows, expected) { #expect(got == want) }
  #expect(summary.rows == CSVFixture.rows.count)
  #expect(summary.guardedValues == 2)
  #expect(summary.reshapedRows == 1)
  let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
  #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]) == options.writesBOM)
  #expect(Int64(bytes.count) == summary.bytes)
}

@Test func csvBytesAreExact() throws {
  let dir = try Support.temporaryFolder()
  let path = dir + "/exact.csv"
  let writer = try CSVOutputWriter(
    path: path, inputPath: nil, header: ["Name", "Note"], requested: [.email],
    options: OutputOptions(delimiter: ";", writesBOM: true))
  try writer.append(
    cells: ["Zoë", "a;b \"q\"\nend"],
    result: RowResult(status: .found, email: "z@x.io", phones: ["+33612345678"]))
  try writer.append(cells: [" x", "=1"], result: RowResult(status: .failed, message: "@boom"))
  _ = try writer.finish()
  let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
  let want =
    "\u{FEFF}Name;Note;email;email_status;phones;phone_status;status;message;enrichment_id;result_source;bought_at\r\n"
    + "Zoë;\"a;b \"\"q\"\"\nend\";z@x.io;;+33612345678;;found;;;;\r\n"
    + "\" x\";=1;;;;;failed;'@boom;;;\r\n"
  #expect(text == want)
}

@Test func csvToStandardOutputNeedsNoTemporaryFile() throws {
  let w = try AtomicFileWriter(path: "-")
  #expect(w.isStandardOutput)
  try w.commit()
}

@Test func badDelimiterIsAUsageError() throws {
  let dir = try Support.temporaryFolder()
  for d: Character in ["\"", "\n", "é"] {
    #expect(throws: LeadsheetError.self) {
      _ = try CSVOutputWriter(
        path: dir + "/x.csv", inputPath: nil, header: ["A"], requested: [.email],
        options: OutputOptions(delimiter: d))
    }
  }
}

@Test func optionsMatchTheInput() {
  let utf8 = OutputOptions(
    matching: SourceInfo(format: .csv, encoding: "utf-8", hasBOM: false, delimiter: ";"))
  #expect(utf8.format == .csv && utf8.delimiter == ";" && !utf8.writesBOM)
  let bom = OutputOptions(matching: SourceInfo(format: .csv, encoding: "utf-8-bom", hasBOM: true))
  #expect(bom.writesBOM)
  let windows = OutputOptions(
    matching: SourceInfo(format: .csv, encoding: "windows-1252", delimiter: ";"))
  #expect(windows.writesBOM && windows.delimiter == ";")
  let xlsx = OutputOptions(
    matching: SourceInfo(format: .xlsx, sheets: ["Leads", "Other"], sheet: "Leads"), format: .csv)
  #expect(xlsx.format == .csv && xlsx.delimiter == "," && !xlsx.writesBOM)
  #expect(OutputOptions(matching: SourceInfo(format: .xlsx, sheet: "Leads")).sheetName == "Leads")
}
