import Dispatch
import Foundation
import LeadsheetCore

extension MappingSummary {
  /// The summary of consecutive pieces of one list, each summarised on its own
  /// (by parallel workers), as one summary fed every row in order would be.
  ///
  /// Counts of rows, valid and invalid rows, reasons, partial rows and ignored
  /// values add up. A contact that appears in several parts is a distinct
  /// request only in the first: for every contact of a part that an earlier
  /// part also holds, `duplicates` gains one and `requests`, `requestsByType`,
  /// `credits` and `minimumDurationSeconds` lose what the part counted for it.
  /// The union of the parts' contacts is not built: each part's contacts are
  /// looked up in the earlier parts' sets.
  ///
  /// A part whose contacts spilled to disk (`ContactSet`) counted every
  /// contact after the spill as new; the merge settles that too, one
  /// partition of the hashes at a time, so `merged([summary])` of a single
  /// spilled summary gives its exact counts.
  ///
  /// The result's credit costs are the first part's (all parts should use the
  /// same). Unless it is the one part given and did not spill, the result does
  /// not keep the contacts seen, so rows added to it later are counted as if
  /// they were the first (as for a decoded summary).
  ///
  /// - Parameter parts: The parts' summaries, in file order.
  /// - Returns: The whole list's summary (an empty one for no part).
  /// - Throws: `LeadsheetError` when a spilled part's files cannot be read back
  ///   (or could not be written).
  public static func merged(_ parts: [MappingSummary]) throws -> MappingSummary {
    // Batches not yet checked: an in-memory part checks its own (on a copy); a
    // spilled part's are counted as requests like every hash it spilled, and
    // settled below with them (a copy must not append to the part's files).
    var parts = parts.map { part in
      var part = part
      if part.seen.spilled {
        for hash in part.pending { part.countUnchecked(hash) }
      } else {
        part.flush()
      }
      return part
    }
    guard let first = parts.first else { return MappingSummary() }
    let spilled = parts.contains { $0.seen.spilled }
    guard parts.count > 1 || spilled else { return first }
    var total = MappingSummary(creditCosts: first.creditCosts)
    for part in parts {
      total.rows += part.rows
      total.valid += part.valid
      total.invalid += part.invalid
      total.invalidByReason.merge(part.invalidByReason, uniquingKeysWith: +)
      total.partial += part.partial
      total.droppedByType.merge(part.droppedByType, uniquingKeysWith: +)
      total.ignoredValues.merge(part.ignoredValues, uniquingKeysWith: +)
      total.duplicates += part.duplicates
      total.requests += part.requests
      total.requestsByType.merge(part.requestsByType, uniquingKeysWith: +)
      total.credits += part.credits
    }
    // Contacts counted as new requests by a part that are repeats after all, by type mask.
    var repeats = [Int](repeating: 0, count: 8)
    if spilled {
      // Every hash counted as a request, partition by partition (on every core): each
      // repeat is a duplicate.
      for part in parts { try part.seen.spill?.finishWriting() }
      let shared = UncheckedParts(parts)
      let results = PartitionResults()
      DispatchQueue.concurrentPerform(iterations: ContactHashSpill.partitions) { p in
        do {
          var repeats = [Int](repeating: 0, count: 8)
          var hashes: [[ContactHash]] = []
          var size = 0
          for part in shared.parts {
            var mine: [ContactHash]
            if let spill = part.seen.spill {
              mine = try spill.readPartition(p)
              mine += part.pending.lazy.filter { ContactHashSpill.partition($0) == p }
            } else {
              mine = []
              part.seen.table.forEach { if ContactHashSpill.partition($0) == p { mine.append($0) } }
            }
            size += mine.count
            hashes.append(mine)
          }
          var distinct = ContactHashSet(capacity: size)
          for list in hashes {
            for hash in list where !distinct.insert(hash) {
              repeats[Int(EnrichmentTypeMask(taggedHash: hash).bits)] += 1
            }
          }
          results.add(repeats)
        } catch {
          results.fail(error)
        }
      }
      if let failure = results.failure { throw failure }
      repeats = results.repeats
    } else {
      // A contact of a part that an earlier part holds.
      // Looked up in batches, each batch's slots loaded together (see `flush`).
      var batch: [ContactHash] = []
      batch.reserveCapacity(Self.batchSize)
      for i in 1..<parts.count {
        let members = parts[i].seen.table
        var k = 0
        let count = members.count
        members.forEach { hash in
          batch.append(hash)
          k += 1
          guard batch.count == Self.batchSize || k == count else { return }
          for j in 0..<i { parts[j].seen.prefetch(batch) }
          for hash in batch where parts[..<i].contains(where: { $0.seen.contains(hash) }) {
            repeats[Int(EnrichmentTypeMask(taggedHash: hash).bits)] += 1
          }
          batch.removeAll(keepingCapacity: true)
        }
      }
    }
    for (bits, n) in repeats.enumerated() where n > 0 {
      let types = EnrichmentTypeMask(bits: UInt8(bits))
      total.duplicates += n
      total.requests -= n
      for type in types.types { total.requestsByType[type.rawValue, default: 0] -= n }
      total.credits -= total.creditCosts.cost(of: types.types) * n
    }
    total.requestsByType = total.requestsByType.filter { $0.value != 0 }
    if total.requests > 0 {
      total.minimumDurationSeconds = Double(total.requests) / Double(Self.requestsPerSecond)
    }
    return total
  }

  /// Makes room for `count` distinct contacts at once (up to the in-memory
  /// limit), so that the set of contacts does not grow step by step.
  public mutating func reserveContacts(_ count: Int) {
    seen.reserveCapacity(count)
  }
}

/// The parts, read (not changed) by the partition threads of `merged`.
private struct UncheckedParts: @unchecked Sendable {
  let parts: [MappingSummary]
  init(_ parts: [MappingSummary]) { self.parts = parts }
}

/// The repeats counted by the partition threads of `merged`, added under a lock.
private final class PartitionResults: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var repeats = [Int](repeating: 0, count: 8)
  private(set) var failure: (any Error)?

  func add(_ counts: [Int]) {
    lock.withLock { for i in counts.indices { repeats[i] += counts[i] } }
  }

  func fail(_ error: any Error) {
    lock.withLock { if failure == nil { failure = error } }
  }
}
