import Foundation
import Testing

@testable import Simulator

/// The simulator's decisions as values, without sockets or clocks.
@Suite struct SimulatorDecisionTests {
  @Test func fifoAdmissionHoldsTheLimitAndKeepsArrivalOrder() {
    var gate = FIFOAdmission(limit: 2)
    let arrivals = (1...4).map { gate.arrive(UInt64($0)) }
    #expect(arrivals == [true, true, false, false])
    #expect(gate.waitingCount == 2)
    // A slot freed goes to the oldest waiting ticket, not to a newcomer.
    let first = gate.leave()
    let newcomer = gate.arrive(5)
    let rest = (0..<4).map { _ in gate.leave() }
    #expect(first == 3)
    #expect(!newcomer)
    #expect(rest == [4, 5, nil, nil])
    #expect(gate.working == 0)
    #expect(gate.peakWorking == 2)
    #expect(gate.peakWaiting == 2)
  }

  @Test func fifoAdmissionWithoutLimitAdmitsEveryone() {
    var gate = FIFOAdmission(limit: nil)
    let arrivals = (0..<100).map { gate.arrive(UInt64($0)) }
    #expect(arrivals.allSatisfy { $0 })
    #expect(gate.peakWorking == 100)
    #expect(FIFOAdmission(limit: 0).limit == nil)
  }

  @Test func dailyCapRefusesPastTheLimitUntilUTCMidnight() throws {
    var cap = DailyCreditCap(limit: 3)
    // 2026-12-03T23:59:00Z: 60 s before the reset.
    let late = Date(timeIntervalSince1970: 1_796_342_340)
    let charged = (0..<3).map { _ in cap.charge(account: 1, now: late) }
    #expect(charged == [nil, nil, nil])
    let fourth = cap.charge(account: 1, now: late)
    let refusal = try #require(fourth)
    #expect(refusal.retryAfterSeconds == 60)
    #expect(refusal.resetAt == Date(timeIntervalSince1970: 1_796_342_400))
    #expect(refusal.message.contains("daily limit of 3 credits"))
    #expect(refusal.message.contains("2026-12-04T00:00:00Z"))
    #expect(cap.usedToday(account: 1, now: late) == 3)
    // Another account has its own cap; the next UTC day starts at zero.
    let other = cap.charge(account: 2, now: late)
    #expect(other == nil)
    let nextDay = late.addingTimeInterval(61)
    #expect(cap.usedToday(account: 1, now: nextDay) == 0)
    let tomorrow = cap.charge(account: 1, now: nextDay)
    #expect(tomorrow == nil)
    #expect(DailyCreditCap(limit: nil).refusal(account: 1, now: late) == nil)
  }

  @Test func asyncEnrichmentIsPendingUntilItsLatencyHasPassed() {
    var store = AsyncEnrichmentStore()
    let t0 = ContinuousClock.now
    store.submit(
      id: "abc",
      .init(
        account: 1, readyAt: t0 + .seconds(2), pending: Data("p".utf8),
        finished: Data("f".utf8)))
    #expect(store.lookup(id: "abc", account: 1, now: t0) == .pending(Data("p".utf8)))
    #expect(
      store.lookup(id: "ABC", account: 1, now: t0 + .milliseconds(1999))
        == .pending(Data("p".utf8)))
    #expect(store.lookup(id: "abc", account: 1, now: t0 + .seconds(2)) == .finished(Data("f".utf8)))
    #expect(store.lookup(id: "abc", account: 2, now: t0 + .seconds(3)) == .unknown)
    #expect(store.lookup(id: "nope", account: 1, now: t0) == .unknown)
  }

  @Test func asyncVocabularyAndPhoneShapes() {
    #expect(AsyncEnrichmentBody.emailStatus("valid") == "deliverable")
    #expect(AsyncEnrichmentBody.emailStatus("deliverable") == "deliverable")
    #expect(AsyncEnrichmentBody.emailStatus("catch-all") == "catch-all")
    #expect(AsyncEnrichmentBody.emailStatus("invalid") == "N/A")
    #expect(AsyncEnrichmentBody.emailStatus(nil) == "N/A")
    var body: [String: Any] = ["phones": ["+33612345678"]]
    PhonesShape.strings.apply(to: &body)
    #expect(body["phones"] as? [String] == ["+33612345678"])
    PhonesShape.objects.apply(to: &body)
    #expect(
      body["phones"] as? [[String: String]] == [["number": "+33612345678", "type": "mobile"]])
  }
}

/// The simulator's daily cap counts credits, on days of any length (issue 12, item 8).
@Suite struct SimulatorDailyCreditTests {
  @Test func theCapCountsCreditsAndRefusesWhatWouldPassIt() throws {
    var cap = DailyCreditCap(limit: 12)
    let noon = Date(timeIntervalSince1970: 1_796_299_200)
    #expect(cap.charge(account: 1, credits: 11, now: noon) == nil)
    let refused = cap.charge(account: 1, credits: 10, now: noon)
    #expect(refused != nil, "11 + 10 would pass 12: nothing billed")
    #expect(cap.usedToday(account: 1, now: noon) == 11)
    #expect(cap.charge(account: 1, credits: 1, now: noon) == nil, "12 fits exactly")
    #expect(cap.refusal(account: 1, now: noon) != nil, "the day is used up")
  }

  @Test func daysOfTwentySecondsStartAtMultiplesOfTwenty() throws {
    var cap = DailyCreditCap(limit: 2, daySeconds: 20)
    let t = Date(timeIntervalSince1970: 1_796_299_215)  // 15 s into a 20-second day
    #expect(cap.charge(account: 1, credits: 2, now: t) == nil)
    let third = cap.charge(account: 1, now: t)
    let refusal = try #require(third)
    #expect(refusal.resetAt == Date(timeIntervalSince1970: 1_796_299_220))
    #expect(refusal.retryAfterSeconds == 5)
    #expect(refusal.message.contains("2026-12-03T12:00:20Z"))
    let next = t.addingTimeInterval(5)
    #expect(cap.usedToday(account: 1, now: next) == 0)
    #expect(cap.charge(account: 1, credits: 2, now: next) == nil)
  }
}
