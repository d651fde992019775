import LeadsheetCore

/// A 128-bit fingerprint of a contact key, for counting duplicates in bounded memory.
///
/// MurmurHash3_x64_128 (seed 0) of the key's UTF-8 bytes, read eight bytes at
/// a time. Deterministic across runs and machines, unlike `Hasher`; the
/// values are never persisted, so the function may change between versions.
/// At 16 bytes a contact, a million distinct contacts take about 16 MB plus
/// the set's overhead; for an ideal 128-bit hash the chance of any collision
/// among them is about 10⁻²⁷.
public struct ContactHash: Sendable, Hashable, Codable {
  /// The first 64 bits (MurmurHash3's `h1`).
  public var high: UInt64
  /// The second 64 bits (MurmurHash3's `h2`).
  public var low: UInt64

  /// Fingerprints a key (usually `EnrichRequest.contactKey`).
  public init(_ key: String) {
    var key = key
    self = key.withUTF8 { ContactHash(bytes: UnsafeRawBufferPointer($0)) }
  }

  /// Fingerprints the bytes of a key (the UTF-8 of `EnrichRequest.contactKey`).
  public init(bytes: UnsafeRawBufferPointer) {
    self = Self.murmur3(bytes)
  }

  /// The fingerprint of `request.contactKey`, computed without building the
  /// key as a `String`: the same bytes, separators included, are written to a
  /// temporary buffer and hashed.
  public init(request: borrowing EnrichRequest) {
    let types = request.enrichmentType
    let codes = request.phoneCountryCodes ?? []
    var capacity = 7 + types.count * 16 + codes.count
    capacity += request.firstname?.utf8.count ?? 0
    capacity += request.lastname?.utf8.count ?? 0
    capacity += request.companyName?.utf8.count ?? 0
    capacity += request.domain?.utf8.count ?? 0
    capacity += request.linkedinURL?.utf8.count ?? 0
    for code in codes { capacity += code.utf8.count }
    self = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      var key = ContactKeyWriter(buffer)
      key.append(request.firstname)
      key.separator()
      key.append(request.lastname)
      key.separator()
      key.append(request.companyName)
      key.separator()
      key.append(request.domain)
      key.separator()
      key.append(request.linkedinURL)
      key.separator()
      for (i, type) in types.enumerated() {
        if i > 0 { key.append(UInt8(ascii: ",")) }
        key.append(type.rawValue)
      }
      key.separator()
      for (i, code) in codes.enumerated() {
        if i > 0 { key.append(UInt8(ascii: ",")) }
        key.append(code)
      }
      return ContactHash(bytes: key.written)
    }
  }

  /// Creates a hash from its two halves.
  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// MurmurHash3_x64_128 with seed 0.
  static func murmur3(_ data: UnsafeRawBufferPointer) -> ContactHash {
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
    return ContactHash(high: h1, low: h2)
  }

  @inline(__always)
  static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x &<< r) | (x &>> (64 - r)) }

  /// MurmurHash3's 64-bit finaliser.
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
