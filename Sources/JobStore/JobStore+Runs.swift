import Foundation
import LeadsheetCore

/// Counters a runner adds to its run (increments, not totals).
public struct RunCounters: Sendable, Hashable {
  /// Requests sent (including retries).
  public var requestsSent: Int
  /// Requests sent again after a transient failure.
  public var retries: Int
  /// `429 Too Many Requests` answers.
  public var rateLimited: Int

  /// Creates counters.
  public init(requestsSent: Int = 0, retries: Int = 0, rateLimited: Int = 0) {
    self.requestsSent = requestsSent
    self.retries = retries
    self.rateLimited = rateLimited
  }
}

/// A pause during a run (rate limit, credits, network), for the report.
public struct RunPause: Sendable, Hashable {
  /// When it started.
  public var at: Date
  /// Why.
  public var reason: String
  /// How long it lasted, when known.
  public var seconds: Double?

  /// Creates a value (for tests and tools; the store makes them).
  public init(at: Date, reason: String, seconds: Double? = nil) {
    self.at = at
    self.reason = reason
    self.seconds = seconds
  }
}

/// One `run` or `resume` of a job, for the report.
public struct RunRecord: Sendable, Hashable {
  /// The run's id.
  public var id: Int64
  /// When it started.
  public var startedAt: Date
  /// When it ended; `nil` if it is running or crashed.
  public var endedAt: Date?
  /// Counters.
  public var counters: RunCounters
  /// Why it ended (`done`, `paused: credits exhausted`, `interrupted`…).
  public var endReason: String?
  /// Its pauses, in order.
  public var pauses: [RunPause]
  /// The account's credit balance when it started, as `GET /credits` gave it (`nil`: unknown).
  public var creditsBefore: Double?
  /// The balance when it ended (`nil`: unknown).
  public var creditsAfter: Double?

  /// Credits the account was charged during the run, by its balance (`nil` unless both are known).
  public var creditsCharged: Double? {
    guard let creditsBefore, let creditsAfter else { return nil }
    return creditsBefore - creditsAfter
  }

  /// Creates a value (for tests and tools; the store makes them).
  public init(
    id: Int64, startedAt: Date, endedAt: Date? = nil, counters: RunCounters,
    endReason: String? = nil, pauses: [RunPause], creditsBefore: Double? = nil,
    creditsAfter: Double? = nil
  ) {
    self.creditsBefore = creditsBefore
    self.creditsAfter = creditsAfter
    self.id = id
    self.startedAt = startedAt
    self.endedAt = endedAt
    self.counters = counters
    self.endReason = endReason
    self.pauses = pauses
  }
}

/// Latency percentiles over a job's answered requests (nearest-rank).
public struct LatencySummary: Sendable, Hashable {
  /// Requests with a latency.
  public var count: Int
  /// Median, in milliseconds.
  public var p50: Int
  /// 95th percentile, in milliseconds.
  public var p95: Int
  /// 99th percentile, in milliseconds.
  public var p99: Int

  /// Creates a value (for tests and tools; the store makes them).
  public init(count: Int, p50: Int, p95: Int, p99: Int) {
    self.count = count
    self.p50 = p50
    self.p95 = p95
    self.p99 = p99
  }
}

// MARK: - Writing runs

extension JobStore {
  /// Records the start of a run of `job`.
  ///
  /// - Returns: The run's id, for `addToRun`, `recordPause` and `endRun`.
  public func startRun(job: JobID) throws -> Int64 {
    try connection.transaction {
      _ = try requireJob(job)
      try connection.prepare("INSERT INTO runs (job_id, started_at) VALUES (?, ?)")
        .run([.text(job.rawValue), .double(now().timeIntervalSince1970)])
      return connection.lastInsertRowID
    }
  }

  /// Adds counters to a run (call it with the outcomes, or every few seconds).
  public func addToRun(_ run: Int64, _ counters: RunCounters) throws {
    try connection.transaction {
      try connection.prepare(
        """
        UPDATE runs SET requests_sent = requests_sent + ?, retries = retries + ?,
          rate_limited = rate_limited + ? WHERE id = ?
        """
      ).run([
        .int(Int64(counters.requestsSent)), .int(Int64(counters.retries)),
        .int(Int64(counters.rateLimited)), .int(run),
      ])
    }
  }

