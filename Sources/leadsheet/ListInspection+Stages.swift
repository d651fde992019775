import Foundation
import Ingest
import JobStore
import LeadsheetCore
import Mapping
import Runner

extension ListInspection {
  /// The list's worst case with and without the staging rules `stage`: each
  /// distinct request once, in file order, with the answers the contact store
  /// already holds under `reuse` (`store`: `nil` when there is no database).
  ///
  /// The list is read again, by cells.
  ///
  /// - Throws: `LeadsheetError` for an unreadable list or database, or a `--max-per`
  ///   column not in the header.
  static func stagedCost(
    path: String, ingest: IngestOptions, mapping options: MappingOptions, store: JobStore?,
    reuse: ReusePolicy, stage: StagePolicy, billing: BillingModel
  ) throws -> StagedCost {
    let table = try SourceOpener.openTable(path: path, options: ingest)
    let mapping = try ColumnMapping.resolve(header: table.header, options: options)
    let planner = RowPlanner(mapping: mapping, options: options)
    let groupColumn = try stage.maxPer.map {
      try ColumnMapping.orderColumn($0.column, in: table.header, option: "--max-per")
    }
    var cost = StagedCost(policy: stage, billing: billing)
    var seen = Set<String>()
    let rows = RowPrefetcher(table)
    let now = Date()
    let storeHolds = try store.map { try !$0.contactStoreIsEmpty() } ?? false
    while let batch = try rows.nextBatch() {
      let planned = batch.compactMap { row in planner.plan(row.cells).request.map { (row, $0) } }
      var stored: [ContactIdentity: [String: StoredAnswer]] = [:]
      if storeHolds, let store {
        stored = try store.storedAnswers(
          of: Array(Set(planned.compactMap { ContactIdentity($0.1) })))
      }
      for (row, request) in planned where seen.insert(request.contactKey).inserted {
        var reused: [EnrichmentType: StoredAnswer] = [:]
        if let identity = ContactIdentity(request), let answers = stored[identity] {
          reused =
            reuse.plan(
              types: request.enrichmentType, countries: request.phoneCountryCodes,
              stored: answers, now: now
            ).reused
        }
        let group = groupColumn.flatMap { column in
          column < row.cells.count ? JobStore.groupKey(row.cells[column].text) : nil
        }
        cost.add(types: request.enrichmentType, reused: reused, group: group)
      }
    }
    return cost
  }
}
