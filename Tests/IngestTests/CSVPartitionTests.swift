import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

/// What a table gives: every data row's texts, and the warnings.
private struct TableRead: Equatable {
  var rows: [[String]]
  var warnings: [IngestWarning]
}

/// One `Table` over the whole file, through `next()` (cells).
private func sequential(_ path: String, _ options: IngestOptions = IngestOptions()) throws
  -> TableRead
{
  let table = try SourceOpener.openTable(path: path, options: options)
  var rows: [[String]] = []
  while let row = try table.next() { rows.append(row.cells.map(\.text)) }
  return TableRead(rows: rows, warnings: table.allWarnings)
}

/// The file read in `parts` parts at once through `nextRaw()`; `nil` when a part failed.
private func partitioned(
  _ path: String, parts: Int, _ options: IngestOptions = IngestOptions(), guess: Bool = true
) throws -> (read: TableRead, parts: Int)? {
  let partition = try CSVPartition(
    path: path, options: options, parts: parts, minimumPartBytes: 1, guessesRecordStarts: guess)
  let width = partition.tables[0].header.count
  let results = partition.readInParallel { _, table -> [[String]] in
    var rows: [[String]] = []
    while let row = try table.nextRaw() { rows.append((0..<width).map { row.text($0) }) }
    return rows
  }
  var rows: [[String]] = []
  for result in results {
    guard case .success(let part) = result else { return nil }
    rows += part
  }
  return (TableRead(rows: rows, warnings: partition.warnings), partition.tables.count)
}

