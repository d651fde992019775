import Foundation
import Ingest
import JobStore
import LeadsheetCore
import Mapping

/// Turns a lead list into a job: reads it, maps and plans every row, stores it in chunks.
///
/// Streaming end to end: rows go from the reader through the planner into the
/// store's batched transactions, so memory stays flat whatever the row count.
public enum JobBuilder {
  /// What building a job learned.
  public struct Result: Sendable {
    /// The job as stored.
    public var job: Job
    /// How the columns were mapped.
    public var mapping: ColumnMapping
    /// Row counts, duplicates and the credits estimate.
    public var summary: MappingSummary
    /// What the store made of the rows (requests, duplicates, chunks).
    public var ingest: IngestSummary
    /// Counted problems met while reading.
    public var warnings: [IngestWarning]
    /// What was detected about the file.
    public var info: SourceInfo
  }

  /// An unfinished job for the same input bytes and options, if there is one.
  ///
  /// Includes a job whose ingest was interrupted (`ingesting`): continue it
  /// with `continueIngest(databasePath:job:pacing:)`.
  public static func findUnfinished(
    in store: JobStore, sha256: String, options: JobOptions
  ) throws -> Job? {
    let decoder = JSONDecoder()
    return try store.jobs().last { job in
      guard job.spec.inputSHA256 == sha256, job.state.name != "done",
        let stored = try? decoder.decode(JobOptions.self, from: Data(job.spec.options.utf8))
      else { return false }
      return stored.identity == options.identity
    }
  }

