import Foundation
import Ingest
import JobStore
import LeadsheetCore
import Mapping

/// Reads, plans and encodes a list's rows on its own thread, for the thread writing them to SQLite.
///
/// The two halves of an ingest take about the same time (reading and
/// planning a row, encoding its cells and request; inserting it), so on two
/// cores they overlap. Batches of 1,024 rows, at most 8 waiting: memory stays
/// flat whatever the list's size.
final class PlannedRowQueue: @unchecked Sendable {
  /// `--only-missing`: the column whose non-blank rows are skipped, and its name.
  struct OnlyMissing: Sendable {
    var column: Int
    var name: String
  }

  private let table: Table
  private let planner: RowPlanner
  private let onlyMissing: OnlyMissing?
  private let skip: Int
  private let condition = NSCondition()
  private var queue: [[EncodedIngestRow]] = []
  private var finished = false
  private var failure: (any Error)?
  private var cancelled = false
  private var planned: MappingSummary

  /// Starts reading.
  ///
  /// - Parameters:
  ///   - skip: Rows already stored by an interrupted ingest: planned (for the
  ///     summary) but not handed over.
  init(
    table: Table, planner: RowPlanner, creditCosts: CreditCosts, onlyMissing: OnlyMissing?,
    skip: Int = 0
  ) {
    self.table = table
    self.planner = planner
    self.onlyMissing = onlyMissing
    self.skip = skip
    planned = MappingSummary(creditCosts: creditCosts)
    // The store finds duplicates (a digest per distinct contact): counting
    // them here too would hold a second set of every contact.
    planned.findsDuplicates = false
    let thread = Thread { [self] in produce() }
    thread.name = "leadsheet.plan"
    thread.stackSize = 1 << 20
    thread.start()
  }

  deinit { cancel() }

  /// The mapping summary of every row read; complete once `next()` returned `nil`.
  ///
  /// Its distinct-request counts are not set (`MappingSummary.findsDuplicates`
  /// is off): take them from the store's `IngestSummary`.
  var summary: MappingSummary { condition.withLock { planned } }

  private func produce() {
    var summary = planned
    var batch: [EncodedIngestRow] = []
    batch.reserveCapacity(1_024)
    var seen = 0
    do {
      while let row = try table.next() {
        let plan: IngestPlan
        if let only = onlyMissing, !row.cells[only.column].isBlank {
          plan = .skipped(reason: "already has a value in \"\(only.name)\"")
        } else {
          let p = planner.plan(row.cells)
          summary.add(p)
          switch p {
          case .send(let request, _, _): plan = .request(request)
          case .invalid(let reason, _): plan = .invalid(code: reason.code, message: reason.message)
          }
        }
        seen += 1
        if seen <= skip { continue }
        batch.append(EncodedIngestRow(IngestRow(line: row.number, cells: row.cells, plan: plan)))
        if batch.count == 1_024 {
          guard push(batch) else { return }
          batch.removeAll(keepingCapacity: true)
        }
      }
      if !batch.isEmpty, !push(batch) { return }
      condition.withLock {
        planned = summary
        finished = true
        condition.broadcast()
      }
    } catch {
      if !batch.isEmpty, !push(batch) { return }
      condition.withLock {
        failure = error
        finished = true
        condition.broadcast()
      }
    }
  }

  private func push(_ batch: [EncodedIngestRow]) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while queue.count >= 8 && !cancelled { condition.wait() }
    if cancelled { return false }
    queue.append(batch)
    condition.broadcast()
    return true
  }

  /// The next batch; `nil` after the last.
  ///
  /// - Throws: The reader's error, after the rows read before it.
  func next() throws -> [EncodedIngestRow]? {
    condition.lock()
    defer { condition.unlock() }
    while queue.isEmpty && !finished { condition.wait() }
    if !queue.isEmpty {
      let batch = queue.removeFirst()
      condition.broadcast()
      return batch
    }
    if let failure { throw failure }
    return nil
  }

  /// Stops the reading thread at its next batch.
  func cancel() {
    condition.withLock {
      cancelled = true
      condition.broadcast()
    }
  }
}
