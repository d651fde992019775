import Foundation
import LeadsheetCore

/// Reads a table's rows on a thread of its own, a few batches ahead of the consumer.
///
/// Parsing and planning then use both cores: while the caller maps and
/// validates one batch, the next ones are being parsed. Memory stays bounded:
/// at most `depth` batches of `batchSize` rows wait in the queue.
///
///     let rows = RowPrefetcher(table)
///     while let batch = try rows.nextBatch() { for row in batch { … } }
///     let warnings = rows.table.allWarnings   // complete once nextBatch returned nil
public final class RowPrefetcher: @unchecked Sendable {
  /// The table read; touch it only after `nextBatch()` returned `nil`.
  public let table: Table
  private let batchSize: Int
  private let depth: Int
  private let condition = NSCondition()
  private var queue: [[SourceRow]] = []
  private var finished = false
  private var failure: (any Error)?
  private var cancelled = false

  /// Starts reading `table` on a background thread.
  ///
  /// - Parameters:
  ///   - table: The table, already past its header; not used by the caller while reading.
  ///   - batchSize: Rows per batch.
  ///   - depth: Batches read ahead at most.
  public init(_ table: Table, batchSize: Int = 2_048, depth: Int = 4) {
    self.table = table
    self.batchSize = max(1, batchSize)
    self.depth = max(1, depth)
    // The thread holds the prefetcher until `produce` returns; the prefetcher must not hold
    // the thread (a cycle: the thread keeps its closure, so neither would ever be freed).
    let thread = Thread { [self] in produce() }
    thread.name = "leadsheet.ingest"
    thread.stackSize = 1 << 20
    thread.start()
  }

  deinit { cancel() }

  private func produce() {
    var batch: [SourceRow] = []
    batch.reserveCapacity(batchSize)
    do {
      while let row = try table.next() {
        batch.append(row)
        if batch.count == batchSize {
          guard push(batch) else { return }
          batch = []
          batch.reserveCapacity(batchSize)
        }
      }
      if !batch.isEmpty { _ = push(batch) }
      condition.withLock {
        finished = true
        condition.broadcast()
      }
    } catch {
      // The rows read before the error go first, so the consumer sees every one of them.
      if !batch.isEmpty { guard push(batch) else { return } }
      condition.withLock {
        failure = error
        finished = true
        condition.broadcast()
      }
    }
  }

  /// Queues a batch, waiting while the queue is full; `false` once cancelled.
  private func push(_ batch: [SourceRow]) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while queue.count >= depth && !cancelled { condition.wait() }
    if cancelled { return false }
    queue.append(batch)
    condition.broadcast()
    return true
  }

  /// The next batch of rows in file order, or `nil` at the end.
  ///
  /// - Throws: The reader's `LeadsheetError`, after every row before it was returned.
  public func nextBatch() throws -> [SourceRow]? {
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

  /// Stops reading early (the consumer gave up); the thread ends at its next batch.
  public func cancel() {
    condition.withLock {
      cancelled = true
      condition.broadcast()
    }
  }
}