  /// Records the account's credit balance at the start or the end of the latest run of `job`.
  ///
  /// - Parameters:
  ///   - balance: The balance read from `GET /credits`; `nil` leaves the column as it is.
  ///   - atStart: `true` for the start, `false` for the end.
  public func recordCredits(job: JobID, balance: Double?, atStart: Bool) throws {
    guard let balance else { return }
    let column = atStart ? "credits_before" : "credits_after"
    try connection.transaction {
      try connection.prepare(
        "UPDATE runs SET \(column) = ? WHERE id = (SELECT max(id) FROM runs WHERE job_id = ?)"
      ).run([.double(balance), .text(job.rawValue)])
    }
  }

  /// Records a pause of a run.
  public func recordPause(run: Int64, reason: String, seconds: Double? = nil) throws {
    try connection.transaction {
      try connection.prepare(
        "INSERT INTO run_pauses (run_id, at, reason, seconds) VALUES (?, ?, ?, ?)"
      ).run([
        .int(run), .double(now().timeIntervalSince1970), .text(reason),
        seconds.map { .double($0) } ?? .null,
      ])
    }
  }

  /// Records the end of a run and why it ended.
  public func endRun(_ run: Int64, reason: String?) throws {
    try connection.transaction {
      try connection.prepare("UPDATE runs SET ended_at = ?, end_reason = ? WHERE id = ?")
        .run([.double(now().timeIntervalSince1970), .optional(reason), .int(run)])
    }
  }
}

// MARK: - Reading runs

extension JobStore {
  /// A job's runs, oldest first, with their pauses.
  public func runs(job: JobID) throws -> [RunRecord] {
    let stmt = try connection.prepare(
      """
      SELECT id, started_at, ended_at, requests_sent, retries, rate_limited, end_reason,
        credits_before, credits_after
      FROM runs WHERE job_id = ? ORDER BY id
      """)
    try stmt.bind([.text(job.rawValue)])
    var runs: [RunRecord] = []
    while try stmt.step() {
      runs.append(
        RunRecord(
          id: stmt.int64(0), startedAt: Date(timeIntervalSince1970: stmt.double(1)),
          endedAt: stmt.isNull(2) ? nil : Date(timeIntervalSince1970: stmt.double(2)),
          counters: RunCounters(
            requestsSent: stmt.int(3), retries: stmt.int(4), rateLimited: stmt.int(5)),
          endReason: stmt.text(6), pauses: [],
          creditsBefore: stmt.isNull(7) ? nil : stmt.double(7),
          creditsAfter: stmt.isNull(8) ? nil : stmt.double(8)))
    }
    let pauses = try connection.prepare(
      "SELECT at, reason, seconds FROM run_pauses WHERE run_id = ? ORDER BY rowid")
    for i in runs.indices {
      try pauses.bind([.int(runs[i].id)])
      while try pauses.step() {
        runs[i].pauses.append(
          RunPause(
            at: Date(timeIntervalSince1970: pauses.double(0)), reason: pauses.text(1) ?? "",
            seconds: pauses.isNull(2) ? nil : pauses.double(2)))
      }
    }
    return runs
  }

  /// p50/p95/p99 of the latency of the job's requests; `nil` when none has one.
  ///
  /// Nearest-rank percentiles over the last latency of each request, sorted in SQL.
  public func latency(job: JobID) throws -> LatencySummary? {
    let key: [SQLValue] = [.text(job.rawValue)]
    let count = Int(
      try connection.scalarInt(
        "SELECT count(*) FROM requests WHERE job_id = ? AND latency_ms IS NOT NULL", key))
    guard count > 0 else { return nil }
    let stmt = try connection.prepare(
      """
      SELECT latency_ms FROM requests WHERE job_id = ? AND latency_ms IS NOT NULL
      ORDER BY latency_ms LIMIT 1 OFFSET ?
      """)
    func percentile(_ p: Double) throws -> Int {
      let rank = max(1, Int((p * Double(count)).rounded(.up)))
      try stmt.bind(key + [.int(Int64(rank - 1))])
      return try stmt.step() ? stmt.int(0) : 0
    }
    return LatencySummary(
      count: count, p50: try percentile(0.50), p95: try percentile(0.95),
      p99: try percentile(0.99))
  }
}
