import Foundation
import LeadsheetCore

/// What the caller knows about a job before its rows are read.
public struct JobSpec: Sendable, Hashable {
  /// The input file, as the user named it.
  public var inputPath: String
  /// The SHA-256 of the input, lowercase hex (to notice a changed file on resume).
  public var inputSHA256: String
  /// The size of the input in bytes.
  public var inputSize: Int64
  /// The input's format.
  public var format: SourceFormat
  /// The sheet read (XLSX).
  public var sheet: String?
  /// The column names, in order.
  public var header: [String]
  /// The column mapping, as opaque JSON text (the store never looks inside).
  public var mapping: String
  /// The enrichment types asked for.
  public var enrichmentTypes: [EnrichmentType]
  /// The run options, as opaque JSON text.
  public var options: String
  /// Rows per chunk.
  public var chunkSize: Int

  /// Creates a job description.
  public init(
    inputPath: String, inputSHA256: String, inputSize: Int64, format: SourceFormat,
    sheet: String? = nil, header: [String], mapping: String = "{}",
    enrichmentTypes: [EnrichmentType], options: String = "{}", chunkSize: Int = 100
  ) {
    self.inputPath = inputPath
    self.inputSHA256 = inputSHA256
    self.inputSize = inputSize
    self.format = format
    self.sheet = sheet
    self.header = header
    self.mapping = mapping
    self.enrichmentTypes = enrichmentTypes
    self.options = options
    self.chunkSize = chunkSize
  }
}

/// A job as stored.
public struct Job: Sendable, Hashable {
  /// The job's id.
  public var id: JobID
  /// What the job was created from.
  public var spec: JobSpec
  /// Where the job is in its life.
  public var state: JobState
  /// The number of rows ingested (final once the ingest has finished).
  public var rowCount: Int
  /// Requests put back to pending after a crash (`recoverInFlight(job:resend: true)`).
  public var resentAfterCrash: Int
  /// When the job was created.
  public var createdAt: Date
  /// When the job last changed.
  public var updatedAt: Date
  /// When the ingest finished; `nil` while (or if it never finished) ingesting.
  public var ingestedAt: Date?

  /// Creates a value (for tests and tools; the store makes them).
  public init(
    id: JobID, spec: JobSpec, state: JobState, rowCount: Int, resentAfterCrash: Int,
    createdAt: Date, updatedAt: Date, ingestedAt: Date? = nil
  ) {
    self.id = id
    self.spec = spec
    self.state = state
    self.rowCount = rowCount
    self.resentAfterCrash = resentAfterCrash
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.ingestedAt = ingestedAt
  }
}

// MARK: - Writing jobs

extension JobStore {
  /// Creates a job in state `ingesting` with a new random id.
  ///
  /// - Throws: `LeadsheetError(.usage)` for a chunk size below 1;
  ///   `LeadsheetError(.storage)` when the database cannot be written.
  @discardableResult
  public func createJob(_ spec: JobSpec) throws -> Job {
    guard spec.chunkSize >= 1 else {
      throw LeadsheetError(.usage, "the chunk size must be at least 1")
    }
    let header = String(decoding: try JSONEncoder().encode(spec.header), as: UTF8.self)
    let types = spec.enrichmentTypes.map(\.rawValue).joined(separator: ",")
    let time = now().timeIntervalSince1970
    return try connection.transaction {
      var id = JobID.random()
      while try connection.scalarInt("SELECT count(*) FROM jobs WHERE id = ?", [.text(id.rawValue)])
        > 0
      {
        id = JobID.random()
      }
      let insert = try connection.prepare(
        """
        INSERT INTO jobs (id, input_path, input_sha256, input_size, format, sheet, header,
          mapping, enrichment_types, options, chunk_size, state, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ingesting', ?, ?)
        """)
      try insert.run([
        .text(id.rawValue), .text(spec.inputPath), .text(spec.inputSHA256), .int(spec.inputSize),
        .text(spec.format.rawValue), .optional(spec.sheet), .text(header), .text(spec.mapping),
        .text(types), .text(spec.options), .int(Int64(spec.chunkSize)), .double(time),
        .double(time),
      ])
      return Job(
        id: id, spec: spec, state: .ingesting, rowCount: 0, resentAfterCrash: 0,
        createdAt: Date(timeIntervalSince1970: time), updatedAt: Date(timeIntervalSince1970: time),
        ingestedAt: nil)
    }
  }

  /// Moves a job to `state`, checking the transition (`JobState.canTransition(to:)`).
  ///
  /// A job whose ingest never finished cannot become `running`, even from
  /// `failed`.
  ///
  /// - Returns: The job as updated.
  /// - Throws: `LeadsheetError(.notFound)` for an unknown job,
  ///   `LeadsheetError(.usage)` for a transition that is not allowed.
  @discardableResult
  public func setState(job id: JobID, to next: JobState) throws -> Job {
    try connection.transaction {
      var job = try requireJob(id)
      if case .running = next, job.ingestedAt == nil {
        throw LeadsheetError(
          .usage, "job \(id) was never fully ingested",
          hint: "leadsheet resume \(id) stores the rest of its input")
      }
      try job.state.transition(to: next)
      let time = now()
      try connection.prepare(
        "UPDATE jobs SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?"
      ).run([
        .text(next.name), .optional(next.reason), .double(time.timeIntervalSince1970),
        .text(id.rawValue),
      ])
      job.updatedAt = time
      return job
    }
  }

