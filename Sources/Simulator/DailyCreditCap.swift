import Foundation

/// The decisions of `--daily-credits`: at most `limit` billed requests per
/// account (API key) and UTC day, as Pronto's Credits page states ("a daily
/// limit of 2,500 credits per account").
///
/// A value type with the time passed in, so it is tested without a clock.
struct DailyCreditCap: Sendable, Hashable {
  /// Credits per account and UTC day; `nil` is unlimited.
  let limit: Int?
  /// The UTC day (days since 1970-01-01) the counts belong to.
  private var day = Int.min
  /// Credits used today, by account.
  private var used: [Int: Int] = [:]

  /// A refused request: the day's credits are used up until `resetAt`.
  struct Refusal: Sendable, Hashable {
    /// The cap.
    var limit: Int
    /// The next UTC midnight.
    var resetAt: Date
    /// Whole seconds from the request to `resetAt` (at least 1): the `Retry-After`.
    var retryAfterSeconds: Int

    /// The 422 message: names the daily limit and the reset time (ISO 8601).
    var message: String {
      "Daily limit reached: your account has used its daily limit of \(limit) credits; "
        + "it resets at \(ISO8601DateFormatter().string(from: resetAt))"
    }
  }

  /// Creates a cap; `nil` (or less than 0) is unlimited.
  init(limit: Int?) { self.limit = limit.flatMap { $0 >= 0 ? $0 : nil } }

  /// The UTC day number of an instant.
  static func dayNumber(_ date: Date) -> Int {
    Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
  }

  /// The next UTC midnight after `date`.
  static func nextReset(after date: Date) -> Date {
    Date(timeIntervalSince1970: Double(dayNumber(date) + 1) * 86_400)
  }

  /// Credits the account used on the UTC day of `now`.
  func usedToday(account: Int, now: Date) -> Int {
    Self.dayNumber(now) == day ? used[account] ?? 0 : 0
  }

  /// Why one more credit would pass the cap, or `nil` when it fits.
  func refusal(account: Int, now: Date) -> Refusal? {
    guard let limit, usedToday(account: account, now: now) >= limit else { return nil }
    let reset = Self.nextReset(after: now)
    let seconds = max(1, Int(reset.timeIntervalSince(now).rounded(.up)))
    return Refusal(limit: limit, resetAt: reset, retryAfterSeconds: seconds)
  }

  /// Uses one credit, or refuses (nothing used) when the day's credits are gone.
  mutating func charge(account: Int, now: Date) -> Refusal? {
    if let refused = refusal(account: account, now: now) { return refused }
    let today = Self.dayNumber(now)
    if today != day {
      day = today
      used = [:]
    }
    used[account, default: 0] += 1
    return nil
  }
}
