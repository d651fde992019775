import LeadsheetCore

extension MappingSummary {
  /// The summary of consecutive pieces of one list, each summarised on its own
  /// (by parallel workers), as one summary fed every row in order would be.
  ///
  /// Counts of rows, valid and invalid rows, reasons, partial rows and ignored
  /// values add up. A contact that appears in several parts is a distinct
  /// request only in the first: for every contact of a part that an earlier
  /// part also holds, `duplicates` gains one and `requests`, `requestsByType`,
  /// `credits` and `minimumDurationSeconds` lose what the part counted for it.
  /// The union of the parts' contacts is not built: each part's contacts are
  /// looked up in the earlier parts' sets.
  ///
  /// The result's credit costs are the first part's (all parts should use the
  /// same). With more than one part, the result does not keep the contacts
  /// seen, so rows added to it later are counted as if they were the first
  /// (as for a decoded summary).
  ///
  /// - Parameter parts: The parts' summaries, in file order.
  /// - Returns: The whole list's summary (an empty one for no part).
  public static func merged(_ parts: [MappingSummary]) -> MappingSummary {
    guard let first = parts.first else { return MappingSummary() }
    guard parts.count > 1 else { return first }
    var total = MappingSummary(creditCosts: first.creditCosts)
    for part in parts {
      total.rows += part.rows
      total.valid += part.valid
      total.invalid += part.invalid
      total.invalidByReason.merge(part.invalidByReason, uniquingKeysWith: +)
      total.partial += part.partial
      total.droppedByType.merge(part.droppedByType, uniquingKeysWith: +)
      total.ignoredValues.merge(part.ignoredValues, uniquingKeysWith: +)
      total.duplicates += part.duplicates
      total.requests += part.requests
      total.requestsByType.merge(part.requestsByType, uniquingKeysWith: +)
      total.credits += part.credits
    }
    var costs: [UInt8: Int] = [:]
    for i in 1..<parts.count {
      parts[i].seen.forEach { hash in
        guard parts[..<i].contains(where: { $0.seen.contains(hash) }) else { return }
        let types = EnrichmentTypeMask(taggedHash: hash)
        total.duplicates += 1
        total.requests -= 1
        for type in types.types { total.requestsByType[type.rawValue, default: 0] -= 1 }
        if costs[types.bits] == nil { costs[types.bits] = total.creditCosts.cost(of: types.types) }
        total.credits -= costs[types.bits]!
      }
    }
    total.requestsByType = total.requestsByType.filter { $0.value != 0 }
    if total.requests > 0 {
      total.minimumDurationSeconds = Double(total.requests) / Double(Self.requestsPerSecond)
    }
    return total
  }
}
