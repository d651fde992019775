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

  /// MurmurHash3_x64_128 with seed 0 (`LeadsheetCore.MurmurHash3`).
  @inline(__always)
  static func murmur3(_ data: UnsafeRawBufferPointer) -> ContactHash {
    let (high, low) = MurmurHash3.x64_128(data)
    return ContactHash(high: high, low: low)
  }
}
