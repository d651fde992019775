/// A small, fast, seedable random number generator (SplitMix64).
///
/// Also used as a hash finaliser: ``mix(_:)`` turns any 64-bit value into a
/// well-spread one, from which the simulator draws per-contact outcomes.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  var state: UInt64

  /// Creates a generator from a seed.
  public init(seed: UInt64) { self.state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return Self.mix(state)
  }

  /// The SplitMix64 finaliser.
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A unit value in `0..<1` from 64 bits.
  public static func unit(_ bits: UInt64) -> Double {
    Double(bits >> 11) / Double(1 << 53)
  }

  /// The 64-bit FNV-1a hash of a string's UTF-8 bytes.
  public static func fnv1a(_ text: String, seed: UInt64 = 0) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ mix(seed)
    for byte in text.utf8 {
      h ^= UInt64(byte)
      h &*= 0x0000_0100_0000_01B3
    }
    return h
  }
}