  /// The canonical JSON stored as a job's options.
  public static func optionsText(_ options: JobOptions) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(options), as: UTF8.self)
  }

  /// Reads `path` and stores it as a new job, ready to run.
  ///
  /// - Parameters:
  ///   - store: The job database.
  ///   - path: The lead list.
  ///   - fingerprint: The SHA-256 and size of `path`.
  ///   - options: What to ask for and how to read the file.
  /// - Throws: `LeadsheetError` from reading, mapping or storing; the half-built
  ///   job is marked failed.
  public static func build(
    store: JobStore, path: String, fingerprint: (hex: String, size: Int64), options: JobOptions
  ) throws -> Result {
    let live = try start(
      databasePath: store.path, path: path, fingerprint: fingerprint, options: options,
      pacing: .standard)
    defer {
      _ = try? store.releaseLock(
        job: live.job.id, pid: JobStore.currentPID, host: JobStore.currentHost)
    }
    switch live.outcome() {
    case .finished(let result): return result
    case .failed(let error): throw error
    case .suspended: throw LeadsheetError(.storage, "the ingest of job \(live.job.id) stopped")
    }
  }

  /// Creates a job from `path` and stores its rows on a thread of their own.
  ///
  /// The file is opened and its columns mapped before this returns (errors
  /// come at once); it returns after the first chunk is committed, so that a
  /// runner can start on it while the rest is stored. The job's lock is held
  /// for this process from the start: release it when done with the job
  /// (`JobRunner.run` does).
  ///
  /// - Parameters:
  ///   - databasePath: The job database (the ingest opens its own connection).
  ///   - pacing: When to commit (`.live` to run while storing).
  /// - Throws: `LeadsheetError` from opening, mapping or creating the job.
  public static func start(
    databasePath: String, path: String, fingerprint: (hex: String, size: Int64),
    options: JobOptions, pacing: IngestPacing = .live
  ) throws -> LiveIngest {
    let source = try open(path: path, options: options)
    let store = try JobStore(path: databasePath)
    let spec = JobSpec(
      inputPath: path, inputSHA256: fingerprint.hex, inputSize: fingerprint.size,
      format: source.table.info.format, sheet: source.table.info.sheet,
      header: source.table.header,
      mapping: try StoredMapping(
        mapping: source.mapping, info: source.table.info, rawHeader: source.table.rawHeader
      ).jsonText(),
      enrichmentTypes: source.mappingOptions.types, options: try optionsText(options),
      chunkSize: options.chunkSize)
    let job = try store.createJob(spec)
    try store.acquireLock(job: job.id, pid: JobStore.currentPID, host: JobStore.currentHost)
    let writer = try store.beginIngest(job: job.id, pacing: pacing)
    return launch(store: store, job: job, writer: writer, source: source, skip: 0)
  }

  /// Continues the ingest of a job that stopped while `ingesting` (a crash, Ctrl-C).
  ///
  /// The caller has checked that the input's SHA-256 is unchanged. Takes the
  /// job's lock (refused while another live process holds it), skips the rows
  /// already stored and stores the rest on a thread of its own, as `start`.
  ///
  /// - Throws: `LeadsheetError` when the job is locked, cannot be continued, or
  ///   the file cannot be opened.
  public static func continueIngest(
    databasePath: String, job id: JobID, pacing: IngestPacing = .live
  ) throws -> LiveIngest {
    let store = try JobStore(path: databasePath)
    guard let job = try store.job(id) else {
      throw LeadsheetError(.notFound, "no job \(id)", hint: "list jobs with: leadsheet jobs")
    }
    let options = try JSONDecoder().decode(JobOptions.self, from: Data(job.spec.options.utf8))
    try store.acquireLock(job: id, pid: JobStore.currentPID, host: JobStore.currentHost)
    let source = try open(path: job.spec.inputPath, options: options)
    let writer = try store.continueIngest(job: id, pacing: pacing)
    return launch(
      store: store, job: job, writer: writer, source: source, skip: writer.rowsAppended)
  }

  /// An opened list, mapped.
  private struct Source {
    var table: Table
    var mapping: ColumnMapping
    var mappingOptions: MappingOptions
    var onlyMissing: PlannedRowQueue.OnlyMissing?
    /// `--order-by`, resolved against the header.
    var order: RequestOrder?
  }

  private static func open(path: String, options: JobOptions) throws -> Source {
    let mappingOptions = try options.mappingOptions()
    let table = try SourceOpener.openTable(path: path, options: options.ingestOptions())
    let mapping = try ColumnMapping.resolve(header: table.header, options: mappingOptions)
    var onlyMissing: PlannedRowQueue.OnlyMissing?
    if let name = options.onlyMissing {
      guard let index = table.header.firstIndex(where: { $0.lowercased() == name.lowercased() })
      else {
        let close = ColumnMapping.closeHeaders(to: name, in: table.header)
        throw LeadsheetError(
          .notFound, file: path, "--only-missing names no column \"\(name)\"",
          hint: close.isEmpty
            ? "columns: \(table.header.joined(separator: ", "))"
            : "did you mean \(close.map { "\"\($0)\"" }.joined(separator: " or "))?")
      }
      onlyMissing = .init(column: index, name: table.header[index])
    }
    // `--max-per`'s column is refused here, before a job exists, as `--order-by`'s is.
    if let maxPer = options.maxPer.flatMap(StagePolicy.MaxPer.parse) {
      _ = try ColumnMapping.orderColumn(maxPer.column, in: table.header, option: "--max-per")
    }
    return Source(
      table: table, mapping: mapping, mappingOptions: mappingOptions, onlyMissing: onlyMissing,
      order: try requestOrder(options.orderBy, header: table.header))
  }

  /// `--order-by`'s column in `header`, or `nil` without one.
  ///
  /// - Throws: `LeadsheetError(.notFound)` naming the column and listing the headers.
  public static func requestOrder(_ orderBy: String?, header: [String]) throws -> RequestOrder? {
    guard let orderBy else { return nil }
    let order = try OrderBy.parse(orderBy)
    return RequestOrder(
      column: try ColumnMapping.orderColumn(order.column, in: header),
      descending: order.descending)
  }

  /// Runs the writing half on a new thread; returns after the first commit of a new
  /// job, at once for a continued one.
  private static func launch(
    store: JobStore, job: Job, writer: JobIngestWriter, source: Source, skip: Int
  ) -> LiveIngest {
    let live = LiveIngest(job: job)
    writer.onCommit = { live.didCommit($0) }
    writer.order = source.order
    let rows = PlannedRowQueue(
      table: source.table,
      planner: RowPlanner(mapping: source.mapping, options: source.mappingOptions),
      creditCosts: source.mappingOptions.creditCosts, onlyMissing: source.onlyMissing, skip: skip)
    let work = IngestWork(store: store, writer: writer, rows: rows, source: source)
    let thread = Thread {
      live.end(work.run(live))
    }
    thread.name = "leadsheet.store"
    thread.stackSize = 1 << 20
    thread.start()
    // A new job has nothing to send before its first commit. A job continued after an
    // interruption already holds the requests of the rows it stored: the run may send
    // them while this thread re-reads the rows it skips (seconds on a large list).
    if skip == 0 { live.waitForFirstCommit() }
    return live
  }

  /// The writing half of an ingest, on its own thread (it owns the store connection).
  private final class IngestWork: @unchecked Sendable {
    let store: JobStore
    let writer: JobIngestWriter
    let rows: PlannedRowQueue
    let source: Source

    init(store: JobStore, writer: JobIngestWriter, rows: PlannedRowQueue, source: Source) {
      self.store = store
      self.writer = writer
      self.rows = rows
      self.source = source
    }

    func run(_ live: LiveIngest) -> LiveIngest.Outcome {
      let id = writer.job
      do {
        while let batch = try rows.next() {
          if live.isCancelled {
            rows.cancel()
            try writer.suspend()
            return .suspended
          }
          for row in batch { try writer.append(row) }
        }
        let ingest = try writer.finish()
        var summary = rows.summary
        summary.setDistinctRequests(
          byType: ingest.requestsByType, total: ingest.requests, duplicates: ingest.duplicates)
        return .finished(
          Result(
            job: try store.job(id) ?? live.job, mapping: source.mapping,
            summary: summary, ingest: ingest,
            warnings: source.table.allWarnings, info: source.table.info))
      } catch {
        rows.cancel()
        _ = try? store.setState(job: id, to: .failed(reason: "ingest failed: \(error)"))
        return .failed(error)
      }
    }
  }
}
