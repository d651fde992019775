import LeadsheetCore

// MARK: - Counting

/// A job's requests counted in one pass: by state, the finished ones by status,
/// and the span of their ids (where their rows' `request_id`s lie).
struct RequestTally {
  /// Requests by state (every state present).
  var byState: [RequestState: Int]
  /// Requests not finished (`pending`, `inFlight`, `submitted`): their rows are pending.
  var unfinished: Int
  /// Finished requests by their row status (an unknown status counts as `failed`).
  var doneByStatus: [RowStatus: Int]
  /// The smallest and largest request id of the job; `nil` without requests.
  var ids: ClosedRange<Int64>?
}

extension JobStore {
  /// Counts a job's rows by status, requests and chunks by state, and credits saved.
  ///
  /// Never joins every row with its request: a row's status is its request's, so
  /// the requests are counted once (one pass over them, aggregated without sorting),
  /// and only the rows that *share* a request (duplicates, found in the small
  /// `rows_by_request` index over the job's id span) and the rows without one
  /// (invalid, skipped: the index's `NULL` entries) are looked at one by one.
  /// On a paused 1M-row job this takes about a quarter of the time the join
  /// took (the join read every row's cells: the whole table).
  ///
  /// - Throws: `LeadsheetError(.notFound)` for an unknown job.
  public func counts(job id: JobID) throws -> JobCounts {
    let job = try requireJob(id)
    let tally = try requestTally(job: id)
    var rows = Dictionary(uniqueKeysWithValues: RowStatus.allCases.map { ($0, 0) })
    // One row per request…
    rows[.pending, default: 0] += tally.unfinished
    for (status, n) in tally.doneByStatus { rows[status, default: 0] += n }
    // …plus the rows that repeat a request's contact…
    let shared = try sharedRequestRows(job: id, ids: tally.ids)
    for (status, n) in shared.byStatus { rows[status, default: 0] += n }
    // …plus the rows without a request.
    for (status, n) in try rowsWithoutRequest(job: id) { rows[status, default: 0] += n }
    var chunks = Dictionary(uniqueKeysWithValues: ChunkState.allCases.map { ($0, 0) })
    let chunkStates = try connection.prepare(
      "SELECT state, count(*) FROM chunks WHERE job_id = ? GROUP BY state")
    try chunkStates.bind([.text(id.rawValue)])
    while try chunkStates.step() {
      if let state = ChunkState(rawValue: chunkStates.text(0) ?? "") {
        chunks[state] = chunkStates.int(1)
      }
    }
    return JobCounts(
      rows: rows.values.reduce(0, +), rowsByStatus: rows, requestsByState: tally.byState,
      chunksByState: chunks, creditsSaved: shared.total, resentAfterCrash: job.resentAfterCrash)
  }

  /// Rows that share an earlier row's request: sent once, so one credit saved each.
  public func creditsSaved(job: JobID) throws -> Int {
    let span = try connection.prepare("SELECT min(id), max(id) FROM requests WHERE job_id = ?")
    try span.bind([.text(job.rawValue)])
    guard try span.step(), !span.isNull(0) else { return 0 }
    return try sharedRequestRows(job: job, ids: span.int64(0)...span.int64(1)).total
  }

  /// The job's requests counted by state (one pass over its requests, no join with its rows).
  public func requestCountsByState(job id: JobID) throws -> [RequestState: Int] {
    try requestTally(job: id).byState
  }

  /// The job's requests counted without sorting them: their number and id span in one
  /// pass, each unfinished state through its partial index (`requests_pending`,
  /// `requests_in_flight`, `requests_submitted`), and the finished ones by status
  /// through `requests_finished`. (`GROUP BY state` sorted a million entries in a
  /// temporary B-tree; a `sum()` per state cost as much again per state.)
  func requestTally(job id: JobID) throws -> RequestTally {
    let key: [SQLValue] = [.text(id.rawValue)]
    var tally = RequestTally(byState: [:], unfinished: 0, doneByStatus: [:], ids: nil)
    let span = try connection.prepare(
      "SELECT count(*), min(id), max(id) FROM requests WHERE job_id = ?")
    try span.bind(key)
    guard try span.step() else { return tally }
    let total = span.int(0)
    if total > 0 { tally.ids = span.int64(1)...span.int64(2) }
    var known = 0
    for state in RequestState.allCases where state != .done {
      // The state is written into the statement: a partial index is used only
      // for a WHERE term that matches its own literally.
      let n = Int(
        try connection.scalarInt(
          "SELECT count(*) FROM requests WHERE job_id = ? AND state = '\(state.rawValue)'", key))
      tally.byState[state] = n
      tally.unfinished += n
      known += n
    }
    let done = try connection.prepare(
      "SELECT status, count(*) FROM requests WHERE job_id = ? AND state = 'done' GROUP BY status")
    try done.bind(key)
    var finished = 0
    while try done.step() {
      let n = done.int(1)
      // A finished request whose status is not a row status counts as failed.
      tally.doneByStatus[RowStatus(rawValue: done.text(0) ?? "") ?? .failed, default: 0] += n
      finished += n
    }
    tally.byState[.done] = finished
    // A request in a state this build does not know: its rows are pending.
    tally.unfinished += total - known - finished
    return tally
  }

  /// The rows beyond the first of each request of the job, by their request's row
  /// status: a range scan of the `rows_by_request` index over the job's request ids,
  /// then one look-up per shared request (other jobs' requests in the span drop out).
  private func sharedRequestRows(
    job id: JobID, ids: ClosedRange<Int64>?
  ) throws -> (byStatus: [RowStatus: Int], total: Int) {
    guard let ids else { return ([:], 0) }
    let stmt = try connection.prepare(
      """
      SELECT CASE WHEN q.state = 'done' THEN q.status ELSE 'pending' END, sum(d.n - 1)
      FROM (SELECT request_id, count(*) AS n FROM rows INDEXED BY rows_by_request
            WHERE request_id BETWEEN ? AND ? GROUP BY request_id HAVING n > 1) d
      JOIN requests q ON q.id = d.request_id
      WHERE q.job_id = ? GROUP BY 1
      """)
    try stmt.bind([.int(ids.lowerBound), .int(ids.upperBound), .text(id.rawValue)])
    var byStatus: [RowStatus: Int] = [:]
    var total = 0
    while try stmt.step() {
      let n = stmt.int(1)
      byStatus[RowStatus(rawValue: stmt.text(0) ?? "") ?? .failed, default: 0] += n
      total += n
    }
    return (byStatus, total)
  }

  /// The job's rows without a request (`invalid`, `skipped`), from the `NULL` entries
  /// of `rows_by_request`; a `request` row without one (never written) counts as pending.
  private func rowsWithoutRequest(job id: JobID) throws -> [RowStatus: Int] {
    let stmt = try connection.prepare(
      """
      SELECT plan, count(*) FROM rows INDEXED BY rows_by_request
      WHERE request_id IS NULL AND job_id = ? GROUP BY plan
      """)
    try stmt.bind([.text(id.rawValue)])
    var byStatus: [RowStatus: Int] = [:]
    while try stmt.step() {
      let plan = stmt.text(0) ?? ""
      let status: RowStatus =
        plan == "request" ? .pending : RowStatus(rawValue: plan) ?? .failed
      byStatus[status, default: 0] += stmt.int(1)
    }
    return byStatus
  }
}