/// A deterministic generator (SplitMix64).
private struct Generator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A messy CSV: quoted fields (with delimiters, doubled quotes and, when
/// `quotedBreaks`, line breaks), blank lines, ragged rows, CRLF and LF, and
/// bytes that are not UTF-8.
private func messyCSV(seed: UInt64, rows: Int, quotedBreaks: Bool) -> [UInt8] {
  var g = Generator(state: seed)
  var out = Array("id,first,last,company,website\n".utf8)
  for r in 0..<rows {
    var width = 5
    switch g.below(20) {
    case 0: width = 3
    case 1: width = 7
    case 2:
      out += g.below(2) == 0 ? [0x0A] : [0x0D, 0x0A]
      continue
    default: break
    }
    for c in 0..<width {
      if c > 0 { out.append(UInt8(ascii: ",")) }
      switch g.below(8) {
      case 0: out += Array("\"a, \"\"b\"\"\"".utf8)
      case 1 where quotedBreaks: out += Array("\"two\nlines\r\nhere\"".utf8)
      case 2: out += [0x43, 0x61, 0x66, 0xE9]  // "Café" in Windows-1252: not UTF-8
      case 3: out += Array("Müller".utf8)
      case 4 where c >= 5: out += Array("extra".utf8)
      case 5: break
      default: out += Array("v\(r)-\(c)".utf8)
      }
    }
    out += g.below(3) == 0 ? [0x0D, 0x0A] : [0x0A]
  }
  return out
}

@Test func partsWithoutQuotedLineBreaksReadExactlyAsOneTable() throws {
  for seed in 1...12 as ClosedRange<UInt64> {
    let path = try temporaryFile(messyCSV(seed: seed, rows: 300, quotedBreaks: false))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let expected = try sequential(path)
    for parts in 1...4 {
      let got = try #require(try partitioned(path, parts: parts), "seed \(seed), \(parts) parts")
      #expect(got.parts == parts)
      #expect(got.read == expected, "seed \(seed), \(parts) parts")
    }
  }
}

@Test func aCutInsideAQuotedFieldIsDetectedNeverMisread() throws {
  var detected = 0
  var agreed = 0
  for seed in 1...40 as ClosedRange<UInt64> {
    let path = try temporaryFile(messyCSV(seed: seed, rows: 120, quotedBreaks: true))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let expected = try sequential(path)
    for parts in 2...5 {
      // Cut just after the first line feed (as without `RecordStartGuess`),
      // which often falls inside a quoted field here, and as guessed.
      for guess in [false, true] {
        if let got = try partitioned(path, parts: parts, guess: guess) {
          #expect(got.read == expected, "seed \(seed), \(parts) parts")
          agreed += 1
        } else {
          detected += 1
        }
      }
    }
  }
  // Both outcomes happen, so both branches were exercised.
  #expect(detected > 0)
  #expect(agreed > 0)
}

@Test func warningsKeepTheFilesLineNumbers() throws {
  // Past the 1 MiB the encoding is detected from, so the file is UTF-8 with one bad field.
  var text = "first,last\n"
  let n = 120_000
  for i in 0..<n { text += "a\(i),b\(i)\n" }
  text += "short\n"  // line n + 2
  text += "x,y,z\n"  // line n + 3: cut
  text += "\n\n"
  let bytes = Array(text.utf8) + [0x43, 0xE9, 0x0A]  // line n + 6: not UTF-8
  let path = try temporaryFile(bytes)
  defer { try? FileManager.default.removeItem(atPath: path) }
  let expected = try sequential(path)
  #expect(expected.warnings.map(\.firstLocation) == ["\(n + 6)", "\(n + 2)", "\(n + 3)"])
  for parts in 1...6 {
    let got = try #require(try partitioned(path, parts: parts))
    #expect(got.read == expected, "\(parts) parts")
  }
}

@Test func samplesReadTheSameInParts() throws {
  let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Samples").standardized
  for name in ["sales-navigator.csv", "prospects-fr.csv"] {
    let path = samples.appendingPathComponent(name).path
    let expected = try sequential(path)
    #expect(expected.rows.count >= 50)
    for parts in 1...3 {
      let got = try #require(try partitioned(path, parts: parts))
      #expect(got.read == expected, "\(name), \(parts) parts")
    }
  }
}

@Test func rawRowsHoldTheCellsTexts() throws {
  let path = try temporaryFile(messyCSV(seed: 99, rows: 400, quotedBreaks: true))
  defer { try? FileManager.default.removeItem(atPath: path) }
  let cells = try SourceOpener.openTable(path: path)
  let raw = try SourceOpener.openTable(path: path)
  #expect(raw.readsRawRows)
  while let row = try cells.next() {
    let bytes = try #require(try raw.nextRaw())
    #expect(bytes.number == row.number)
    #expect(bytes.cells(width: cells.header.count) == row.cells)
    for i in 0..<row.cells.count { #expect(bytes.isBlank(i) == row.cells[i].isBlank) }
  }
  #expect(try raw.nextRaw() == nil)
  #expect(raw.allWarnings == cells.allWarnings)
}

@Test func utf16AndSmallFilesAreNotCut() throws {
  var text = "first,last\n"
  for i in 0..<200 { text += "a\(i),b\(i)\n" }
  let wide = try temporaryFile(utf16(text, bigEndian: false))
  let small = try temporaryFile(Array(text.utf8))
  defer {
    try? FileManager.default.removeItem(atPath: wide)
    try? FileManager.default.removeItem(atPath: small)
  }
  let utf16Parts = try CSVPartition(
    path: wide, options: IngestOptions(), parts: 4, minimumPartBytes: 1)
  #expect(utf16Parts.tables.count == 1)
  let smallParts = try CSVPartition(path: small, options: IngestOptions(), parts: 4)
  #expect(smallParts.tables.count == 1)
  #expect(try partitioned(wide, parts: 4)?.read == sequential(wide))
}

@Test func aUTF16FilesReplacedUnitsAreStillWarnedOf() throws {
  // A fuzz finding: UTF-16 without a byte-order mark, with an invalid code unit.
  let path = try temporaryFile([0xFE, 0x46, 0x00, 0x2C, 0x00, 0x4C, 0x00, 0x0A, 0x10])
  defer { try? FileManager.default.removeItem(atPath: path) }
  let expected = try sequential(path)
  #expect(expected.warnings.contains { $0.kind == "invalid-utf16" })
  for parts in 1...3 {
    #expect(try partitioned(path, parts: parts)?.read == expected, "\(parts) parts")
  }
}
