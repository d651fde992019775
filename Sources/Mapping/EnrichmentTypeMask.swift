import LeadsheetCore

/// A set of enrichment types as three bits (email 1, phone 2, personal email 4),
/// small enough to ride in the spare bits of a stored `ContactHash`.
struct EnrichmentTypeMask: Hashable, Sendable {
  /// The bits.
  var bits: UInt8

  /// The mask of `types` (duplicates count once).
  init(_ types: [EnrichmentType]) {
    bits = 0
    for type in types { bits |= Self.bit(type) }
  }

  /// A mask from its bits.
  init(bits: UInt8) { self.bits = bits & 7 }

  /// The bit of one type.
  static func bit(_ type: EnrichmentType) -> UInt8 {
    switch type {
    case .email: return 1
    case .phone: return 2
    case .personalEmail: return 4
    }
  }

  /// The types in the mask, in `EnrichmentType` order.
  var types: [EnrichmentType] {
    EnrichmentType.allCases.filter { bits & Self.bit($0) != 0 }
  }

  /// Bits of the stored hash's `high` half that hold the mask.
  static let shift: UInt64 = 61

  /// `hash` with its top three bits replaced by the mask: what a summary
  /// stores, so that a merge can tell a duplicate's types (the types are part
  /// of the contact key, so equal keys still give equal tagged hashes).
  func tag(_ hash: ContactHash) -> ContactHash {
    ContactHash(
      high: hash.high & ((1 << Self.shift) - 1) | UInt64(bits) << Self.shift, low: hash.low)
  }

  /// The mask a tagged hash carries.
  init(taggedHash hash: ContactHash) {
    bits = UInt8(truncatingIfNeeded: hash.high >> Self.shift)
  }
}
