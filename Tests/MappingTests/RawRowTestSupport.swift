import LeadsheetCore

/// A deterministic generator (SplitMix64) for the raw-row and merge tests.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Calls `body` with `fields` as a `RawRow` (fields back to back in one buffer).
func withRawRow<R>(_ fields: [String], number: Int = 1, _ body: (RawRow) throws -> R) rethrows
  -> R
{
  var bytes: [UInt8] = []
  var ends: [Int] = []
  for field in fields {
    bytes += Array(field.utf8)
    ends.append(bytes.count)
  }
  return try bytes.withUnsafeBufferPointer { b in
    try ends.withUnsafeBufferPointer { e in
      try body(RawRow(number: number, bytes: b, ends: e, count: fields.count))
    }
  }
}
