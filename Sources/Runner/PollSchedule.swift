/// When to poll a submitted request's id: the first poll timed from what the
/// API took so far, then backing off; and when to give up.
///
/// The first poll waits `firstDelay`, an estimate of the 85th percentile of the
/// time the API takes to finish, learned from the first polls' answers alone
/// (a stochastic quantile tracker: each first poll that finds the result still
/// pending raises the estimate a little, each that finds it finished lowers it
/// less, so that about 15 % of first polls find it pending). So most results take
/// one poll, without a fixed delay that is too short for a slow waterfall or too
/// long for a fast one. Later polls back off from 1 s to 30 s, with jitter.
///
/// | poll | delay after the previous answer |
/// |---|---|
/// | first | `firstDelay` × (0.9 … 1.1) |
/// | n-th (n ≥ 2) | min(30, 2ⁿ⁻²) s × (0.75 … 1.25) |
/// | any, once `timeout` has passed since the first | none: the request is `failed` (resume polls again) |
public struct PollSchedule: Sendable, Hashable {
  /// The share of first polls meant to find the result finished.
  public static let quantile = 0.85
  /// The tracker's step (a share of the estimate).
  public static let step = 0.1
  /// Bounds of the first delay, in seconds.
  public static let firstDelayRange = 0.2...30.0
  /// The longest delay between polls, in seconds.
  public static let maxDelay = 30.0

  /// The first poll's delay now, in seconds (starts at 1 s).
  public private(set) var firstDelay: Double
  /// How long an id may stay pending, in seconds.
  public let timeout: Double

  /// Creates a schedule.
  public init(timeout: Double, firstDelay: Double = 1) {
    self.timeout = timeout
    self.firstDelay = firstDelay
  }

  /// The delay before the next poll, when `polls` polls of this id were already made.
  public func delay(afterPolls polls: Int, unitRandom u: Double) -> Double {
    if polls == 0 { return firstDelay * (0.9 + 0.2 * u) }
    let base = min(Self.maxDelay, Double(1 << min(polls - 1, 10)))
    return base * (0.75 + 0.5 * u)
  }

  /// A first poll found the result `pending` (true) or finished (false).
  public mutating func firstPollAnswered(pending: Bool) {
    let factor =
      pending ? 1 + Self.step * Self.quantile : 1 - Self.step * (1 - Self.quantile)
    firstDelay = min(
      Self.firstDelayRange.upperBound, max(Self.firstDelayRange.lowerBound, firstDelay * factor))
  }

  /// Whether an id polled since `since` has waited past the timeout at `now`.
  public func timedOut(since: Double, at now: Double) -> Bool { now - since >= timeout }
}
