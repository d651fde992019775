/// A 128-bit fingerprint of a contact key, for counting duplicates in bounded memory.
///
/// Two independent 64-bit lanes over the key's UTF-8 bytes (FNV-1a, and a
/// multiply-rotate lane), each finished with MurmurHash3's `fmix64`.
/// Deterministic across runs and machines, unlike `Hasher`. At 16 bytes a
/// contact, a million distinct contacts take about 16 MB plus the set's
/// overhead; for an ideal 128-bit hash the chance of any collision among
/// them is about 10⁻²⁷.
public struct ContactHash: Sendable, Hashable, Codable {
  /// The first lane.
  public var high: UInt64
  /// The second lane.
  public var low: UInt64

  /// Fingerprints a key (usually `EnrichRequest.contactKey`).
  public init(_ key: String) {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325
    var b: UInt64 = 0x9e37_79b9_7f4a_7c15
    for byte in key.utf8 {
      a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      b = ((b &+ UInt64(byte)) &* 0xc2b2_ae3d_27d4_eb4f)
      b = (b << 31) | (b >> 33)
    }
    let length = UInt64(key.utf8.count)
    high = Self.fmix(a ^ length)
    low = Self.fmix(b ^ (length &* 0x1656_67b1_9e37_79f9))
  }

  /// Creates a hash from its lanes.
  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  static func fmix(_ value: UInt64) -> UInt64 {
    var k = value
    k ^= k >> 33
    k &*= 0xff51_afd7_ed55_8ccd
    k ^= k >> 33
    k &*= 0xc4ce_b9fe_1a85_ec53
    k ^= k >> 33
    return k
  }
}
