import Foundation

/// The daily cap of a run: leadsheet's own `--daily-credits` per UTC day, counted over
/// every job of the database, and the API's daily limit as `GET /credits` or a 422
/// tells it. May one more request be sent today?
///
/// Like `CreditBudget`, a request is admitted at mark time on its worst case:
/// `spentToday + committed + cost` must stay within leadsheet's cap, and
/// `api.used + committed + cost` within the API's. A request in flight holds its
/// worst case (`reserve`) until its answer replaces it with what it cost (`settle`)
/// or it goes back unsent (`release`), so many requests in flight at the cap are
/// already counted: the API's limit is normally never answered with a 422.
///
/// Times are Unix seconds passed in (tests use a fake clock). Leadsheet's day is
/// the UTC day; the API's day ends at the reset time it tells (`resets_at`,
/// `Retry-After`, the 422's message), else at the next UTC midnight.
///
///     var cap = DailyCap(limit: 30, spentToday: 28, at: now)
///     cap.fitting([1, 1, 1])        // 2
///     cap.reserve(7, worst: 1)      // 29 of 30 held
///     cap.settle(7, actual: 1)      // spent today 29
public struct DailyCap: Sendable, Hashable {
  /// Seconds in a UTC day.
  public static let utcDay = 86_400.0
  /// Seconds waited past the API's reset before sending again (clocks differ a little).
  public static let resetMargin = 1.0

  /// The API's daily limit as last told.
  public struct APIDay: Sendable, Hashable {
    /// Credits per day (`daily_limit`); `nil` when only a 422 told of a limit.
    public var limit: Int?
    /// Credits used this API day: `used_today` when read, plus this run's answers since.
    public var used: Int
    /// When the API's day ends (Unix seconds), when known.
    public var resetAt: Double?
    /// A daily-limit 422 came: nothing is sent before `resetAt`.
    public var refused = false
  }

  /// Leadsheet's cap per UTC day (`--daily-credits`); `nil`: none.
  public let limit: Int?
  /// The UTC day (days since 1970-01-01) `spentToday` belongs to.
  public private(set) var day: Int
  /// Credits spent this UTC day by every job: read from the store when the run
  /// starts, plus this run's answers.
  public private(set) var spentToday: Int
  /// The worst case of this run's requests in flight or marked, not answered yet.
  public var committed: Int { reserved.total }
  /// The API's daily limit, when it told one.
  public private(set) var api: APIDay?
  /// The API's day ended: `GET /credits` should be read again to learn the new one.
  public private(set) var needsAPIRead = false
  private var reserved = Reservations()

  /// Creates the cap of a run starting at `now` (Unix seconds).
  ///
  /// - Parameters:
  ///   - limit: `--daily-credits`, or `nil`.
  ///   - spentToday: What every job of the database spent since the last UTC midnight.
  public init(limit: Int?, spentToday: Int = 0, at now: Double) {
    self.limit = limit
    self.spentToday = spentToday
    self.day = Self.dayNumber(now)
  }

  // MARK: - Days

  /// The UTC day number of `time` (Unix seconds).
  public static func dayNumber(_ time: Double) -> Int { Int((time / utcDay).rounded(.down)) }

  /// The next UTC midnight after `time`.
  public static func nextUTCMidnight(after time: Double) -> Double {
    Double(dayNumber(time) + 1) * utcDay
  }

  /// When a daily-limit refusal ends, from the best source there is: `Retry-After`
  /// (seconds), else an ISO 8601 time in the API's message, else the `/credits`
  /// reset time, else the next UTC midnight. Sources in the past are skipped.
  public static func resetTime(
    retryAfter: Double?, message: String?, creditsResetAt: Double?, at now: Double
  ) -> Double {
    if let retryAfter, retryAfter > 0 { return now + retryAfter }
    if let message, let time = isoTime(in: message), time > now { return time }
    if let creditsResetAt, creditsResetAt > now { return creditsResetAt }
    return nextUTCMidnight(after: now)
  }

  /// The first ISO 8601 date-time in `text` (`2026-12-04T00:00:00Z`), as Unix seconds.
  public static func isoTime(in text: String) -> Double? {
    guard
      let regex = try? Regex(
        #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})"#),
      let match = text.firstMatch(of: regex)
    else { return nil }
    return parseISO(String(text[match.range]))
  }

  /// Parses an ISO 8601 date-time (with or without fractional seconds).
  public static func parseISO(_ text: String) -> Double? {
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)?.timeIntervalSince1970
  }

