import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

/// `--order-by` in the store: requests ranked at the end of the ingest, `nextRequests` by rank.
@Suite struct SendOrderTests {
  /// A row for contact `contact` with `value` in the fourth column.
  func scored(_ line: Int, contact: Int, _ value: Cell) -> IngestRow {
    IngestRow(
      line: line, cells: [Cell("First\(contact)"), Cell("Last\(contact)"), Cell("Co"), value],
      plan: .request(request(contact)))
  }

  /// Ingests `rows` into a new job, ranked by the fourth column.
  func orderedJob(
    _ store: JobStore, _ rows: [IngestRow], descending: Bool, chunkSize: Int = 2
  ) throws -> Job {
    let job = try store.createJob(sampleSpec(chunkSize: chunkSize))
    let writer = try store.beginIngest(job: job.id, batchSize: 3)
    writer.order = RequestOrder(column: 3, descending: descending)
    for row in rows { try writer.append(row) }
    _ = try writer.finish()
    return job
  }

  /// The contact numbers `nextRequests` gives, in order.
  func sendOrder(_ store: JobStore, _ job: JobID, limit: Int = 100) throws -> [String] {
    try store.nextRequests(job: job, limit: limit).map { $0.request.lastname ?? "" }
  }

  @Test func followsTheRankAndDuplicatesTakeTheirBestRow() throws {
    try withStore { store, _ throws in
      let rows = [
        scored(2, contact: 1, "5"),
        scored(3, contact: 2, ""),  // blank…
        scored(4, contact: 3, "1,200"),
        scored(5, contact: 4, "3.5"),
        scored(6, contact: 1, "90%"),  // a duplicate of 1, lower
        scored(7, contact: 2, "40"),  // …but its duplicate has a score
        scored(8, contact: 5, "-2"),
        scored(9, contact: 6, " "),
        scored(10, contact: 4, "10,000"),  // 4's best row
      ]
      let job = try orderedJob(store, rows, descending: true)
      #expect(
        try sendOrder(store, job.id) == ["Last4", "Last3", "Last2", "Last1", "Last5", "Last6"])

      // Ascending: lowest first, the duplicate again at its best (lowest) row; blanks last.
      try store.rankRequests(job: job.id, by: RequestOrder(column: 3, descending: false))
      #expect(
        try sendOrder(store, job.id) == ["Last5", "Last1", "Last4", "Last2", "Last3", "Last6"])

      // Taken in flight: the next ones keep the order.
      let first = try store.nextRequests(job: job.id, limit: 2)
      try store.markInFlight(job: job.id, first.map(\.id))
      #expect(try sendOrder(store, job.id) == ["Last4", "Last2", "Last3", "Last6"])
      #expect(try sendOrder(store, job.id, limit: 2) == ["Last4", "Last2"])

      // The ranked query reads the partial index of ranked pending requests.
      let plan = try store.connection.prepare(
        """
        EXPLAIN QUERY PLAN SELECT id FROM requests
        WHERE job_id = 'x' AND state = 'pending' AND send_rank IS NOT NULL
        ORDER BY send_rank, id LIMIT 5
        """)
      var detail = ""
      while try plan.step() { detail += (plan.text(3) ?? "") + "\n" }
      #expect(detail.contains("requests_pending_ranked"), "\(detail)")
    }
  }

  @Test func aJobWithoutOrderKeepsFileOrderAndNoRanks() throws {
    try withStore { store, _ throws in
      let job = try makeJob(
        store, chunkSize: 2,
        rows: [
          scored(2, contact: 3, "1"), scored(3, contact: 1, "9"), scored(4, contact: 2, "5"),
        ])
      #expect(try sendOrder(store, job.id) == ["Last3", "Last1", "Last2"])
      #expect(
        try store.connection.scalarInt(
          "SELECT count(*) FROM requests WHERE send_rank IS NOT NULL") == 0)
    }
  }

  @Test func ordersADateColumn() throws {
    try withStore { store, _ throws in
      let rows = [
        scored(2, contact: 1, "3/15/2024"),
        scored(3, contact: 2, Cell("2024-01-02", kind: .date)),
        scored(4, contact: 3, "2023-12-31T23:00:00Z"),
        scored(5, contact: 4, ""),
        scored(6, contact: 5, "2024-03-15T08:00"),
        scored(7, contact: 6, Cell("2024-03-15", kind: .date, hiddenTime: 3_600_000)),
      ]
      let job = try orderedJob(store, rows, descending: true)
      // Latest first: 15 March 08:00, 15 March 01:00 (a hidden time), 15 March, …, blank.
      #expect(
        try sendOrder(store, job.id) == ["Last5", "Last6", "Last1", "Last2", "Last3", "Last4"])
    }
  }

  @Test func clearingRanksGoesBackToFileOrder() throws {
    try withStore { store, _ throws in
      let rows = [scored(2, contact: 1, "1"), scored(3, contact: 2, "9")]
      let job = try orderedJob(store, rows, descending: true)
      #expect(try sendOrder(store, job.id) == ["Last2", "Last1"])
      try store.clearRanks(job: job.id, options: "{}")
      #expect(try sendOrder(store, job.id) == ["Last1", "Last2"])
    }
  }
}
