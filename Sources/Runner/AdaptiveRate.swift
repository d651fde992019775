/// The request rate a run aims at: the configured rate, lowered a little on each 429.
///
/// Pronto allows 50 requests per second per user. Pacing at exactly the limit
/// can still meet an occasional 429 when network jitter bunches requests at
/// the server; stopping the whole job for every one of them would waste far
/// more than it saves. So a lone 429 lowers the rate by `decrease` (2 %) and
/// only that request waits its `Retry-After`; the rate climbs back by
/// `increase` (1 % of the ceiling) per `recoveryInterval` without a 429. A
/// storm (`stormCount` 429s within one second) also pauses the whole job for
/// the `Retry-After`.
///
///     50/s: 429 → 49/s … 5 s calm → 49.5/s, 50/s
public struct AdaptiveRate: Sendable, Hashable {
  /// The configured ceiling (`--rate`).
  public let ceiling: Double
  /// The rate aimed at now.
  public private(set) var current: Double
  /// Fraction removed per 429.
  public let decrease: Double
  /// Fraction of the ceiling added back per calm interval.
  public let increase: Double
  /// Seconds without a 429 before each step back up.
  public let recoveryInterval: Double
  /// 429s within one second that make a storm.
  public let stormCount: Int
  /// The lowest rate, as a fraction of the ceiling.
  public let floorFraction: Double
  private var last429 = -Double.infinity
  private var lastIncrease = -Double.infinity
  private var recent: [Double] = []

  /// Starts at the ceiling.
  public init(
    ceiling: Double, decrease: Double = 0.02, increase: Double = 0.01,
    recoveryInterval: Double = 5, stormCount: Int = 3, floorFraction: Double = 0.2
  ) {
    self.ceiling = ceiling
    self.current = ceiling
    self.decrease = decrease
    self.increase = increase
    self.recoveryInterval = recoveryInterval
    self.stormCount = stormCount
    self.floorFraction = floorFraction
  }

  /// Records a 429 at `now` (seconds); returns whether it is part of a storm.
  public mutating func rateLimited(at now: Double) -> Bool {
    last429 = now
    lastIncrease = now
    recent = recent.filter { now - $0 < 1 } + [now]
    guard ceiling > 0 else { return recent.count >= stormCount }
    current = max(ceiling * floorFraction, current * (1 - decrease))
    return recent.count >= stormCount
  }

  /// Records an answer that was not a 429; returns the new rate when it changed.
  public mutating func answered(at now: Double) -> Double? {
    guard ceiling > 0, current < ceiling, now - last429 >= recoveryInterval,
      now - lastIncrease >= recoveryInterval
    else { return nil }
    lastIncrease = now
    current = min(ceiling, current + ceiling * increase)
    return current
  }
}
