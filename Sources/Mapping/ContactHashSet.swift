/// A set of `ContactHash`es: open addressing with linear probing.
///
/// A `ContactHash` is already a well-mixed 128-bit hash, so its low bits pick
/// the slot directly; `Set<ContactHash>` would hash it again with SipHash on
/// every insertion and every rehash. The table doubles at three-quarters load
/// (linear probing with 16-byte slots, four to a cache line, still finds a
/// member or a free slot in one or two cache lines there).
struct ContactHashSet: Sendable {
  /// The slots; `(0, 0)` marks an empty slot (`zeroIsMember` tracks that hash).
  private var slots: [ContactHash]
  /// Whether the all-zero hash is a member.
  private var zeroIsMember = false
  /// What `prefetch` loaded, kept so that the loads are not optimised away.
  private var prefetched: UInt64 = 0
  /// Members, the all-zero hash included.
  private(set) var count = 0

  /// Creates an empty set with room for `capacity` members before it grows.
  init(capacity: Int = 0) {
    slots = Array(repeating: ContactHash(high: 0, low: 0), count: Self.slotCount(for: capacity))
  }

  /// The table size holding `capacity` members under the maximum load (3/4).
  static func slotCount(for capacity: Int) -> Int {
    var n = 1024
    while n / 4 * 3 < capacity { n *= 2 }
    return n
  }

  /// Loads the first slot of each hash's probe sequence into the cache.
  mutating func prefetch(_ hashes: [ContactHash]) {
    var sum: UInt64 = 0
    slots.withUnsafeBufferPointer { table in
      let mask = table.count - 1
      for hash in hashes { sum &+= table[Int(truncatingIfNeeded: hash.low) & mask].low }
    }
    prefetched &+= sum
  }

  /// Slots in the table (16 bytes each).
  var slotCount: Int { slots.count }

  /// Makes room for `capacity` members at once, so that the table does not
  /// double (and re-place every member) on the way there.
  mutating func reserveCapacity(_ capacity: Int) {
    let wanted = Self.slotCount(for: capacity)
    if wanted > slots.count { rebuild(slotCount: wanted) }
  }

  /// Inserts `hash`; returns whether it was not yet a member.
  @discardableResult
  mutating func insert(_ hash: ContactHash) -> Bool {
    if hash.high == 0, hash.low == 0 {
      if zeroIsMember { return false }
      zeroIsMember = true
      count += 1
      return true
    }
    if count + 1 > slots.count / 4 * 3 { rebuild(slotCount: slots.count * 2) }
    let inserted = slots.withUnsafeMutableBufferPointer { Self.place(hash, in: $0) }
    if inserted { count += 1 }
    return inserted
  }

  /// Whether `hash` is a member.
  func contains(_ hash: ContactHash) -> Bool {
    if hash.high == 0, hash.low == 0 { return zeroIsMember }
    return slots.withUnsafeBufferPointer { table in
      let mask = table.count - 1
      var i = Int(truncatingIfNeeded: hash.low) & mask
      while true {
        let slot = table[i]
        if slot.high == hash.high, slot.low == hash.low { return true }
        if slot.high == 0, slot.low == 0 { return false }
        i = (i + 1) & mask
      }
    }
  }

  /// Calls `body` with every member, in no particular order.
  func forEach(_ body: (ContactHash) throws -> Void) rethrows {
    if zeroIsMember { try body(ContactHash(high: 0, low: 0)) }
    try slots.withUnsafeBufferPointer { table in
      for hash in table where hash.high != 0 || hash.low != 0 { try body(hash) }
    }
  }

  /// Puts `hash` (not all-zero) in the first free slot of its probe sequence,
  /// unless it is already there.
  @inline(__always)
  private static func place(_ hash: ContactHash, in table: UnsafeMutableBufferPointer<ContactHash>)
    -> Bool
  {
    let mask = table.count - 1
    var i = Int(truncatingIfNeeded: hash.low) & mask
    while true {
      let slot = table[i]
      if slot.high == 0, slot.low == 0 {
        table[i] = hash
        return true
      }
      if slot.high == hash.high, slot.low == hash.low { return false }
      i = (i + 1) & mask
    }
  }

  /// Doubles the table.
  /// Moves the members to a table of `slotCount` slots (a power of two).
  private mutating func rebuild(slotCount: Int) {
    let old = slots
    slots = Array(repeating: ContactHash(high: 0, low: 0), count: slotCount)
    slots.withUnsafeMutableBufferPointer { table in
      for hash in old where hash.high != 0 || hash.low != 0 { _ = Self.place(hash, in: table) }
    }
  }
}
