import Foundation
import JobStore
import LeadsheetCore
import Mapping

/// Changes the send order of a job that exists (`enrich` again, or `resume --order-by`).
///
/// The order is not part of a job's identity: a new `--order-by` is stored with
/// the job and its requests are ranked again (the pending ones are what it
/// changes; those already answered keep their results). A job still
/// `ingesting` only stores it: its ingest ranks the requests when it ends.
public enum JobOrdering {
  /// Stores `orderBy` as `job`'s order and ranks its requests by it, unless it is
  /// already the job's order.
  ///
  /// - Returns: The new order, or `nil` when nothing changed.
  /// - Throws: `LeadsheetError(.notFound)` for a column not in the job's header
  ///   (the one-line message lists the headers); `LeadsheetError(.storage)`.
  @discardableResult
  public static func apply(_ orderBy: String, to job: Job, in store: JobStore) throws -> OrderBy? {
    let order = try OrderBy.parse(orderBy)
    guard
      let resolved = try JobBuilder.requestOrder(order.description, header: job.spec.header),
      var options = JobOptions(json: job.spec.options)
    else { return nil }
    if let stored = try? JobBuilder.requestOrder(options.orderBy, header: job.spec.header),
      stored == resolved
    {
      return nil
    }
    options.orderBy = order.description
    let text = try JobBuilder.optionsText(options)
    if job.state == .ingesting {
      try store.updateOptions(job: job.id, text)
    } else {
      try store.rankRequests(job: job.id, by: resolved, options: text)
    }
    return order
  }
}
