/// Guesses a CSV file's field delimiter from its first records.
///
/// Candidates are `,` `;` tab and `|`. For each, the sample is split into
/// records with that delimiter, quote-aware (a delimiter or line break inside a
/// quoted field does not count), and the delimiters of each non-empty record
/// are counted. A candidate's score is its consistency: the share of records
/// whose count equals its most common non-zero count. The highest score wins;
/// ties go to the larger count (more columns), then to the earlier candidate.
/// A candidate that never occurs cannot win; when none occurs (a one-column
/// file), the answer is `,`.
///
/// `name;price` / `Acme;1,5` / `Beta;2,25`: `;` counts 1,1,1 (score 1.0),
/// `,` counts 0,1,1 (score 0.67): `;` wins, as European Excel intends.
enum DelimiterSniffer {
  /// The delimiters tried, in tie-breaking order.
  static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

  /// The delimiter of the text in `sample` (ASCII-compatible bytes: UTF-8 or Windows-1252).
  ///
  /// - Parameters:
  ///   - sample: The first bytes of the file, decoded to UTF-8 if it was UTF-16.
  ///   - isComplete: Whether `sample` is the whole file; when not, its last
  ///     (probably cut) record is ignored unless it is the only one.
  ///   - maxRecords: How many records to look at.
  static func sniff(
    _ sample: UnsafeBufferPointer<UInt8>, isComplete: Bool, maxRecords: Int = 200
  ) -> UInt8 {
    var best: (delimiter: UInt8, score: Double, mode: Int)?
    for candidate in candidates {
      let counts = recordCounts(
        sample, delimiter: candidate, isComplete: isComplete, maxRecords: maxRecords)
      guard let mode = mostCommonNonZero(counts) else { continue }
      let score = Double(counts.filter { $0 == mode }.count) / Double(counts.count)
      if let b = best, score < b.score || (score == b.score && mode <= b.mode) { continue }
      best = (candidate, score, mode)
    }
    return best?.delimiter ?? UInt8(ascii: ",")
  }

  /// The number of `delimiter`s outside quotes in each non-empty record of `sample`.
  static func recordCounts(
    _ sample: UnsafeBufferPointer<UInt8>, delimiter: UInt8, isComplete: Bool, maxRecords: Int
  ) -> [Int] {
    let quote = UInt8(ascii: "\"")
    var counts: [Int] = []
    var count = 0
    var recordHasBytes = false
    var inQuotes = false
    var atFieldStart = true
    var i = 0
    while i < sample.count && counts.count < maxRecords {
      let b = sample[i]
      i += 1
      if inQuotes {
        if b == quote {
          if i < sample.count && sample[i] == quote {
            i += 1
          } else {
            inQuotes = false
          }
        }
        continue
      }
      if b == 0x0A || b == 0x0D {
        if recordHasBytes { counts.append(count) }
        count = 0
        recordHasBytes = false
        atFieldStart = true
        continue
      }
      recordHasBytes = true
      if b == delimiter {
        count += 1
        atFieldStart = true
      } else {
        if b == quote && atFieldStart { inQuotes = true }
        atFieldStart = false
      }
    }
    if recordHasBytes && (isComplete || counts.isEmpty) && counts.count < maxRecords {
      counts.append(count)
    }
    return counts
  }

  /// The most common non-zero value of `counts` (the larger on a tie), or `nil` if all are zero.
  static func mostCommonNonZero(_ counts: [Int]) -> Int? {
    var frequency: [Int: Int] = [:]
    for c in counts where c > 0 { frequency[c, default: 0] += 1 }
    return frequency.max { a, b in a.value < b.value || (a.value == b.value && a.key < b.key) }?.key
  }
}
