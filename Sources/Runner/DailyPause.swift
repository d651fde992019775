import Foundation

/// Where the day stood when a daily cap stopped sending, and how to go on.
///
///     daily cap reached: 30/30 credits today (--daily-credits 30); resets at
///     2026-12-04 00:00 UTC (in 3h12m); continue with: leadsheet resume k7m2qx
///     (after the reset, or now with --wait)
public struct DailyPause: Sendable, Hashable {
  /// Which cap was reached.
  public enum Cap: String, Sendable, Hashable {
    /// leadsheet's own `--daily-credits`, counted over every job of the database.
    case leadsheet
    /// The API's daily limit (`GET /credits` or a 422).
    case api
  }

  /// The cap reached.
  public var reached: Cap
  /// Credits used today against that cap.
  public var usedToday: Int
  /// That cap's daily credits, when known.
  public var limit: Int?
  /// When the day resets (Unix seconds), as told or the next UTC midnight.
  public var resetAt: Double
  /// When sending may start again: `resetAt`, plus `DailyCap.resetMargin` for the API's
  /// reset (clocks differ a little).
  public var wakeAt: Double
  /// Whether the API refused with a daily-limit 422.
  public var refused = false
  /// The worst case of the next request.
  public var nextCost = 0
  /// The next request costs more than a whole day's credits: waiting would not help.
  public var neverFits = false
  /// Rows still pending (filled from the store).
  public var rowsLeft = 0
  /// What the requests left should cost under the job's billing model (from the store).
  public var estimateLeft = 0

  /// Creates a pause.
  public init(reached: Cap, usedToday: Int, limit: Int?, resetAt: Double) {
    self.reached = reached
    self.usedToday = usedToday
    self.limit = limit
    self.resetAt = resetAt
    self.wakeAt = resetAt
  }

  /// `daily cap reached: 30/30 credits today (--daily-credits 30); resets at 2026-12-04 00:00 UTC`:
  /// also the paused job's reason.
  public var reason: String {
    let g = BudgetPause.grouped
    let of = limit.map { "\(g(usedToday))/\(g($0))" } ?? g(usedToday)
    let what =
      switch reached {
      case .leadsheet:
        "daily cap reached: \(of) credits today (--daily-credits \(limit.map(String.init) ?? "?"))"
      case .api:
        refused
          ? "the API's daily limit is reached (422): \(of) credits today"
          : "the API's daily limit is reached: \(of) credits today"
      }
    return what + "; resets at \(Self.utcText(resetAt))"
  }

  /// The whole line: the reason, the time to the reset and how to go on.
  public func message(job: String, now: Double) -> String {
    if neverFits {
      return reason
        + "; the next request may cost \(nextCost) credits, more than a whole day allows:"
        + " raise --daily-credits, then continue with: leadsheet resume \(job)"
    }
    return reason + " (in \(Self.duration(resetAt - now)))"
      + "; continue with: leadsheet resume \(job) (after the reset, or now with --wait)"
  }

  /// `waiting for the daily reset at 00:00 UTC (in 3h12m) · 2,500/2,500 credits today ·
  /// 61,880 rows left, about 25 days`
  public func waitingLine(now: Double) -> String {
    let g = BudgetPause.grouped
    var parts = [
      "waiting for the daily reset at \(Self.clockText(resetAt)) UTC (in \(Self.duration(resetAt - now)))",
      (limit.map { "\(g(usedToday))/\(g($0))" } ?? g(usedToday)) + " credits today",
    ]
    var rows = "\(g(rowsLeft)) rows left"
    if let limit, limit > 0, estimateLeft > 0 {
      let days = (estimateLeft + limit - 1) / limit
      rows += ", about \(g(days)) day\(days == 1 ? "" : "s")"
    }
    parts.append(rows)
    return parts.joined(separator: " · ")
  }

  /// `2026-12-04 00:00 UTC` (seconds shown when not on a whole minute).
  static func utcText(_ time: Double) -> String {
    let date = Date(timeIntervalSince1970: time)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d ", c.year ?? 0, c.month ?? 0, c.day ?? 0)
      + clockText(time) + " UTC"
  }

  /// `00:00` (or `00:00:20` when not on a whole minute), UTC.
  static func clockText(_ time: Double) -> String {
    let seconds = Int(time.rounded(.down))
    let inDay = ((seconds % 86_400) + 86_400) % 86_400
    let h = inDay / 3600
    let m = (inDay % 3600) / 60
    let s = inDay % 60
    return s == 0
      ? String(format: "%02d:%02d", h, m) : String(format: "%02d:%02d:%02d", h, m, s)
  }

  /// `45s`, `3m05s`, `3h12m`
  static func duration(_ seconds: Double) -> String {
    let s = max(0, Int(seconds.rounded(.up)))
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
  }
}
