/// How many requests may be in flight at once: additive increase, multiplicative decrease.
///
/// Starts at the configured maximum. Each `429` halves the window (never below
/// `minimum`, and at most once per `cooldown` seconds so that one burst of 429s
/// answered together counts once); every `increaseEvery` successful answers
/// after that add one back, up to the maximum.
///
///     max 200: 429 → 100, 429 (2 s later) → 50, then +1 per 10 answers … → 200
public struct ConcurrencyWindow: Sendable, Hashable {
  /// The configured ceiling (`--max-in-flight`).
  public let maximum: Int
  /// The floor the window never goes below.
  public let minimum: Int
  /// The current limit.
  public private(set) var limit: Int
  /// Successful answers needed to grow the window by one.
  public let increaseEvery: Int
  /// Seconds during which further 429s do not shrink the window again.
  public let cooldown: Double
  private var successes = 0
  private var lastDecrease = -Double.infinity

  /// Creates a window at its maximum.
  public init(maximum: Int, minimum: Int = 4, increaseEvery: Int = 10, cooldown: Double = 1) {
    self.maximum = max(1, maximum)
    self.minimum = max(1, min(minimum, maximum))
    self.limit = self.maximum
    self.increaseEvery = max(1, increaseEvery)
    self.cooldown = cooldown
  }

  /// Records a rate-limited answer at `now` (seconds).
  public mutating func rateLimited(at now: Double) {
    successes = 0
    guard now - lastDecrease >= cooldown else { return }
    lastDecrease = now
    limit = max(minimum, limit / 2)
  }

  /// Records an answer that was not rate limited.
  public mutating func answered() {
    guard limit < maximum else { return }
    successes += 1
    if successes >= increaseEvery {
      successes = 0
      limit += 1
    }
  }
}
