import Foundation
import Ingest
import LeadsheetCore
import Mapping
import Runner

/// Everything `inspect` learns by reading a whole list: format, mapping, row counts, cost.
struct ListInspection: Encodable {
  struct Column: Encodable {
    var field: String
    var column: String
    var header: String
    var decision: String
  }

  var file: String
  var info: SourceInfo
  var headerRow: Int
  var header: [String]
  var mapping: [Column]
  var customFields: [String: String]
  var unmappedColumns: [String]
  var types: [EnrichmentType]
  var summary: MappingSummary
  var warnings: [IngestWarning]
  /// The spend estimate under a billing model, a budget and a daily cap (set by `inspect`).
  var estimate: SpendEstimate?
  /// `--order-by`, with the column as the file spells it (`Score:desc`); `nil` for file order.
  var orderBy: String?
  /// What the contact store already answers (set by `inspect` when the database has
  /// stored answers).
  var reuse: StoreCoverage?

  enum CodingKeys: String, CodingKey {
    case file, info, header, mapping, types, summary, warnings, estimate, reuse
    case orderBy = "order_by"
    case headerRow = "header_row"
    case customFields = "custom_fields"
    case unmappedColumns = "unmapped_columns"
  }

  /// Reads `path` to the end and plans every row.
  ///
  /// A CSV file is read in parts, one per core, each part's rows planned from
  /// their bytes (`CSVPartition`, `RowPlanner.count`); when that fails (a cut
  /// fell inside a quoted field, or the file has an error) the file is read
  /// again in one piece by bytes, and when that fails too (an error), by
  /// cells, which gives the true outcome. Every way gives the same inspection.
  ///
  /// - Parameter parts: For tests: the number of parts whatever the file's
  ///   size, or 0 to read in one piece; `nil` for one part per core.
  static func inspect(
    path: String, ingest: IngestOptions, mapping options: MappingOptions, parts: Int? = nil
  ) throws -> ListInspection {
    if parts != 0, try SourceOpener.detectFormat(path: path) == .csv {
      let wanted = parts ?? min(8, ProcessInfo.processInfo.activeProcessorCount)
      if let inspection = try? inspectInParts(
        path: path, ingest: ingest, mapping: options, parts: wanted,
        minimumPartBytes: parts == nil ? 4 << 20 : 1)
      {
        return inspection
      }
      // A cut fell inside a quoted field (or the file has an error): the
      // same byte path in one piece, before the cell path that names errors.
      if wanted > 1,
        let inspection = try? inspectInParts(
          path: path, ingest: ingest, mapping: options, parts: 1, minimumPartBytes: 1)
      {
        return inspection
      }
    }
    let table = try SourceOpener.openTable(path: path, options: ingest)
    let mapping = try ColumnMapping.resolve(header: table.header, options: options)
    let planner = RowPlanner(mapping: mapping, options: options)
    var summary = MappingSummary(creditCosts: options.creditCosts)
    let rows = RowPrefetcher(table)
    while let batch = try rows.nextBatch() {
      for row in batch { summary.add(planner.plan(row.cells)) }
    }
    return ListInspection(
      path: path, table: table, mapping: mapping, options: options,
      summary: try MappingSummary.merged([summary]), warnings: table.allWarnings)
  }

  /// `inspect` of a CSV file read in parts at once; `nil` when a part failed.
  static func inspectInParts(
    path: String, ingest: IngestOptions, mapping options: MappingOptions, parts: Int,
    minimumPartBytes: Int
  ) throws -> ListInspection? {
    let partition = try CSVPartition(
      path: path, options: ingest, parts: parts, minimumPartBytes: minimumPartBytes)
    let table = partition.tables[0]
    let mapping = try ColumnMapping.resolve(header: table.header, options: options)
    let planner = RowPlanner(mapping: mapping, options: options)
    let costs = options.creditCosts
    let sizes = partition.ranges.map(\.count)
    let results = partition.readInParallel { i, part -> MappingSummary in
      var summary = MappingSummary(creditCosts: costs)
      summary.batchesContactChecks = true
      // After a sample of rows, make room for the part's contacts at once
      // (estimated from the bytes per row), rather than growing the set step by step.
      var sampled = 0
      var sampleBytes = 0
      while let row = try part.nextRaw() {
        if sampled < 1_000 {
          sampled += 1
          sampleBytes += row.bytes.count + row.count
          if sampled == 1_000 { summary.reserveContacts(sizes[i] / max(1, sampleBytes / sampled)) }
        }
        planner.count(row, into: &summary)
      }
      summary.flush()
      return summary
    }
    var summaries: [MappingSummary] = []
    for result in results {
      guard case .success(let summary) = result else { return nil }
      summaries.append(summary)
    }
    return ListInspection(
      path: path, table: table, mapping: mapping, options: options,
      summary: try MappingSummary.merged(summaries), warnings: partition.warnings)
  }

