import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

/// `RecordStartGuess`: where `CSVPartition` cuts a file with multi-line quoted fields.

private func cut(_ text: String, atFileEnd: Bool = false) -> Int? {
  Array(text.utf8).withUnsafeBufferPointer {
    RecordStartGuess.cut(in: $0, delimiter: UInt8(ascii: ","), atFileEnd: atFileEnd)
  }
}

/// `n` records of a list with a notes column, starting at record `from`.
private func records(_ n: Int, from: Int = 0) -> String {
  (from..<(from + n)).map { "Jean\($0),Dupont,\"Acme, \"\"Inc\"\"\",ok\n" }.joined()
}

@Test func theGuessSkipsLineFeedsInsideAMultiLineNote() {
  // The window starts inside a note of three lines, the middle ones look like
  // CSV (commas) and the last closes the quote then goes on with the row.
  let inside =
    "Met at the fair, interested\n- call back Tuesday, 10:00\n- \"\"urgent\"\", budget Q3\",2024-05-01\n"
  let text = inside + records(10)
  let expected = inside.utf8.count
  #expect(cut(text) == expected)
  // Also with CRLF line ends and a note with an empty line.
  let crlf =
    "one\r\n\r\ntwo, three\",x\r\n" + records(10).replacingOccurrences(of: "\n", with: "\r\n")
  #expect(cut(crlf) == "one\r\n\r\ntwo, three\",x\r\n".utf8.count)
}

@Test func aCleanLineFeedIsTakenAtOnce() {
  #expect(cut("partial record,x\n" + records(10)) == "partial record,x\n".utf8.count)
}

@Test func withoutACleanCandidateTheFirstLineFeedIsTaken() {
  // Ragged records everywhere: nothing reads as records of one width.
  var text = "tail\n"
  for i in 0..<300 { text += String(repeating: "a,", count: i % 3) + "\"x\"y\n" }
  #expect(cut(text) == 5)
  #expect(cut("no line feed at all") == nil)
}

@Test func atTheFileEndAShortCleanTailIsEnough() {
  let text = "inside\",x\n" + records(1)
  #expect(cut(text, atFileEnd: true) == "inside\",x\n".utf8.count)
  // Not at the file's end, one record is too little to trust: the first line feed.
  #expect(cut(text, atFileEnd: false) == "inside\",x\n".utf8.count)
  #expect(cut("\"open\nstill open\n", atFileEnd: true) == "\"open\n".utf8.count)
}

/// A list like `Benchmarks/make-international-list.py`'s: one row in five has
/// a multi-line quoted note, some a long one.
private func listWithNotes(seed: UInt64, rows: Int) -> [UInt8] {
  var g = SplitMixGenerator(state: seed)
  var out = "First Name,Last Name,Company,Notes,Created\n"
  for r in 0..<rows {
    var note = g.below(3) == 0 ? "" : "\"Met at the fair, \"\"keen\"\"."
    if !note.isEmpty && g.below(4) == 0 {
      for k in 0..<(1 + g.below(g.below(20) == 0 ? 60 : 4)) {
        note += "\n- 2024-0\(1 + k % 9): call back, 王伟 said \"\"later\"\""
      }
    }
    if !note.isEmpty { note += "\"" }
    out += "Иван\(r),Петров,\"ООО \"\"Ромашка\"\"\",\(note),2024-01-0\(1 + r % 9)\n"
  }
  return Array(out.utf8)
}

private struct SplitMixGenerator {
  var state: UInt64
  mutating func below(_ n: Int) -> Int {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return Int((z ^ (z >> 31)) % UInt64(n))
  }
}

@Test func partsOfAListWithMultiLineNotesAreCutAtRecordsAndReadAsOneTable() throws {
  for seed in 1...8 as ClosedRange<UInt64> {
    let path = try temporaryFile(listWithNotes(seed: seed, rows: 2_000))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let whole = try SourceOpener.openTable(path: path)
    var expected: [[String]] = []
    while let row = try whole.next() { expected.append(row.cells.map(\.text)) }
    for parts in 2...6 {
      let partition = try CSVPartition(
        path: path, options: IngestOptions(), parts: parts, minimumPartBytes: 1)
      #expect(partition.tables.count == parts)
      let results = partition.readInParallel { _, table -> [[String]] in
        var rows: [[String]] = []
        while let row = try table.nextRaw() { rows.append((0..<5).map { row.text($0) }) }
        return rows
      }
      var rows: [[String]] = []
      for result in results {
        // Every cut was guessed right: no part failed.
        guard case .success(let part) = result else {
          Issue.record("seed \(seed), \(parts) parts: a part failed")
          continue
        }
        rows += part
      }
      #expect(rows == expected, "seed \(seed), \(parts) parts")
    }
  }
}
