import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

// Fixtures from Fixtures/make_encoding_fixtures.py (Python's codecs); the cells each
// file must read as are in Fixtures/encodings/expected.json.

/// The path of an encoding fixture.
private func encodingFixture(_ name: String) throws -> String {
  try #require(
    Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/encodings")
  ).path
}

/// The cells `name` must read as.
private func expectedRows(_ name: String) throws -> [[String]] {
  let data = try Data(contentsOf: URL(fileURLWithPath: try encodingFixture("expected.json")))
  let all = try JSONDecoder().decode([String: [[String]]].self, from: data)
  return try #require(all[name])
}

/// Reads a file whole, through `SourceOpener` as `enrich` does.
private func readWhole(_ path: String, options: IngestOptions = IngestOptions()) throws -> (
  info: SourceInfo, rows: [[String]], warnings: [IngestWarning]
) {
  let table = try SourceOpener.openTable(path: path, options: options)
  var rows = [table.header]
  while let row = try table.next() { rows.append(row.cells.map(\.text)) }
  return (table.info, rows, table.allWarnings)
}

/// Reads a file in parts, as `inspect` does.
private func readInParts(_ path: String, options: IngestOptions = IngestOptions()) throws -> (
  rows: [[String]], warnings: [IngestWarning]
) {
  let partition = try CSVPartition(path: path, options: options, parts: 3, minimumPartBytes: 1)
  let width = partition.tables[0].header.count
  var rows = [partition.tables[0].header]
  for table in partition.tables {
    while let row = try table.nextRaw() { rows.append((0..<width).map { row.text($0) }) }
  }
  return (rows, partition.warnings)
}

@Test(
  "a legacy code page given with --encoding reads cell by cell, whole and in parts",
  arguments: [
    ("cp932.csv", "cp932"), ("cp932.csv", "Shift_JIS"), ("gbk.csv", "gbk"),
    ("gbk.csv", "gb18030"), ("gb18030.csv", "gb18030"), ("big5.csv", "big5"),
    ("cp1253.csv", "windows-1253"), ("iso-8859-7.csv", "iso-8859-7"),
    ("mac_roman.csv", "mac_roman"), ("mac_roman.csv", "macintosh"),
  ])
func legacyEncodingReadsCellByCell(file: String, encoding: String) throws {
  let path = try encodingFixture(file)
  let options = IngestOptions(encoding: try #require(TextEncoding(name: encoding)))
  let whole = try readWhole(path, options: options)
  #expect(whole.rows == (try expectedRows(file)))
  #expect(whole.warnings.isEmpty)
  #expect(whole.info.delimiter == ",")
  let parts = try readInParts(path, options: options)
  #expect(parts.rows == whole.rows)
  #expect(parts.warnings == whole.warnings)
}

@Test(
  "a legacy file read as Windows-1252 warns and names the encoding to use",
  arguments: [
    ("cp932.csv", ["cp932"]), ("gbk.csv", ["gb18030"]), ("gb18030.csv", ["gb18030"]),
    ("big5.csv", ["big5"]), ("cp1253.csv", ["windows-1253", "iso-8859-7"]),
    ("iso-8859-7.csv", ["iso-8859-7", "windows-1253"]), ("mac_roman.csv", ["macintosh"]),
  ])
func legacyEncodingIsGuessed(file: String, likely: [String]) throws {
  let path = try encodingFixture(file)
  let whole = try readWhole(path)
  #expect(whole.info.encoding == "windows-1252")
  let warning = try #require(whole.warnings.first { $0.kind == "encoding-guess" })
  let named = likely.first { warning.message.contains("--encoding \($0)") }
  #expect(named != nil, "\(warning.message)")
  // The warning's advice, followed, reads the file right.
  let advised = try readWhole(path, options: IngestOptions(encoding: TextEncoding(name: named!)))
  #expect(advised.rows == (try expectedRows(file)))
  // inspect's parallel path says the same.
  #expect(try readInParts(path).warnings == whole.warnings)
}

@Test func realWindows1252IsNotDoubted() throws {
  let rows = [
    ["First Name", "Last Name", "Company", "City"],
    ["Jürgen", "Müller", "Bäckerei Schäfer GmbH", "München"],
    ["José", "Gómez", "Telefónica™", "Málaga"],
    ["François", "O’Brien", "Société Générale", "Besançon"],
    ["Zoë", "Ångström", "Nordisk Café – Søren’s", "Göteborg"],
    ["Łukasz", "Œuvre", "Ærø €5", "Straße"],
  ]
  var bytes: [UInt8] = []
  for row in rows.dropLast() {
    let line = row.joined(separator: ",") + "\r\n"
    bytes += line.unicodeScalars.map { scalar -> UInt8 in
      if scalar.value < 0x80 || (scalar.value >= 0xA0 && scalar.value < 0x100) {
        return UInt8(scalar.value)
      }
      return UInt8(Windows1252.high.firstIndex(of: UInt16(scalar.value))! + 0x80)
    }
  }
  let p = try parse(bytes)
  #expect(p.info.encoding == "windows-1252")
  #expect(p.texts == Array(rows.dropLast()))
  #expect(p.warnings.isEmpty)
}

@Test func mostlyUTF8WithAStrayByteSuggestsUTF8() throws {
  let lines = "Jürgen Müller,München\nZoë,Köln\nRenée,Zürich\nJosé Gómez,Málaga\n"
  var bytes = Array(("Name,City\n" + String(repeating: lines, count: 3)).utf8)
  bytes += [0x41, 0xE9, 0x0A]  // one Windows-1252 "é" makes the sample invalid UTF-8
  let p = try parse(bytes)
  #expect(p.info.encoding == "windows-1252")
  let w = try #require(p.warnings.first { $0.kind == "encoding-guess" })
  #expect(w.message.contains("--encoding utf-8"))
  #expect(w.firstLocation == "2")
}

@Test func invalidBytesInAnIconvEncodingNameTheLine() throws {
  let options = IngestOptions(encoding: TextEncoding(name: "cp932"))
  let error = try #require(
    leadsheetError {
      _ = try readWhole(try encodingFixture("cp932-invalid-line4.csv"), options: options)
    })
  #expect(error.code == .malformed)
  #expect(error.location == .line(4))
  #expect(error.message.contains("not valid cp932 text"))
  #expect(error.message.contains("0x85"))
  let cut = try #require(
    leadsheetError {
      _ = try readWhole(try encodingFixture("cp932-truncated.csv"), options: options)
    })
  #expect(cut.location == .line(3))
  #expect(cut.message.contains("ends in the middle of a cp932 character"))
}

