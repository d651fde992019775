import ArgumentParser
import Foundation
import Ingest
import JobStore
import LeadsheetCore
import Mapping
import Runner

extension ListInspection {
  /// How much of the list at `path` the contact store of `store` already answers
  /// under `policy`; `nil` when the store is empty (nothing to read again).
  ///
  /// The list is read a second time, by cells, and each distinct contact is looked
  /// up once per batch of rows.
  ///
  /// - Throws: `LeadsheetError` for an unreadable list or database.
  static func storeCoverage(
    path: String, ingest: IngestOptions, mapping options: MappingOptions, store: JobStore,
    policy: ReusePolicy, billing: BillingModel
  ) throws -> StoreCoverage? {
    guard try !store.contactStoreIsEmpty() else { return nil }
    let table = try SourceOpener.openTable(path: path, options: ingest)
    let mapping = try ColumnMapping.resolve(header: table.header, options: options)
    let planner = RowPlanner(mapping: mapping, options: options)
    var coverage = StoreCoverage(policy: policy, billing: billing)
    let rows = RowPrefetcher(table)
    let now = Date()
    while let batch = try rows.nextBatch() {
      let requests = batch.compactMap { planner.plan($0.cells).request }
      let stored = try store.storedAnswers(
        of: Array(Set(requests.compactMap(ContactIdentity.init))))
      for request in requests {
        guard let identity = ContactIdentity(request), let answers = stored[identity] else {
          continue
        }
        coverage.add(request, stored: answers, now: now)
      }
    }
    return coverage
  }
}

/// `--max-age`, `--recheck-not-found-after`, `--refresh` where a list is only read
/// (`inspect`): the reuse the estimate counts.
struct ReuseArguments: ParsableArguments {
  @Option(help: "Count as reused the stored answers younger than this (as enrich's --max-age).")
  var maxAge = "90d"

  @Option(help: "Count as reused the not-found answers younger than this.")
  var recheckNotFoundAfter = "30d"

  @Flag(help: "Count nothing as reused (as enrich --refresh).")
  var refresh = false

  func validate() throws {
    try Self.validateAges(maxAge: maxAge, recheckNotFoundAfter: recheckNotFoundAfter)
  }

  /// Refuses a `--max-age` or `--recheck-not-found-after` that is not an age (`enrich`,
  /// `resume` and `inspect` say it the same way).
  static func validateAges(maxAge: String?, recheckNotFoundAfter: String?) throws {
    if let maxAge, ReusePolicy.seconds(maxAge) == nil {
      throw ValidationError("--max-age must be an age such as 90d or 12h (0 = always buy)")
    }
    if let recheckNotFoundAfter, ReusePolicy.seconds(recheckNotFoundAfter) == nil {
      throw ValidationError(
        "--recheck-not-found-after must be an age such as 30d or 12h (0 = always buy again)")
    }
  }

  /// The policy these name.
  var policy: ReusePolicy {
    ReusePolicy(
      maxAge: ReusePolicy.seconds(maxAge) ?? 90 * 86_400,
      recheckNotFoundAfter: ReusePolicy.seconds(recheckNotFoundAfter) ?? 30 * 86_400,
      refresh: refresh)
  }
}
