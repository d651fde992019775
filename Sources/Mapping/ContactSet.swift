import Foundation
import LeadsheetCore
import SystemIO

/// The distinct contacts a `MappingSummary` has seen, in bounded memory.
///
/// Tagged hashes (`EnrichmentTypeMask.tag`) are kept in a `ContactHashSet`
/// of at most `maxSlots` slots (16 MB). When more distinct contacts come,
/// the set spills: its members, then every later hash, go to a
/// `ContactHashSpill` on disk, unchecked. `insert` then answers "new" for
/// every hash, so the summary counts each as a request until
/// `MappingSummary.merged` settles the count partition by partition. Lists
/// under the limit (about 786,000 distinct contacts per summary) never touch
/// the disk.
///
/// A spilled set shares its files with its copies: feed only one copy.
struct ContactSet: @unchecked Sendable {
  /// The most slots the in-memory set may have (`1 << 20`: 16 MB).
  let maxSlots: Int
  /// The folder under which spill files go; `nil` for `TMPDIR` (tests set it).
  let spillBase: String?

  /// The members while in memory (emptied when spilled).
  private(set) var table = ContactHashSet()
  /// Where hashes go once the set spilled.
  private(set) var spill: ContactHashSpill?
  /// Why the set could not spill, if it could not (it then stays in memory).
  private(set) var spillFailure: LeadsheetError?

  /// Creates an empty set of at most `maxSlots` slots in memory.
  init(maxSlots: Int = 1 << 20, spillBase: String? = nil) {
    self.maxSlots = maxSlots
    self.spillBase = spillBase
  }

  /// Whether members went to disk.
  var spilled: Bool { spill != nil }

  /// Inserts a tagged hash; `false` when it is certainly already a member.
  @inline(__always)
  mutating func insert(_ hash: ContactHash) -> Bool {
    if let spill {
      spill.append(hash)
      return true
    }
    if spillFailure == nil, table.count + 1 > maxSlots / 4 * 3 {
      spillToDisk()
      if let spill {
        spill.append(hash)
        return true
      }
    }
    return table.insert(hash)
  }

  /// Loads the slots of `hashes` into the cache, all at once (the loads do
  /// not wait on each other), before they are inserted one by one.
  mutating func prefetch(_ hashes: [ContactHash]) {
    if spill == nil { table.prefetch(hashes) }
  }

  /// Whether `hash` is a member (an in-memory set only).
  func contains(_ hash: ContactHash) -> Bool { table.contains(hash) }

  /// Makes room for `capacity` members, up to the in-memory limit.
  mutating func reserveCapacity(_ capacity: Int) {
    guard spill == nil else { return }
    table.reserveCapacity(min(capacity, maxSlots / 4 * 3))
  }

  /// Moves the members to a new spill; on failure the set stays in memory,
  /// unbounded but exact, and the failure is kept.
  private mutating func spillToDisk() {
    do {
      let spill = try ContactHashSpill(base: spillBase)
      table.forEach { spill.append($0) }
      table = ContactHashSet()
      self.spill = spill
    } catch {
      spillFailure = error as? LeadsheetError ?? spillError(folder: "TMPDIR", code: Errno(EIO))
    }
  }
}
