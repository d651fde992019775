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
  public static func findUnfinished(
    in store: JobStore, sha256: String, options: JobOptions
  ) throws -> Job? {
    let decoder = JSONDecoder()
    return try store.jobs().last { job in
      guard job.spec.inputSHA256 == sha256, job.state.name != "done",
        job.state.name != "ingesting",
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
    let mappingOptions = try options.mappingOptions()
    let table = try SourceOpener.openTable(path: path, options: options.ingestOptions())
    let mapping = try ColumnMapping.resolve(header: table.header, options: mappingOptions)
    var onlyMissingColumn: Int?
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
      onlyMissingColumn = index
    }
    let spec = JobSpec(
      inputPath: path, inputSHA256: fingerprint.hex, inputSize: fingerprint.size,
      format: table.info.format, sheet: table.info.sheet, header: table.header,
      mapping: try StoredMapping(mapping: mapping, info: table.info, rawHeader: table.rawHeader)
        .jsonText(),
      enrichmentTypes: mappingOptions.types, options: try optionsText(options),
      chunkSize: options.chunkSize)
    let job = try store.createJob(spec)
    do {
      let planner = RowPlanner(mapping: mapping, options: mappingOptions)
      var summary = MappingSummary(creditCosts: mappingOptions.creditCosts)
      let writer = try store.beginIngest(job: job.id)
      let rows = RowPrefetcher(table)
      while let batch = try rows.nextBatch() {
        for row in batch {
          let plan: IngestPlan
          if let c = onlyMissingColumn, !row.cells[c].isBlank {
            plan = .skipped(reason: "already has a value in \"\(table.header[c])\"")
          } else {
            let planned = planner.plan(row.cells)
            summary.add(planned)
            switch planned {
            case .send(let request, _, _): plan = .request(request)
            case .invalid(let reason, _):
              plan = .invalid(code: reason.code, message: reason.message)
            }
          }
          try writer.append(IngestRow(line: row.number, cells: row.cells, plan: plan))
        }
      }
      let ingest = try writer.finish()
      return Result(
        job: try store.job(job.id) ?? job, mapping: mapping,
        summary: try MappingSummary.merged([summary]), ingest: ingest,
        warnings: table.allWarnings, info: table.info)
    } catch {
      _ = try? store.setState(job: job.id, to: .failed(reason: "ingest failed: \(error)"))
      throw error
    }
  }
}
