import ProntoClient

/// The one formula for how long a request, or the whole job, waits before trying again.
///
/// Every wait the runner decides — a transient failure's retry, a 429 without
/// `Retry-After`, an outage round — is
///
///     ceiling(n) = min(cap, base × 2ⁿ)                 base 0.5 s, cap 30 s
///     wait(n)    = ceiling(n) × (floor + (1 − floor) × u)    u uniform in 0 ..< 1
///
/// where `n` counts the earlier waits of the same kind (0 for the first) and
/// `floor` is the cause's share of the ceiling that is always waited:
///
/// | cause | n counts | floor | waits n = 0, 1, 2, 3, 4, 5, 6+ (ceilings) |
/// |---|---|---|---|
/// | transient (5xx, reset, timeout, bad body) | this request's retries | 0 (full jitter) | 0.5, 1, 2, 4, 8, 16, 30 s; none after `maxRetries` |
/// | 429 without `Retry-After` | this request's 429s | ½ | 0.5, 1, 2, 4, 8, 16, 30 s; the request fails at 429 number `maxRateLimited` + 1 |
/// | cannot connect (outage round) | the job's outage rounds | ½ | 0.5, 1, 2, 4, 8, 16, 30 s, until `--give-up-after` |
///
/// Full jitter spreads the retries of many requests that failed together; a
/// 429 or an outage is about giving the server time, so at least half the
/// ceiling is always waited. A 429 with `Retry-After` waits exactly what the
/// server asked.
public struct RetryWait: Sendable, Hashable {
  /// What a wait is for.
  public enum Cause: Sendable, Hashable {
    /// A transient failure of one request (5xx, reset, timeout, bad body).
    case transient
    /// A 429 answer without `Retry-After`.
    case rateLimited
    /// A round of the whole job backing off while the API cannot be reached.
    case outage

    /// The share of the ceiling always waited.
    public var floor: Double {
      switch self {
      case .transient: 0
      case .rateLimited, .outage: 0.5
      }
    }
  }

  /// The ceiling of the first wait, in seconds (0.5 s).
  public var base: Double
  /// The largest ceiling, in seconds (30 s).
  public var cap: Double
  /// Retries of a transient failure before the request fails (`--max-retries`, 6).
  public var maxRetries: Int
  /// 429 answers to one request that are waited out; the next one fails it (30).
  public var maxRateLimited: Int

  /// The default number of 429 answers one request may get before it fails.
  public static let defaultMaxRateLimited = 30

  /// Creates the policy from `Backoff` (base, cap, retries) and the 429 cap.
  public init(backoff: Backoff = .standard, maxRateLimited: Int = RetryWait.defaultMaxRateLimited) {
    self.base = Self.seconds(backoff.base)
    self.cap = Self.seconds(backoff.cap)
    self.maxRetries = backoff.maxRetries
    self.maxRateLimited = maxRateLimited
  }

  /// The ceiling `min(cap, base × 2ⁿ)` of wait `n`, in seconds.
  public func ceiling(_ n: Int) -> Double {
    min(cap, base * Double(1 << min(max(n, 0), 40)))
  }

  /// Wait `n` for `cause`, from a unit random value `u` in `0 ..< 1`, in seconds.
  public func wait(_ cause: Cause, _ n: Int, unitRandom u: Double) -> Double {
    let u = min(max(u, 0), 1)
    return ceiling(n) * (cause.floor + (1 - cause.floor) * u)
  }

  /// Seconds of a `Duration`.
  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }
}