  /// Moves to the day of `now`: a new UTC day starts leadsheet's count at zero; past
  /// the API's reset its count starts at zero too, and `/credits` should be read again.
  public mutating func roll(to now: Double) {
    let today = Self.dayNumber(now)
    let newUTCDay = today != day
    if newUTCDay {
      day = today
      spentToday = 0
    }
    if var a = api {
      // Without a reset time the API's day is taken to be the UTC day.
      if let end = a.resetAt.map({ $0 + Self.resetMargin }) ?? (newUTCDay ? now : nil), now >= end {
        a.used = 0
        a.refused = false
        a.resetAt = nil
        api = a.limit == nil ? nil : a
        needsAPIRead = true
      }
    }
  }

  // MARK: - What the API told

  /// `GET /credits` answered: `daily_limit`, `used_today` and the reset time (Unix
  /// seconds). Without a limit the API's day is not gated (unless a 422 refused it).
  public mutating func apiTold(limit: Int?, usedToday: Int?, resetAt: Double?, at now: Double) {
    needsAPIRead = false
    if api?.refused == true, let end = api?.resetAt, now < end + Self.resetMargin { return }
    guard let limit else {
      api = nil
      return
    }
    api = APIDay(limit: limit, used: max(0, usedToday ?? 0), resetAt: resetAt)
  }

  /// `GET /credits` could not be read when it was due: keep counting as before.
  public mutating func apiReadFailed() { needsAPIRead = false }

  /// The API answered a daily-limit 422: nothing more is sent before `resetAt`.
  public mutating func apiRefused(resetAt: Double) {
    var a = api ?? APIDay(limit: nil, used: 0, resetAt: nil)
    a.refused = true
    a.resetAt = resetAt
    api = a
  }

  // MARK: - Admitting

  /// Whether nothing at all may be sent now (the API refused the day).
  public var isClosed: Bool { api?.refused == true }

  /// Whether any cap is in force.
  public var isActive: Bool { limit != nil || api != nil }

  /// Credits still free today under leadsheet's cap (after what is held), or `nil`.
  var ownRoom: Int? { limit.map { $0 - spentToday - committed } }

  /// Credits still free this API day (after what is held), or `nil`.
  var apiRoom: Int? {
    guard let api else { return nil }
    if api.refused { return 0 }
    return api.limit.map { $0 - api.used - committed }
  }

  /// How many of `costs` (worst cases), taken in order, may be marked now.
  public func fitting(_ costs: [Int]) -> Int {
    guard let room = [ownRoom, apiRoom].compactMap({ $0 }).min() else { return costs.count }
    var total = 0
    for (i, cost) in costs.enumerated() {
      total += cost
      if total > room { return i }
    }
    return costs.count
  }

  /// Reserves the worst case of request `id`; a second reservation keeps the first.
  /// `perNumber`: what each phone number more than assumed would add.
  public mutating func reserve(_ id: Int64, worst: Int, perNumber: Int = 0) {
    reserved.reserve(id, worst: worst, perNumber: perNumber)
  }

  /// A phone answer held `extraNumbers` more numbers than the run assumed: every
  /// held request that asks for a phone may cost that much more.
  public mutating func raise(extraNumbers: Int) {
    reserved.raise(extraNumbers: extraNumbers)
  }

  /// Request `id` has its final outcome, which cost `actual`.
  public mutating func settle(_ id: Int64, actual: Int) {
    reserved.remove(id)
    spentToday += actual
    if api != nil { api?.used += actual }
  }

  /// Request `id` goes back unsent (or was refused without being billed).
  public mutating func release(_ id: Int64) {
    reserved.remove(id)
  }

  // MARK: - At the cap

  /// Where the day stands when a request of worst case `nextCost` does not fit (or
  /// the API refused the day): which cap was reached and when it resets. When both
  /// caps are reached, the later reset.
  public func pause(nextCost: Int, at now: Double) -> DailyPause {
    let ownFull = ownRoom.map { nextCost > $0 } ?? false
    let apiFull = isClosed || (apiRoom.map { nextCost > $0 } ?? false)
    let ownReset = Self.nextUTCMidnight(after: now)
    let apiReset = api?.resetAt ?? ownReset
    var pause: DailyPause
    if apiFull && (!ownFull || apiReset >= ownReset) {
      pause = DailyPause(
        reached: .api, usedToday: api?.used ?? 0, limit: api?.limit, resetAt: apiReset)
      if api?.resetAt != nil { pause.wakeAt = apiReset + Self.resetMargin }
      pause.refused = isClosed
    } else {
      pause = DailyPause(
        reached: .leadsheet, usedToday: spentToday, limit: limit, resetAt: ownReset)
    }
    pause.nextCost = nextCost
    // A request dearer than a whole day would wait forever.
    let smallest = [limit, api?.limit].compactMap { $0 }.min()
    pause.neverFits = smallest.map { nextCost > $0 } ?? false
    return pause
  }
}
