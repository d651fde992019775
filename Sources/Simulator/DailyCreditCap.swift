import Foundation

/// The decisions of `--daily-credits`: at most `limit` credits per account (API
/// key) and day, as Pronto's Credits page states ("a daily limit of 2,500 credits
/// per account").
///
/// A day is `daySeconds` long (`--day-seconds`, default 86,400: UTC days); its
/// boundaries fall on multiples of `daySeconds` since the Unix epoch, so tests can
/// have 20-second days. A value type with the time passed in, so it is tested
/// without a clock.
struct DailyCreditCap: Sendable, Hashable {
  /// Credits per account and day; `nil` is unlimited.
  let limit: Int?
  /// The length of a day in seconds.
  let daySeconds: Double
  /// The day (days of `daySeconds` since 1970-01-01) the counts belong to.
  private var day = Int.min
  /// Credits used today, by account.
  private var used: [Int: Int] = [:]

  /// A refused request: the day's credits are used up until `resetAt`.
  struct Refusal: Sendable, Hashable {
    /// The cap.
    var limit: Int
    /// The start of the next day.
    var resetAt: Date
    /// Whole seconds from the request to `resetAt` (at least 1): the `Retry-After`.
    var retryAfterSeconds: Int

    /// The 422 message: names the daily limit and the reset time (ISO 8601).
    var message: String {
      "Daily limit reached: your account has used its daily limit of \(limit) credits; "
        + "it resets at \(ISO8601DateFormatter().string(from: resetAt))"
    }
  }

  /// Creates a cap; `nil` (or less than 0) is unlimited. `daySeconds` below 1 is 1.
  init(limit: Int?, daySeconds: Double = 86_400) {
    self.limit = limit.flatMap { $0 >= 0 ? $0 : nil }
    self.daySeconds = max(1, daySeconds)
  }

  /// The day number of an instant.
  func dayNumber(_ date: Date) -> Int {
    Int((date.timeIntervalSince1970 / daySeconds).rounded(.down))
  }

  /// The start of the day after the one of `date`.
  func nextReset(after date: Date) -> Date {
    Date(timeIntervalSince1970: Double(dayNumber(date) + 1) * daySeconds)
  }

  /// Credits the account used on the day of `now`.
  func usedToday(account: Int, now: Date) -> Int {
    dayNumber(now) == day ? used[account] ?? 0 : 0
  }

  /// Why a request costing `cost` credits would pass the cap, or `nil` when it fits.
  ///
  /// With `cost` 0 (the default) a day whose credits are all used refuses anything.
  func refusal(account: Int, cost: Int = 0, now: Date) -> Refusal? {
    guard let limit else { return nil }
    let used = usedToday(account: account, now: now)
    guard used >= limit || used + cost > limit else { return nil }
    let reset = nextReset(after: now)
    let seconds = max(1, Int(reset.timeIntervalSince(now).rounded(.up)))
    return Refusal(limit: limit, resetAt: reset, retryAfterSeconds: seconds)
  }

  /// Uses `credits` (default 1), or refuses (nothing used) when they would pass the
  /// day's cap.
  mutating func charge(account: Int, credits: Int = 1, now: Date) -> Refusal? {
    if let refused = refusal(account: account, cost: credits, now: now) { return refused }
    let today = dayNumber(now)
    if today != day {
      day = today
      used = [:]
    }
    used[account, default: 0] += credits
    return nil
  }
}
