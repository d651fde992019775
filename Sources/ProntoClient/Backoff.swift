/// Exponential backoff with full jitter, capped and bounded.
///
/// The delay before retry number `n` (0 for the first retry) is drawn
/// uniformly between zero and the ceiling
///
///     ceiling(n) = min(cap, base × 2ⁿ)
///     delay(n)   = random(0 … ceiling(n))
///
/// ("full jitter": spreads the retries of many rows that failed together, so
/// they do not come back in one wave). With the defaults (`base` 0.5 s,
/// `cap` 30 s, `maxRetries` 6):
///
/// | retry n | ceiling | mean delay |
/// |---|---|---|
/// | 0 | 0.5 s | 0.25 s |
/// | 1 | 1 s | 0.5 s |
/// | 2 | 2 s | 1 s |
/// | 3 | 4 s | 2 s |
/// | 4 | 8 s | 4 s |
/// | 5 | 16 s | 8 s |
/// | 6+ | — | no more retries: the row fails |
///
/// The random source is injected, so tests can pin it:
///
///     var rng = SystemRandomNumberGenerator()
///     if let delay = Backoff.standard.delay(forRetry: n, using: &rng) { … }
public struct Backoff: Sendable, Hashable {
  /// The ceiling of the first retry.
  public var base: Duration
  /// The largest ceiling.
  public var cap: Duration
  /// How many retries are allowed; retry number `maxRetries` gets no delay (`nil`).
  public var maxRetries: Int

  /// The defaults: 0.5 s base, 30 s cap, 6 retries.
  public static let standard = Backoff()

  /// Creates a backoff.
  public init(
    base: Duration = .milliseconds(500), cap: Duration = .seconds(30), maxRetries: Int = 6
  ) {
    self.base = base
    self.cap = cap
    self.maxRetries = maxRetries
  }

  /// The ceiling `min(cap, base × 2ⁿ)` of retry `n`.
  public func ceiling(forRetry n: Int) -> Duration {
    let factor = Double(1 << min(max(n, 0), 40))
    let seconds = min(cap.seconds, base.seconds * factor)
    return .nanoseconds(Int64(seconds * 1e9))
  }

  /// The delay for retry `n` from a unit random value `u` in `0..<1`: `u × ceiling(n)`,
  /// or `nil` when `n ≥ maxRetries`.
  public func delay(forRetry n: Int, unitRandom u: Double) -> Duration? {
    guard n < maxRetries else { return nil }
    let clamped = min(max(u, 0), 1)
    return .nanoseconds(Int64(ceiling(forRetry: n).seconds * clamped * 1e9))
  }

  /// The delay for retry `n`, drawn from `generator`, or `nil` when retries are used up.
  public func delay<G: RandomNumberGenerator>(forRetry n: Int, using generator: inout G)
    -> Duration?
  {
    delay(forRetry: n, unitRandom: Double.random(in: 0..<1, using: &generator))
  }
}

extension Duration {
  /// The duration in seconds, as a `Double`.
  var seconds: Double {
    let c = components
    return Double(c.seconds) + Double(c.attoseconds) / 1e18
  }
}
