/// A 128-bit fingerprint of a contact key, for finding duplicates at ingest in memory.
///
/// Two 64-bit multiply-rotate lanes over the key's bytes, eight at a time,
/// each closed with MurmurHash3's finaliser. Deterministic, but never stored:
/// an interrupted ingest rebuilds its digests from the stored `contact_key`
/// texts, so the function may change between versions. For 128 well-mixed
/// bits the chance that two of a million distinct contacts share a digest
/// is about 10⁻²⁷.
struct ContactDigest: Hashable {
  /// The first lane.
  var high: UInt64
  /// The second lane.
  var low: UInt64

  /// Fingerprints the UTF-8 bytes of a contact key.
  init(bytes: UnsafeRawBufferPointer) {
    let p1: UInt64 = 0x9E37_79B9_7F4A_7C15
    let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    var h1: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
    var h2: UInt64 = 0x1319_8A2E_0370_7344 &+ UInt64(bytes.count)
    var i = 0
    let n = bytes.count
    if let base = bytes.baseAddress {
      while i + 8 <= n {
        let k = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        h1 = Self.rotl((h1 ^ k) &* p1, 29)
        h2 = Self.rotl((h2 &+ k) &* p2, 31) ^ h1
        i += 8
      }
      var k: UInt64 = 0
      var shift: UInt64 = 0
      while i < n {
        k |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
        shift += 8
        i += 1
      }
      h1 = Self.rotl((h1 ^ k) &* p1, 29)
      h2 = Self.rotl((h2 &+ k) &* p2, 31) ^ h1
    }
    high = Self.fmix(h1 &+ h2)
    low = Self.fmix(h2 ^ (h1 >> 17))
  }

  /// Fingerprints a key given as text.
  init(_ key: String) {
    var key = key
    self = key.withUTF8 { ContactDigest(bytes: UnsafeRawBufferPointer($0)) }
  }

  @inline(__always)
  private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x &<< r) | (x &>> (64 - r)) }

  /// MurmurHash3's 64-bit finaliser.
  private static func fmix(_ value: UInt64) -> UInt64 {
    var k = value
    k ^= k >> 33
    k &*= 0xff51_afd7_ed55_8ccd
    k ^= k >> 33
    k &*= 0xc4ce_b9fe_1a85_ec53
    k ^= k >> 33
    return k
  }
}
