import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

// Past its memory budget the shared-string table moves its text to a
// temporary file: the rows read must not change.

private func rows(_ path: String, budget: Int) throws -> [SourceRow] {
  var options = IngestOptions()
  options.limits.sharedStringsInMemory = budget
  let reader = try XLSXReader(path: path, options: options)
  var rows: [SourceRow] = []
  while let row = try reader.next() { rows.append(row) }
  return rows
}

@Test(arguments: [
  "openpyxl_basic", "xlsxwriter_basic", "libreoffice_basic", "shared_many", "strict_prefixed",
  "handmade_cells",
])
func spilledSharedStringsReadTheSame(name: String) throws {
  let path = try xlsxFixture(name)
  let expected = try rows(path, budget: 16 << 20)
  #expect(!expected.isEmpty)
  for budget in [0, 5, 100] {
    #expect(try rows(path, budget: budget) == expected, "\(name), budget \(budget)")
  }
}

@Test func theSampleWorkbookReadsTheSameSpilled() throws {
  let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Samples/hubspot-contacts.xlsx").standardized.path
  #expect(try rows(sample, budget: 64) == rows(sample, budget: 16 << 20))
}

@Test func aSpilledTableServesManyStringsThroughItsMapping() throws {
  let table = SharedStringTable(memoryBudget: 1_000)
  let strings = (0..<50_000).map { "contact-\($0)@example-\($0 % 97).com" }
  for s in strings {
    var s = s
    #expect(s.withUTF8 { table.append($0) })
  }
  #expect(table.spilled)
  try table.finishWriting()
  // More reads than the release period, in an order the cache does not absorb.
  for round in 0..<3 {
    for i in stride(from: round, to: strings.count, by: 7) {
      #expect(table.string(i) == strings[i])
    }
  }
  #expect(!table.isEmpty(0))
}

@Test func anUnusableTemporaryFolderKeepsTheTableInMemory() throws {
  let table = SharedStringTable(memoryBudget: 0, spillBase: "/nonexistent/leadsheet")
  var s = "kept"
  #expect(s.withUTF8 { table.append($0) })
  #expect(!table.spilled && table.spillFailed)
  try table.finishWriting()
  #expect(table.string(0) == "kept")
}
