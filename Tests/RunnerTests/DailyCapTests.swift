import Foundation
import JobStore
import LeadsheetCore
import ProntoClient
import Testing

@testable import Runner

/// The daily cap (issue 12, item 3) as a value type and in the machine, with a fake
/// clock: UTC day rollover, reservations, the API's limit against leadsheet's, and
/// which reset time a pause names.
@Suite struct DailyCapTests {
  /// 2026-12-03T23:59:00Z: 60 s before a UTC midnight.
  static let late = 1_796_342_340.0
  /// 2026-12-04T00:00:00Z.
  static let midnight = 1_796_342_400.0
  /// 2026-12-03T12:00:00Z.
  static let noon = 1_796_299_200.0

  @Test func aNewUTCDayStartsAtZero() {
    var cap = DailyCap(limit: 10, spentToday: 10, at: Self.late)
    #expect(cap.fitting([1]) == 0)
    cap.roll(to: Self.late + 30)
    #expect(cap.fitting([1]) == 0, "still the same UTC day")
    cap.roll(to: Self.midnight + 1)
    #expect(cap.spentToday == 0)
    #expect(cap.fitting(Array(repeating: 1, count: 12)) == 10)
  }

  @Test func reservationsCountUntilSettledOrReleased() {
    var cap = DailyCap(limit: 5, at: Self.noon)
    for id in 1...5 { cap.reserve(Int64(id), worst: 1) }
    #expect(cap.committed == 5)
    #expect(cap.fitting([1]) == 0, "five in flight hold the whole day")
    cap.release(1)
    #expect(cap.fitting([1, 1]) == 1)
    cap.settle(2, actual: 0)  // per-found, nothing found: free
    #expect(cap.fitting([1, 1, 1]) == 2)
    cap.settle(3, actual: 1)
    #expect(cap.spentToday == 1)
    #expect(cap.committed == 2)
  }

  @Test func theAPIsLimitGatesAsWellAsLeadsheets() {
    var cap = DailyCap(limit: 100, spentToday: 40, at: Self.noon)
    cap.apiTold(limit: 10, usedToday: 8, resetAt: Self.noon + 20, at: Self.noon)
    #expect(cap.fitting([1, 1, 1]) == 2, "the API has 2 left, leadsheet 60")
    cap.reserve(1, worst: 1)
    cap.reserve(2, worst: 1)
    let pause = cap.pause(nextCost: 1, at: Self.noon + 1)
    #expect(pause.reached == .api)
    #expect(pause.resetAt == Self.noon + 20)
    #expect(pause.wakeAt == Self.noon + 20 + DailyCap.resetMargin)
    #expect(pause.usedToday == 8)
    #expect(pause.limit == 10)
    // Past the API's reset its count starts again and /credits is read again.
    cap.settle(1, actual: 1)
    cap.settle(2, actual: 1)
    cap.roll(to: Self.noon + 22)
    #expect(cap.needsAPIRead)
    #expect(cap.api?.used == 0)
    #expect(cap.spentToday == 42, "leadsheet's UTC day goes on")
    cap.apiTold(limit: 10, usedToday: 0, resetAt: Self.noon + 40, at: Self.noon + 22)
    #expect(!cap.needsAPIRead)
    #expect(cap.fitting(Array(repeating: 1, count: 20)) == 10)
  }

  @Test func leadsheetsCapIsTheTighter() {
    var cap = DailyCap(limit: 3, spentToday: 3, at: Self.noon)
    cap.apiTold(limit: 2_500, usedToday: 3, resetAt: Self.midnight, at: Self.noon)
    let pause = cap.pause(nextCost: 1, at: Self.noon)
    #expect(pause.reached == .leadsheet)
    #expect(pause.resetAt == Self.midnight)
    #expect(pause.reason.hasPrefix("daily cap reached: 3/3 credits today (--daily-credits 3)"))
    #expect(pause.reason.contains("resets at 2026-12-04 00:00 UTC"))
    #expect(!pause.neverFits)
    #expect(cap.pause(nextCost: 11, at: Self.noon).neverFits, "11 credits never fit in 3")
  }

