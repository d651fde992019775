/// MurmurHash3_x64_128 (Austin Appleby's, seed 0): a fast, well-mixed 128-bit hash.
///
/// Deterministic across runs and machines, unlike `Hasher`. Used wherever
/// contacts are told apart by fingerprint: `Mapping.ContactHash` (counting
/// duplicates at `inspect`) and the job store's duplicate table at ingest.
/// Never persisted, so it may change between versions.
public enum MurmurHash3 {
  /// The 128-bit hash of `data`, as MurmurHash3_x64_128 with seed 0 gives it (`h1`, `h2`).
  @inlinable
  public static func x64_128(_ data: UnsafeRawBufferPointer) -> (high: UInt64, low: UInt64) {
    let c1: UInt64 = 0x87c3_7b91_1142_53d5
    let c2: UInt64 = 0x4cf5_ad43_2745_937f
    var h1: UInt64 = 0
    var h2: UInt64 = 0
    let n = data.count
    var i = 0
    if let base = data.baseAddress {
      while i + 16 <= n {
        var k1 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        var k2 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
        k1 &*= c1
        k1 = rotl(k1, 31)
        k1 &*= c2
        h1 ^= k1
        h1 = rotl(h1, 27)
        h1 &+= h2
        h1 = h1 &* 5 &+ 0x52dc_e729
        k2 &*= c2
        k2 = rotl(k2, 33)
        k2 &*= c1
        h2 ^= k2
        h2 = rotl(h2, 31)
        h2 &+= h1
        h2 = h2 &* 5 &+ 0x3849_5ab5
        i += 16
      }
      // The last 0–15 bytes, little-endian: k1 the first eight, k2 the rest.
      var k1: UInt64 = 0
      var k2: UInt64 = 0
      let rest = n - i
      if rest > 8 {
        for j in stride(from: rest - 1, through: 8, by: -1) {
          k2 = k2 << 8 | UInt64(base.load(fromByteOffset: i + j, as: UInt8.self))
        }
        k2 &*= c2
        k2 = rotl(k2, 33)
        k2 &*= c1
        h2 ^= k2
      }
      if rest > 0 {
        for j in stride(from: min(rest, 8) - 1, through: 0, by: -1) {
          k1 = k1 << 8 | UInt64(base.load(fromByteOffset: i + j, as: UInt8.self))
        }
        k1 &*= c1
        k1 = rotl(k1, 31)
        k1 &*= c2
        h1 ^= k1
      }
    }
    h1 ^= UInt64(n)
    h2 ^= UInt64(n)
    h1 &+= h2
    h2 &+= h1
    h1 = fmix(h1)
    h2 = fmix(h2)
    h1 &+= h2
    h2 &+= h1
    return (h1, h2)
  }

  @inlinable @inline(__always)
  static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 {
    (x &<< r) | (x &>> (64 - r))
  }

  /// MurmurHash3's 64-bit finaliser.
  @inlinable
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
