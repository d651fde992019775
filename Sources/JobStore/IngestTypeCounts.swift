import LeadsheetCore

/// Distinct requests counted by enrichment type while an ingest stores them.
///
/// A request's types travel as a bit mask (bit i for
/// `EnrichmentType.allCases[i]`), so counting costs no dictionary update per
/// row. A continued ingest counts the stored requests again from their
/// contact keys (`mask(contactKey:)`).
struct IngestTypeCounts {
  private var counts = [Int](repeating: 0, count: EnrichmentType.allCases.count)

  /// The mask of `types`.
  static func mask(_ types: [EnrichmentType]) -> UInt8 {
    var mask: UInt8 = 0
    for type in types {
      if let i = EnrichmentType.allCases.firstIndex(of: type) { mask |= 1 << UInt8(i) }
    }
    return mask
  }

  /// The mask of the types named in a contact key's sixth field (`0` for text that is not a key).
  static func mask(contactKey key: UnsafeRawBufferPointer) -> UInt8 {
    var field = 0
    var start = 0
    for (i, byte) in key.enumerated() where byte == EnrichRequest.contactKeySeparator {
      field += 1
      if field == 5 { start = i + 1 }
      if field == 6 {
        var mask: UInt8 = 0
        for name in key[start..<i].split(separator: UInt8(ascii: ",")) {
          if let type = EnrichmentType(rawValue: String(decoding: name, as: UTF8.self)) {
            mask |= self.mask([type])
          }
        }
        return mask
      }
    }
    return 0
  }

  /// Counts one distinct request of the types in `mask`.
  mutating func add(_ mask: UInt8) {
    for i in counts.indices where mask & (1 << UInt8(i)) != 0 { counts[i] += 1 }
  }

  /// The counts by type (types with none left out).
  var byType: [EnrichmentType: Int] {
    var result: [EnrichmentType: Int] = [:]
    for (i, type) in EnrichmentType.allCases.enumerated() where counts[i] > 0 {
      result[type] = counts[i]
    }
    return result
  }
}
