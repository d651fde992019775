import Foundation

/// Latency percentiles over a run, in milliseconds, from a fixed-size histogram.
///
/// Buckets grow by about 5 % each from 1 ms to 10 minutes, so memory is
/// constant (≈ 280 counters) whatever the number of requests and each
/// percentile is within 5 % of the exact value.
public struct LatencyStats: Sendable, Hashable, Codable {
  private static let growth = 1.05
  private static let bucketCount = 290
  private var counts = [Int](repeating: 0, count: LatencyStats.bucketCount)
  /// Requests recorded.
  public private(set) var count = 0
  /// The slowest request, in milliseconds.
  public private(set) var maxMilliseconds = 0.0

  /// An empty histogram.
  public init() {}

  private static func bucket(_ ms: Double) -> Int {
    guard ms > 1 else { return 0 }
    return min(bucketCount - 1, Int((log(ms) / log(growth)).rounded(.up)))
  }

  private static func upperBound(_ bucket: Int) -> Double { pow(growth, Double(bucket)) }

  /// Records one latency.
  public mutating func record(milliseconds ms: Double) {
    counts[LatencyStats.bucket(ms)] += 1
    count += 1
    maxMilliseconds = max(maxMilliseconds, ms)
  }

  /// Adds another histogram's counts.
  public mutating func merge(_ other: LatencyStats) {
    for i in counts.indices { counts[i] += other.counts[i] }
    count += other.count
    maxMilliseconds = max(maxMilliseconds, other.maxMilliseconds)
  }

  /// The latency under which a fraction `p` (0…1) of requests finished; `nil` when empty.
  public func percentile(_ p: Double) -> Double? {
    guard count > 0 else { return nil }
    let rank = max(1, Int((p * Double(count)).rounded(.up)))
    var seen = 0
    for (i, c) in counts.enumerated() {
      seen += c
      if seen >= rank { return min(LatencyStats.upperBound(i), maxMilliseconds) }
    }
    return maxMilliseconds
  }
}
