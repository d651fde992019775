import LeadsheetCore

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
    var state = State()
    state.add(key)
    self = state.finish()
  }

  /// The fingerprint of `request.contactKey`, computed from the fields
  /// without building the key: the same bytes are fed, separators included.
  public init(request: borrowing EnrichRequest) {
    var state = State()
    state.add(request.firstname)
    state.add(0x1F)
    state.add(request.lastname)
    state.add(0x1F)
    state.add(request.companyName)
    state.add(0x1F)
    state.add(request.domain)
    state.add(0x1F)
    state.add(request.linkedinURL)
    state.add(0x1F)
    for (i, type) in request.enrichmentType.enumerated() {
      if i > 0 { state.add(UInt8(ascii: ",")) }
      state.add(type.rawValue)
    }
    state.add(0x1F)
    for (i, code) in (request.phoneCountryCodes ?? []).enumerated() {
      if i > 0 { state.add(UInt8(ascii: ",")) }
      state.add(code)
    }
    self = state.finish()
  }

  /// The two lanes while bytes are fed.
  struct State {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325
    var b: UInt64 = 0x9e37_79b9_7f4a_7c15
    var length: UInt64 = 0

    /// Feeds one byte.
    @inline(__always)
    mutating func add(_ byte: UInt8) {
      mix(byte)
      length &+= 1
    }

    /// Feeds one byte, leaving `length` to the caller.
    @inline(__always)
    mutating func mix(_ byte: UInt8) {
      a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      b = ((b &+ UInt64(byte)) &* 0xc2b2_ae3d_27d4_eb4f)
      b = (b &<< 31) | (b &>> 33)
    }

    /// Feeds a string's UTF-8 bytes (nothing for `nil`).
    @inline(__always)
    mutating func add(_ text: String?) {
      guard let text else { return }
      let done: Void? = text.utf8.withContiguousStorageIfAvailable { u in
        var a = self.a
        var b = self.b
        for byte in u {
          a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
          b = ((b &+ UInt64(byte)) &* 0xc2b2_ae3d_27d4_eb4f)
          b = (b &<< 31) | (b &>> 33)
        }
        self.a = a
        self.b = b
        length &+= UInt64(u.count)
      }
      if done == nil {
        for byte in text.utf8 { add(byte) }
      }
    }

    /// The hash of the bytes fed.
    func finish() -> ContactHash {
      ContactHash(
        high: ContactHash.fmix(a ^ length),
        low: ContactHash.fmix(b ^ (length &* 0x1656_67b1_9e37_79f9)))
    }
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
