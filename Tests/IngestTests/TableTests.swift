import Ingest
import LeadsheetCore
import Testing

/// A reader over rows held in memory, to test `Table` alone.
final class ArrayReader: RowReader {
  let info = SourceInfo(format: .csv)
  let warnings: [IngestWarning] = []
  var rows: [SourceRow]
  init(_ rows: [[String]]) {
    self.rows = rows.enumerated().map {
      SourceRow(number: $0.offset + 1, cells: $0.element.map { Cell($0) })
    }
  }
  func next() throws -> SourceRow? { rows.isEmpty ? nil : rows.removeFirst() }
}

@Test func headerIsFirstNonBlankRowAndNamesAreUnique() throws {
  let t = try Table(
    reader: ArrayReader([["", ""], ["Email", "", "email", " "], ["a", "b", "c"]]), file: "x.csv")
  #expect(t.headerRowNumber == 2)
  #expect(t.header == ["Email", "Column B", "email (2)"])
  let row = try #require(try t.next())
  #expect(row.cells.map(\.text) == ["a", "b", "c"])
}

@Test func raggedRowsArePaddedOrCutAndCounted() throws {
  let t = try Table(
    reader: ArrayReader([["a", "b"], ["1"], ["1", "2", ""], ["1", "2", "lost"], [], ["3", "4"]]),
    file: "x.csv")
  var rows: [[String]] = []
  while let r = try t.next() { rows.append(r.cells.map(\.text)) }
  #expect(rows == [["1", ""], ["1", "2"], ["1", "2"], ["3", "4"]])
  #expect(t.warnings.paddedRows == 1)
  #expect(t.warnings.firstPaddedRow == 2)
  #expect(t.warnings.cutRows == 1)
  #expect(t.warnings.firstCutRow == 4)
  #expect(t.warnings.blankRows == 1)
}

@Test func explicitHeaderRow() throws {
  let t = try Table(
    reader: ArrayReader([["title"], ["First", "Last"], ["a", "b"]]), file: "x", headerRow: 2)
  #expect(t.header == ["First", "Last"])
  #expect(throws: LeadsheetError.self) {
    try Table(reader: ArrayReader([["a"]]), file: "x", headerRow: 5)
  }
}

@Test func emptyFileHasNoHeader() {
  #expect(throws: LeadsheetError.self) { try Table(reader: ArrayReader([]), file: "x") }
}