  func jsonText() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// The terminal rendering.
  func text() -> String {
    var out = ""
    func line(_ label: String, _ value: String) {
      out += label.padding(toLength: 13, withPad: " ", startingAt: 0) + value + "\n"
    }
    let g = ProgressPrinter.grouped
    line("file", file)
    switch info.format {
    case .csv:
      var s = "CSV, \(info.encoding ?? "?")"
      if info.hasBOM { s += " with BOM" }
      let d = info.delimiter.map { $0 == "\t" ? "tab" : "'\($0)'" } ?? "?"
      s += ", delimiter \(d) (\(info.delimiterSource ?? "sniffed"))"
      line("format", s)
    case .xlsx:
      line(
        "format",
        "XLSX, sheet \"\(info.sheet ?? "?")\" of \(info.sheets.map { "\"\($0)\"" }.joined(separator: ", "))"
      )
    }
    line("header", "row \(headerRow), \(header.count) columns")
    line("types", types.map(\.rawValue).joined(separator: ", "))
    if let order = orderBy.flatMap({ try? OrderBy.parse($0) }) {
      line("order", "requests sent \(order.phrase), once the whole list is stored")
    }
    out += "mapping\n"
    let width = max(12, (mapping.map(\.field.count).max() ?? 0) + 2)
    for c in mapping {
      out +=
        "  " + c.field.padding(toLength: width, withPad: " ", startingAt: 0)
        + "← \(c.column) \"\(c.header)\"  (\(c.decision))\n"
    }
    for (key, header) in customFields.sorted(by: { $0.key < $1.key }) {
      out +=
        "  " + "custom.\(key)".padding(toLength: width, withPad: " ", startingAt: 0)
        + "← \"\(header)\"\n"
    }
    if !unmappedColumns.isEmpty {
      out += "  not sent: " + unmappedColumns.map { "\"\($0)\"" }.joined(separator: ", ") + "\n"
    }
    let s = summary
    line("rows", g(s.rows))
    var valid = "\(g(s.valid))"
    if s.partial > 0 {
      let dropped = s.droppedByType.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value))" }
      valid += " (\(g(s.partial)) sent for fewer types: no \(dropped.joined(separator: ", no ")))"
    }
    line("valid", valid)
    line("invalid", g(s.invalid))
    for (reason, n) in s.invalidByReason.sorted(by: { $0.value > $1.value }) {
      out += "  " + reason.padding(toLength: 24, withPad: " ", startingAt: 0) + g(n) + "\n"
    }
    if !s.ignoredValues.isEmpty {
      out += "values ignored\n"
      for (code, n) in s.ignoredValues.sorted(by: { $0.value > $1.value }) {
        out += "  " + code.padding(toLength: 24, withPad: " ", startingAt: 0) + g(n) + "\n"
      }
    }
    line("duplicates", "\(g(s.duplicates)) rows repeat an earlier contact (sent once)")
    let byType = s.requestsByType.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value))" }
    line("requests", "\(g(s.requests)) a run would send (\(byType.joined(separator: ", ")))")
    // The estimate's worst case follows --billing (phones per number under per-number).
    line("credits", "at most \(g(estimate?.worstCase ?? s.credits)) (costs \(s.creditCosts))")
    if let line = reuse?.line { out += line + "\n" }
    if let estimate { out += estimate.line + "\n" }
    line(
      "duration",
      "at least \(ProgressPrinter.duration(s.minimumDurationSeconds)) at \(MappingSummary.requestsPerSecond) requests/s"
    )
    for w in warnings {
      out +=
        "warning: \(file)\(w.firstLocation.map { ":\($0)" } ?? ""): \(w.message) (\(g(w.count))×)\n"
    }
    return out
  }
}

extension ListInspection {
  /// The inspection of `table`'s file, once every row was planned into `summary`.
  init(
    path: String, table: Table, mapping: ColumnMapping, options: MappingOptions,
    summary: MappingSummary, warnings: [IngestWarning]
  ) {
    self.init(
      file: path, info: table.info, headerRow: table.headerRowNumber, header: table.header,
      mapping: mapping.assignments.map {
        Column(
          field: $0.field.rawValue, column: SourceLocation.columnLetters($0.column),
          header: $0.header, decision: $0.decision.description)
      },
      customFields: Dictionary(uniqueKeysWithValues: mapping.custom.map { ($0.key, $0.header) }),
      unmappedColumns: mapping.unmappedHeaders, types: options.types, summary: summary,
      warnings: warnings, orderBy: nil)
  }
}
