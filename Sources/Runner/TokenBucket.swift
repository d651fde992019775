/// A token-bucket rate limiter as a value type: pure arithmetic, no clock, no I/O.
///
/// The dispatcher asks `reserve(at:)` for the next send slot and sleeps the
/// returned delay; tests drive it with plain instants. Reservations may run
/// ahead of the bucket (tokens go negative), so a single caller reserving in a
/// loop gets evenly spaced slots, `1/rate` apart, after an initial burst of at
/// most `burst` tokens. In any window of `t` seconds at most `burst + rate·t`
/// slots are granted.
///
/// `pause(until:)` (a `429` with `Retry-After`) moves every later slot past the
/// given instant; `setRate(_:)` changes the spacing of later slots.
///
///     rate 50/s, burst 1:  slots at 0, 20 ms, 40 ms, 60 ms …
///     pause(until: 2 s) at 100 ms:  next slots at 2 s, 2.02 s …
public struct TokenBucket: Sendable {
  /// Slots per second; `0` or less means no limit.
  public private(set) var rate: Double
  /// How many slots may be granted at once after an idle period.
  public let burst: Double
  /// The instant (seconds on the caller's clock) at which the bucket was last brought up to date.
  private var last: Double?
  /// Tokens available at `last` (negative when slots are reserved ahead).
  private var tokens: Double
  /// No slot is granted before this instant.
  private var pausedUntil: Double = -.infinity

  /// Creates a full bucket.
  ///
  /// - Parameters:
  ///   - rate: Slots per second; `0` for unlimited.
  ///   - burst: The most slots granted at once; at least 1.
  public init(rate: Double, burst: Double = 1) {
    self.rate = rate
    self.burst = max(1, burst)
    self.tokens = max(1, burst)
  }

  /// Reserves one slot and returns how long the caller must wait for it, in seconds.
  ///
  /// - Parameter now: The current instant, in seconds on a monotonic clock.
  public mutating func reserve(at now: Double) -> Double {
    guard rate > 0 else { return max(0, pausedUntil - now) }
    refill(to: max(now, pausedUntil))
    tokens -= 1
    let start = max(now, pausedUntil)
    let ready = tokens >= 0 ? start : start + (-tokens) / rate
    return max(0, ready - now)
  }

  /// Grants no slot before `instant` (seconds); later pauses extend, earlier ones do nothing.
  public mutating func pause(until instant: Double) {
    guard instant > pausedUntil else { return }
    pausedUntil = instant
    // Restart at the pause's end with one token and no debt: slots reserved
    // before the pause keep their times, later ones resume at the rate.
    last = instant
    tokens = 1
  }

  /// Changes the rate for later slots; slots already reserved keep their times.
  public mutating func setRate(_ newRate: Double, at now: Double) {
    refill(to: now)
    rate = newRate
  }

  private mutating func refill(to now: Double) {
    guard let last else {
      self.last = now
      return
    }
    if now > last {
      tokens = min(burst, tokens + (now - last) * rate)
      self.last = now
    }
  }
}
