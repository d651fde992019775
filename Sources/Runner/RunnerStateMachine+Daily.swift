import JobStore
import LeadsheetCore
import ProntoClient

extension RunnerStateMachine {
  // MARK: - The daily cap

  /// The wall-clock time (Unix seconds) of `now` on the run's clock.
  func wall(_ now: Double) -> Double { now + wallOffset }

  /// Starts the daily cap: `spentToday` is what every job of the database spent since
  /// the last UTC midnight (read only when `--daily-credits` is set), `unixTime` the
  /// wall clock at `now` on the run's clock. Call before the first `nextAction`.
  public mutating func dailyCapStarts(spentToday: Int, unixTime: Double, at now: Double) {
    wallOffset = unixTime - now
    let api = daily.api
    daily = DailyCap(limit: configuration.dailyCredits, spentToday: spentToday, at: unixTime)
    if let api, let limit = api.limit {
      daily.apiTold(limit: limit, usedToday: api.used, resetAt: api.resetAt, at: unixTime)
    }
  }

  /// `GET /credits` answered (at run start, or after `readCredits`): the API's daily
  /// limit, what it counts as used today and when its day ends (Unix seconds), each
  /// `nil` when not told.
  public mutating func apiCreditsRead(
    limit: Int?, usedToday: Int?, resetAt: Double?, at now: Double
  ) {
    creditsReadAsked = false
    daily.apiTold(limit: limit, usedToday: usedToday, resetAt: resetAt, at: wall(now))
  }

  /// `GET /credits` did not answer when `readCredits` asked: counting goes on as before.
  public mutating func apiCreditsUnread() {
    creditsReadAsked = false
    daily.apiReadFailed()
  }

  /// The credits today against the cap in force, the cap, and the API's limit.
  public var dailyFigures: (today: Int, cap: Int?, apiLimit: Int?) {
    (
      daily.limit != nil ? daily.spentToday : daily.api?.used ?? 0,
      daily.limit ?? daily.api?.limit, daily.api?.limit
    )
  }

  /// Nothing is in flight and the next request (worst case `nextCost`) does not fit in
  /// today's cap: sleep to the reset with `--wait` (unless one day could never hold
  /// it), else stop.
  mutating func dailyCapReached(nextCost: Int, at now: Double) -> Action {
    let pause = daily.pause(nextCost: nextCost, at: wall(now))
    if configuration.waitForDailyReset && !pause.neverFits {
      return .waitForDailyReset(pause)
    }
    stop(.dailyCapReached(pause))
    return .finish(stopCause)
  }

  /// The sleep of `waitForDailyReset` ended after `seconds` (the reset came, or a stop).
  public mutating func dailyWaitEnded(seconds: Double) {
    statistics.summary.dailyWaits += 1
    statistics.summary.dailyWaitSeconds += max(0, seconds)
  }

  /// Whether `reason` is the API's daily limit (a 422 whose message names a daily limit).
  static func isDailyLimit(_ reason: JobStopReason) -> Bool {
    guard case .limitReached(_, let message, _) = reason else { return false }
    return message.lowercased().contains("daily")
  }

  /// A daily-limit 422 for `work` (nothing billed): it goes back to the head of the
  /// marked requests, keeping its reservations, and nothing more is sent before the
  /// reset (Retry-After, else the message's time, else `/credits`' reset, else the
  /// next UTC midnight).
  mutating func refusedForToday(_ work: PendingRequest, _ reason: JobStopReason, at now: Double) {
    queue.putBackMarked(work)
    refusedForToday(reason, at: now)
  }

  /// A daily-limit 422: counted, and nothing more is sent before the reset.
  mutating func refusedForToday(_ reason: JobStopReason, at now: Double) {
    guard case .limitReached(_, let message, let retryAfter) = reason else { return }
    statistics.summary.dailyLimited += 1
    let reset = DailyCap.resetTime(
      retryAfter: retryAfter.map(RetryWait.seconds), message: message,
      creditsResetAt: daily.api?.resetAt, at: wall(now))
    if !daily.isClosed { daily.apiRefused(resetAt: reset) }
  }
}