  /// Replaces a job's stored options (the JSON text of `JobOptions`), e.g. the API
  /// mode and base URL a run used.
  ///
  /// - Throws: `LeadsheetError(.notFound)` for an unknown job.
  public func updateOptions(job id: JobID, _ options: String) throws {
    try connection.transaction {
      _ = try requireJob(id)
      try connection.prepare("UPDATE jobs SET options = ?, updated_at = ? WHERE id = ?")
        .run([.text(options), .double(now().timeIntervalSince1970), .text(id.rawValue)])
    }
  }

  /// Deletes a job and everything it holds, then compacts the file.
  ///
  /// Rows, requests (with their outcomes and response JSON), chunks, the
  /// lock, run statistics and the contact store's answers this job bought (those no
  /// later job bought again) go in one transaction; `secure_delete` zeroes
  /// the freed pages; `VACUUM` rewrites the file and a `TRUNCATE` checkpoint
  /// empties the WAL, so that the personal data is gone from the disk (as far
  /// as the file system does not keep old blocks).
  ///
  /// - Returns: The number of rows deleted.
  /// - Throws: `LeadsheetError(.notFound)` for an unknown job.
  @discardableResult
  public func purge(job id: JobID) throws -> Int {
    let count = try connection.transaction {
      _ = try requireJob(id)
      let key: [SQLValue] = [.text(id.rawValue)]
      let rows = try connection.scalarInt("SELECT count(*) FROM rows WHERE job_id = ?", key)
      for sql in [
        "DELETE FROM rows WHERE job_id = ?",
        "DELETE FROM requests WHERE job_id = ?",
        "DELETE FROM chunks WHERE job_id = ?",
        "DELETE FROM locks WHERE job_id = ?",
        "DELETE FROM run_pauses WHERE run_id IN (SELECT id FROM runs WHERE job_id = ?)",
        "DELETE FROM runs WHERE job_id = ?",
        // The contact store's answers this job bought (and no later job bought again).
        "DELETE FROM contacts WHERE job_id = ?",
        "DELETE FROM jobs WHERE id = ?",
      ] {
        try connection.prepare(sql).run(key)
      }
      return Int(rows)
    }
    try connection.execute("VACUUM")
    try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return count
  }

  /// Bumps `updated_at` (inside a caller's transaction).
  func touch(_ id: JobID) throws {
    try connection.prepare("UPDATE jobs SET updated_at = ? WHERE id = ?")
      .run([.double(now().timeIntervalSince1970), .text(id.rawValue)])
  }
}

// MARK: - Reading jobs

extension JobStore {
  /// The job with this id, or `nil`.
  public func job(_ id: JobID) throws -> Job? {
    let stmt = try connection.prepare("\(Self.jobColumns) WHERE id = ?")
    try stmt.bind([.text(id.rawValue)])
    return try stmt.step() ? try Self.decodeJob(stmt) : nil
  }

  /// Every job, newest first.
  public func jobs() throws -> [Job] {
    let stmt = try connection.prepare("\(Self.jobColumns) ORDER BY created_at DESC, id")
    var jobs: [Job] = []
    while try stmt.step() { jobs.append(try Self.decodeJob(stmt)) }
    return jobs
  }

  /// The job with this id.
  ///
  /// - Throws: `LeadsheetError(.notFound)` when there is none.
  func requireJob(_ id: JobID) throws -> Job {
    guard let job = try job(id) else {
      throw LeadsheetError(
        .notFound, file: path, "no job \(id) in this database",
        hint: "leadsheet jobs lists them")
    }
    return job
  }

  /// The chunk size of a job.
  func chunkSize(_ id: JobID) throws -> Int64 {
    let size = try connection.scalarInt(
      "SELECT chunk_size FROM jobs WHERE id = ?", [.text(id.rawValue)])
    guard size > 0 else {
      _ = try requireJob(id)
      return 1
    }
    return size
  }

  private static let jobColumns = """
    SELECT id, input_path, input_sha256, input_size, format, sheet, header, mapping,
      enrichment_types, options, chunk_size, state, state_reason, row_count,
      resent_after_crash, created_at, updated_at, ingested_at
    FROM jobs
    """

  private static func decodeJob(_ s: Statement) throws -> Job {
    let header = try JSONDecoder().decode([String].self, from: Data((s.text(6) ?? "[]").utf8))
    let types = (s.text(8) ?? "").split(separator: ",").compactMap {
      EnrichmentType(rawValue: String($0))
    }
    let spec = JobSpec(
      inputPath: s.text(1) ?? "", inputSHA256: s.text(2) ?? "", inputSize: s.int64(3),
      format: SourceFormat(rawValue: s.text(4) ?? "") ?? .csv, sheet: s.text(5),
      header: header, mapping: s.text(7) ?? "{}", enrichmentTypes: types,
      options: s.text(9) ?? "{}", chunkSize: s.int(10))
    guard let id = JobID(s.text(0) ?? ""),
      let state = JobState(name: s.text(11) ?? "", reason: s.text(12))
    else {
      throw LeadsheetError(.storage, "corrupt job record", hint: "the database is damaged")
    }
    return Job(
      id: id, spec: spec, state: state, rowCount: s.int(13), resentAfterCrash: s.int(14),
      createdAt: Date(timeIntervalSince1970: s.double(15)),
      updatedAt: Date(timeIntervalSince1970: s.double(16)),
      ingestedAt: s.isNull(17) ? nil : Date(timeIntervalSince1970: s.double(17)))
  }
}
