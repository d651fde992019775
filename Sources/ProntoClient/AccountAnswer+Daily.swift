import Foundation

extension AccountAnswer {
  /// The daily limit a `/credits` answer tells, read leniently: the limit
  /// (`daily_limit`, `daily_credits`, `daily_credit_limit`), the credits used today
  /// (`used_today`, `daily_used`, `credits_used_today`) and when the day resets
  /// (`resets_at`, `reset_at`, `daily_reset_at`: ISO 8601, as Unix seconds).
  public struct DailyLimit: Sendable, Hashable {
    /// Credits per day; `nil` when the answer names none (or `null`: unlimited).
    public var limit: Int?
    /// Credits used today, when told.
    public var usedToday: Int?
    /// When the day resets (Unix seconds), when told.
    public var resetsAt: Double?
  }

  /// The answer's daily limit; `nil` unless it is a 2xx answer.
  public var dailyLimit: DailyLimit? {
    guard case .fields(let fields) = self else { return nil }
    func value(_ names: [String]) -> String? {
      for name in names {
        for field in fields where field.name == name || field.name.hasSuffix("." + name) {
          return field.value
        }
      }
      return nil
    }
    let limit = value(["daily_limit", "daily_credits", "daily_credit_limit"])
      .flatMap(Double.init).map { Int($0) }
    let used = value(["used_today", "daily_used", "credits_used_today"])
      .flatMap(Double.init).map { Int($0) }
    var reset: Double?
    if let text = value(["resets_at", "reset_at", "daily_reset_at"]) {
      let formatter = ISO8601DateFormatter()
      if let date = formatter.date(from: text) {
        reset = date.timeIntervalSince1970
      } else {
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        reset = formatter.date(from: text)?.timeIntervalSince1970
      }
    }
    return DailyLimit(limit: limit, usedToday: used, resetsAt: reset)
  }
}