  @Test func aRefusalClosesTheDayUntilItsReset() {
    var cap = DailyCap(limit: nil, at: Self.noon)
    #expect(!cap.isActive)
    cap.apiRefused(resetAt: Self.noon + 30)
    #expect(cap.isClosed)
    #expect(cap.fitting([0, 1]) == 1, "nothing that costs anything")
    let pause = cap.pause(nextCost: 1, at: Self.noon)
    #expect(pause.reached == .api)
    #expect(pause.refused)
    // /credits read before the reset does not reopen it.
    cap.apiTold(limit: 50, usedToday: 0, resetAt: Self.noon + 30, at: Self.noon + 5)
    #expect(cap.isClosed)
    cap.roll(to: Self.noon + 30 + DailyCap.resetMargin)
    #expect(!cap.isClosed)
    #expect(cap.needsAPIRead)
  }

  @Test func theResetTimeComesFromTheBestSource() {
    let now = Self.noon
    let message = "Daily limit reached; it resets at 2026-12-03T12:05:00Z"
    #expect(
      DailyCap.resetTime(retryAfter: 60, message: message, creditsResetAt: now + 600, at: now)
        == now + 60, "Retry-After first")
    #expect(
      DailyCap.resetTime(retryAfter: nil, message: message, creditsResetAt: now + 600, at: now)
        == now + 300, "then the message's time")
    #expect(
      DailyCap.resetTime(
        retryAfter: nil, message: "Daily limit reached", creditsResetAt: now + 600, at: now)
        == now + 600, "then /credits' resets_at")
    #expect(
      DailyCap.resetTime(retryAfter: nil, message: "Daily limit", creditsResetAt: nil, at: now)
        == Self.midnight, "else the next UTC midnight")
    #expect(
      DailyCap.resetTime(
        retryAfter: nil, message: "resets at 2026-12-03T11:00:00Z", creditsResetAt: nil, at: now)
        == Self.midnight, "a time in the past is skipped")
    #expect(DailyCap.isoTime(in: "at 2026-12-04T00:00:00.500Z.") == Self.midnight + 0.5)
  }

  @Test func theWaitingLine() {
    var pause = DailyPause(reached: .api, usedToday: 2_500, limit: 2_500, resetAt: Self.midnight)
    pause.rowsLeft = 61_880
    pause.estimateLeft = 61_880
    #expect(
      pause.waitingLine(now: Self.midnight - 11_520)
        == "waiting for the daily reset at 00:00 UTC (in 3h12m) · 2,500/2,500 credits today"
        + " · 61,880 rows left, about 25 days")
  }

  // MARK: - In the machine

  private static func harness(
    requests: Int, dailyCredits: Int?, wait: Bool = false, spentToday: Int = 0,
    at unixTime: Double = late
  ) -> Harness {
    var h = Harness(requests: requests) {
      $0.dailyCredits = dailyCredits
      $0.waitForDailyReset = wait
    }
    h.machine.dailyCapStarts(spentToday: spentToday, unixTime: unixTime, at: 0)
    return h
  }

  @Test func theMachineMarksNoMoreThanTheCapThenPauses() {
    var h = Self.harness(requests: 10, dailyCredits: 5, spentToday: 2)
    h.run()
    #expect(h.markedInStore == [1, 2, 3], "2 spent today by other jobs, 3 left")
    h.answerAll(found)
    guard case .finish(.dailyCapReached(let pause)?) = h.run() else {
      Issue.record("expected a daily cap stop")
      return
    }
    #expect(pause.reached == .leadsheet)
    #expect(pause.usedToday == 5)
    #expect(pause.resetAt == Self.midnight)
    #expect(
      pause.message(job: "k7m2qx", now: Self.late).hasSuffix(
        "resets at 2026-12-04 00:00 UTC (in 1m00s); continue with: leadsheet resume k7m2qx"
          + " (after the reset, or now with --wait)"))
    #expect(
      h.machine.ending(unfinishedRequests: { 7 })
        == .ended(.dailyCapReached(pause), .paused(reason: pause.reason)))
  }

  @Test func withWaitTheMachineSleepsToTheResetThenGoesOn() {
    var h = Self.harness(requests: 8, dailyCredits: 5, wait: true)
    h.run()
    #expect(h.sends == [1, 2, 3, 4, 5])
    h.answerAll(found)
    guard case .waitForDailyReset(let pause) = h.run() else {
      Issue.record("expected a wait for the reset")
      return
    }
    #expect(pause.resetAt == Self.midnight)
    h.now = pause.resetAt - Self.late + 0.5
    h.machine.dailyWaitEnded(seconds: h.now)
    h.run()
    #expect(h.sends == [1, 2, 3, 4, 5, 6, 7, 8])
    h.answerAll(found)
    #expect(h.run() == .finish(nil))
    #expect(h.machine.summary.dailyWaits == 1)
  }

  @Test func theAPIsDailyLimitFromCreditsGatesTheFirstRequest() {
    var h = Self.harness(requests: 10, dailyCredits: nil, at: Self.noon)
    h.machine.apiCreditsRead(limit: 50, usedToday: 47, resetAt: Self.noon + 20, at: 0)
    h.run()
    #expect(h.sends == [1, 2, 3])
    h.answerAll(found)
    guard case .finish(.dailyCapReached(let pause)?) = h.run() else {
      Issue.record("expected a daily cap stop")
      return
    }
    #expect(pause.reached == .api)
    #expect(pause.resetAt == Self.noon + 20)
  }

  @Test func aDailyLimit422PutsTheRequestBackAndClosesTheDay() throws {
    var h = Self.harness(requests: 4, dailyCredits: nil, wait: true, at: Self.noon)
    h.apiCredits = (limit: 50, used: 0, resetAt: Self.noon + 100)
    h.run()
    #expect(h.sends == [1, 2, 3, 4])
    let refusal = JobStopReason.limitReached(
      status: 422, message: "Daily limit reached: resets at 2026-12-03T12:00:20Z",
      retryAfter: .seconds(30))
    h.answer(1, .jobStop(refusal))
    h.answer(2, found)
    #expect(h.run() == .wait(until: nil), "3 and 4 are still in flight")
    h.answer(3, .jobStop(refusal))
    h.answer(4, .jobStop(refusal))
    guard case .waitForDailyReset(let pause) = h.run() else {
      Issue.record("expected a wait for the reset")
      return
    }
    #expect(pause.refused)
    #expect(pause.resetAt == Self.noon + 30, "Retry-After first")
    #expect(pause.wakeAt == Self.noon + 30 + DailyCap.resetMargin)
    let taken = h.machine.takeCommit()
    let batch = try #require(taken)
    #expect(batch.outcomes.count == 1, "only 2's answer: the refused ones are not put back")
    h.now = 31.5
    h.machine.dailyWaitEnded(seconds: 31.5)
    h.run()
    #expect(h.sends.count == 7)
    #expect(h.sends.suffix(3).sorted() == [1, 3, 4], "the refused ones, sent again")
    #expect(h.machine.summary.dailyLimited == 3)
  }

  @Test func inAsyncModeARefusedSubmissionGoesAgainAfterTheReset() {
    var h = Harness(requests: 1, types: [.email]) {
      $0.apiMode = .async
      $0.waitForDailyReset = true
    }
    h.machine.dailyCapStarts(spentToday: 0, unixTime: Self.noon, at: 0)
    h.run()
    #expect(h.madeCalls.count == 1)
    let refusal = JobStopReason.limitReached(
      status: 422, message: "Daily limit reached", retryAfter: .seconds(10))
    h.answerCall(.jobStop(refusal))
    guard case .waitForDailyReset(let pause) = h.run() else {
      Issue.record("expected a wait for the reset")
      return
    }
    #expect(pause.resetAt == Self.noon + 10)
    #expect(h.machine.stopping == nil)
    h.now = 11.5
    h.run()
    #expect(h.madeCalls.count == 2, "the same submission, after the reset")
    #expect(h.madeCalls[0] == h.madeCalls[1])
  }
}
