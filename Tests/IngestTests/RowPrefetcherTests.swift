import Ingest
import LeadsheetCore
import Testing

/// A reader that yields `count` rows, then fails if `failAt` is set.
private final class CountingReader: RowReader {
  let info = SourceInfo(format: .csv)
  let warnings: [IngestWarning] = []
  var n = 0
  let count: Int
  let failAt: Int?
  init(count: Int, failAt: Int? = nil) {
    self.count = count
    self.failAt = failAt
  }
  func next() throws -> SourceRow? {
    n += 1
    if n == 1 { return SourceRow(number: 1, cells: ["id"]) }
    if let failAt, n == failAt {
      throw LeadsheetError(.malformed, file: "x.csv", location: .line(n), "broken here")
    }
    return n <= count + 1 ? SourceRow(number: n, cells: [Cell("\(n)")]) : nil
  }
}

@Test func prefetchedRowsComeInOrderAcrossBatches() throws {
  let table = try Table(reader: CountingReader(count: 10_001), file: "x.csv")
  let rows = RowPrefetcher(table, batchSize: 64, depth: 2)
  var numbers: [Int] = []
  while let batch = try rows.nextBatch() { numbers += batch.map(\.number) }
  #expect(numbers == Array(2...10_002))
  #expect(try rows.nextBatch() == nil)
}

@Test func prefetcherReportsTheReadersErrorAfterTheRowsBeforeIt() throws {
  let table = try Table(reader: CountingReader(count: 1_000, failAt: 500), file: "x.csv")
  let rows = RowPrefetcher(table, batchSize: 64, depth: 2)
  var seen = 0
  #expect(throws: LeadsheetError.self) {
    while let batch = try rows.nextBatch() { seen += batch.count }
  }
  #expect(seen == 498)
}

@Test func cancellingAPrefetcherStopsItsThread() throws {
  let table = try Table(reader: CountingReader(count: 1_000_000), file: "x.csv")
  let rows = RowPrefetcher(table, batchSize: 16, depth: 1)
  _ = try rows.nextBatch()
  rows.cancel()  // the producer, blocked on a full queue, must return rather than hang
}