@Test func iconvDecodingIsTheSameInAnyPieces() throws {
  let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: try encodingFixture("gb18030.csv"))))
  let options = IngestOptions(encoding: TextEncoding(name: "gb18030"))
  let whole = try parse(bytes, options: options)
  #expect(whole.texts == (try expectedRows("gb18030.csv")))
  for chunk in [16, 17, 33] {
    for pieces in [[1], [3, 1, 2], [Int.max]] {
      let cut = try parse(bytes, options: options, pieces: pieces, chunkSize: chunk, sampleSize: 16)
      #expect(cut.rows == whole.rows, "chunk \(chunk) pieces \(pieces)")
    }
  }
}

@Test func encodingNamesResolve() {
  #expect(TextEncoding(name: "UTF8") == .utf8)
  #expect(TextEncoding(name: "latin1") == .windows1252)
  #expect(TextEncoding(name: "UTF-32") == .utf32LE)
  #expect(TextEncoding(name: "Shift_JIS")?.rawValue == "shift_jis")
  #expect(TextEncoding(name: "mac_roman")?.rawValue == "macintosh")
  #expect(TextEncoding(name: "CP932")?.rawValue == "cp932")
  #expect(TextEncoding(name: "klingon") == nil)
  // A stored job's name comes back as the same encoding.
  let gbk = TextEncoding(name: "GBK")!
  #expect(TextEncoding(rawValue: gbk.rawValue) == gbk)
}

@Test(
  "UTF-16 and UTF-32 are recognised by their pattern, CJK and surrogate pairs included",
  arguments: [
    ("utf-16le-cjk.csv", "utf-16le", false), ("utf-16be-cjk.csv", "utf-16be", false),
    ("utf-16le-japanese.csv", "utf-16le", false), ("utf-32le-bom.csv", "utf-32le", true),
    ("utf-32be.csv", "utf-32be", false), ("utf-32le.csv", "utf-32le", false),
  ])
func wideEncodingsWithoutMarkAreRecognised(file: String, encoding: String, bom: Bool) throws {
  let path = try encodingFixture(file)
  let whole = try readWhole(path)
  #expect(whole.info.encoding == encoding)
  #expect(whole.info.hasBOM == bom)
  #expect(whole.rows == (try expectedRows(file)))
  #expect(whole.warnings.isEmpty)
  let parts = try readInParts(path)
  #expect(parts.rows == whole.rows)
}

@Test func wideDetectionNeedsTextNotBinary() {
  // Random-looking binary with NULs is no encoding (the NUL error follows).
  let binary: [UInt8] = [0x00, 0x01, 0x02, 0x03, 0x7F, 0x00, 0x00, 0x00, 0x10, 0x00]
  #expect(
    binary.withUnsafeBufferPointer { EncodingDetector.unmarkedWide($0, isComplete: true) } == nil)
  // "一,丁\n" in UTF-16LE: 00 4E 2C 00 01 4E 0A 00: zero bytes at both parities.
  let cjk: [UInt8] = [0x00, 0x4E, 0x2C, 0x00, 0x01, 0x4E, 0x0A, 0x00]
  #expect(
    cjk.withUnsafeBufferPointer { EncodingDetector.unmarkedWide($0, isComplete: true) } == .utf16LE)
}
