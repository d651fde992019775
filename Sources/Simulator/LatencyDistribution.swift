import Foundation

/// How long the simulator takes to answer: log-normal from a median and a p99.
///
/// A log-normal with median `m` and 99th percentile `p` has
/// `μ = ln m` and `σ = ln(p / m) / 2.3263` (2.3263 is the standard normal's
/// 99th percentile). The default, 1 s median and 5 s p99, has a long tail like
/// a provider waterfall. `0,0` means no added latency; `p ≤ m` a constant `m`.
public struct LatencyDistribution: Sendable, Hashable {
  /// The median, in milliseconds.
  public var medianMilliseconds: Double
  /// The 99th percentile, in milliseconds.
  public var p99Milliseconds: Double
  /// The longest delay drawn (bounds the tail), in milliseconds.
  public var maximumMilliseconds: Double

  /// No added latency.
  public static let none = LatencyDistribution(medianMilliseconds: 0, p99Milliseconds: 0)
  /// About 1 s median, 5 s p99.
  public static let standard = LatencyDistribution(
    medianMilliseconds: 1000, p99Milliseconds: 5000)

  /// Creates a distribution; the maximum defaults to 4 × p99 (at least the median).
  public init(
    medianMilliseconds: Double, p99Milliseconds: Double, maximumMilliseconds: Double? = nil
  ) {
    self.medianMilliseconds = max(0, medianMilliseconds)
    self.p99Milliseconds = max(0, p99Milliseconds)
    self.maximumMilliseconds =
      maximumMilliseconds ?? max(self.medianMilliseconds, 4 * self.p99Milliseconds)
  }

  /// Parses `MEDIAN,P99` in milliseconds (`1000,5000`, `5,5`, `0,0`).
  ///
  /// - Throws: ``SimulatorError`` for anything else.
  public static func parse(_ text: String) throws -> LatencyDistribution {
    let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 2, let m = parts[0], let p = parts[1], m >= 0, p >= 0 else {
      throw SimulatorError("--latency-ms wants MEDIAN,P99 in milliseconds, e.g. 1000,5000")
    }
    return LatencyDistribution(medianMilliseconds: m, p99Milliseconds: p)
  }

  /// Draws one delay from two unit random values (Box–Muller).
  public func sample(_ u1: Double, _ u2: Double) -> Duration {
    guard medianMilliseconds > 0 else { return .zero }
    var ms = medianMilliseconds
    if p99Milliseconds > medianMilliseconds {
      let sigma = log(p99Milliseconds / medianMilliseconds) / 2.3263
      let z = (-2 * log(max(u1, 1e-12))).squareRoot() * cos(2 * .pi * u2)
      ms = exp(log(medianMilliseconds) + sigma * z)
    }
    ms = min(ms, maximumMilliseconds)
    return .microseconds(Int64(ms * 1000))
  }
}
