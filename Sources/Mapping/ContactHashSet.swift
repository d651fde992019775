/// A set of `ContactHash`es: open addressing with linear probing.
///
/// A `ContactHash` is already a well-mixed 128-bit hash, so its low bits pick
/// the slot directly; `Set<ContactHash>` would hash it again with SipHash on
/// every insertion and every rehash. The table doubles at half load.
struct ContactHashSet: Sendable {
  /// The slots; `(0, 0)` marks an empty slot (`zeroIsMember` tracks that hash).
  private var slots: [ContactHash]
  /// Whether the all-zero hash is a member.
  private var zeroIsMember = false
  /// Members, the all-zero hash included.
  private(set) var count = 0

  /// Creates an empty set.
  init() {
    slots = Array(repeating: ContactHash(high: 0, low: 0), count: 1024)
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
    if (count + 1) * 2 > slots.count { grow() }
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
  private mutating func grow() {
    let old = slots
    slots = Array(repeating: ContactHash(high: 0, low: 0), count: old.count * 2)
    slots.withUnsafeMutableBufferPointer { table in
      for hash in old where hash.high != 0 || hash.low != 0 { _ = Self.place(hash, in: table) }
    }
  }
}
