/// The requests of one ingest by contact digest: an open-addressing hash table in flat arrays.
///
/// Each slot is 16 bytes: the digest's first 64 bits (which also choose the
/// slot), 32 bits of its second half, and the request's id as an offset
/// from the ingest's first request id, so a million distinct contacts take
/// 32 MB (2²¹ slots, grown at 3/4 load). The 96 bits compared make a false
/// match between two of a million distinct contacts about 10⁻¹⁷ likely.
/// Linear probing; no deletion (an ingest only adds).
struct ContactDigestTable {
  private var high: [UInt64]
  /// Low 32 bits: 32 bits of the digest's second half; high 32 bits: offset + 1 (0: empty).
  private var rest: [UInt64]
  private var mask: Int
  /// Entries stored.
  private(set) var count = 0
  /// Slots (a power of two).
  var slots: Int { mask + 1 }

  /// Creates an empty table with room for `capacity` entries before it grows.
  init(capacity: Int = 1 << 12) {
    var size = 16
    while size * 3 / 4 < capacity { size <<= 1 }
    high = Array(repeating: 0, count: size)
    rest = Array(repeating: 0, count: size)
    mask = size - 1
  }

  /// The offset stored for `digest`, or `nil`.
  func find(_ digest: ContactDigest) -> UInt32? {
    let tag = digest.low & 0xFFFF_FFFF
    var i = Int(truncatingIfNeeded: digest.high) & mask
    while true {
      let r = rest[i]
      if r == 0 { return nil }
      if high[i] == digest.high, r & 0xFFFF_FFFF == tag { return UInt32(r >> 32) - 1 }
      i = (i + 1) & mask
    }
  }

  /// Stores `offset` for `digest` (which must not be in the table yet).
  mutating func insert(_ digest: ContactDigest, offset: UInt32) {
    precondition(offset < UInt32.max, "more than 4 billion requests in one ingest")
    if (count + 1) * 4 > (mask + 1) * 3 { grow() }
    place(digest.high, (UInt64(offset) + 1) << 32 | digest.low & 0xFFFF_FFFF)
    count += 1
  }

  private mutating func place(_ h: UInt64, _ r: UInt64) {
    var i = Int(truncatingIfNeeded: h) & mask
    while rest[i] != 0 { i = (i + 1) & mask }
    high[i] = h
    rest[i] = r
  }

  /// Grows the table at once to hold `capacity` entries before it must grow again
  /// (nothing when it already does).
  ///
  /// An ingest calls it early, with the rows it expects from the file's size, so that
  /// a large table is made once while it is small, instead of doubling when nearly
  /// full (for a million contacts: 32 MB once instead of 16 + 32 MB at the doubling).
  mutating func reserve(capacity: Int) {
    var size = mask + 1
    while size * 3 / 4 < capacity { size <<= 1 }
    if size > mask + 1 { grow(to: size) }
  }

  /// Doubles the table.
  private mutating func grow() { grow(to: (mask + 1) * 2) }

  /// Rebuilds the table with `size` slots; the old arrays are freed before the new
  /// ones fill (peak 3×, not 4×).
  private mutating func grow(to size: Int) {
    let oldHigh = high
    let oldRest = rest
    high = []
    rest = []
    high = Array(repeating: 0, count: size)
    rest = Array(repeating: 0, count: size)
    mask = size - 1
    for i in oldRest.indices where oldRest[i] != 0 { place(oldHigh[i], oldRest[i]) }
  }
}
