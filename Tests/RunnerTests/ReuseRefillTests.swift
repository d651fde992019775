import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Runner

/// How the machine takes refills the store partly or wholly answered from the contact
/// store: no sockets, no clock but the one given.
@Suite struct ReuseRefillTests {
  func machine() -> RunnerStateMachine {
    var config = RunConfiguration()
    config.rate = 0
    config.latencyWindow = false
    return RunnerStateMachine(configuration: config, random: SeededRandom(seed: 7))
  }

  /// A refill that finished many requests from the store and says there is more is
  /// asked again at once; one that found only requests waiting for another job's claim
  /// is asked again later, never taken for the end; an empty one ends the run.
  @Test func moreAndWaitingKeepTheRunGoing() {
    var m = machine()
    guard case .refill = m.nextAction(at: 0) else {
      Issue.record("the first action is a refill")
      return
    }
    var reused = Refill()
    reused.reusedRequests = 2_000
    reused.reusedFound = 1_500
    reused.reusedTypes = [.email: 2_000]
    reused.more = true
    m.refilled(reused, ingestEnded: true)
    guard case .refill = m.nextAction(at: 0) else {
      Issue.record("more: asked again at once")
      return
    }
    var waiting = Refill()
    waiting.waiting = true
    m.refilled(waiting, ingestEnded: true)
    let next = m.nextAction(at: 0)
    if case .finish = next { Issue.record("waiting requests are not the end") }
    var asked = false
    for t in stride(from: 0.1, through: 5, by: 0.1) {
      if case .refill = m.nextAction(at: t) {
        asked = true
        break
      }
    }
    #expect(asked, "asked again once the poll interval passed")
    m.refilled(Refill(), ingestEnded: true)
    guard case .finish = m.nextAction(at: 6) else {
      Issue.record("an empty refill with nothing waiting ends the run")
      return
    }
    #expect(m.summary.reusedRequests == 2_000)
    #expect(m.summary.reusedFound == 1_500)
    #expect(m.summary.reusedTypes == [.email: 2_000])
  }

  /// While the list is still being stored, a refill that stopped early on reused rows
  /// is asked again only after the ingest's poll interval (the ingest's transactions
  /// come first), and finishes at most 100 rows; once stored, at once and 2,000.
  @Test func reuseYieldsToTheIngest() {
    #expect(RunnerStateMachine.maxReused(ingestEnded: false) == 100)
    #expect(RunnerStateMachine.maxReused(ingestEnded: true) == JobStore.maxReusedPerRefill)
    var m = machine()
    guard case .refill = m.nextAction(at: 0) else {
      Issue.record("the first action is a refill")
      return
    }
    var reused = Refill()
    reused.reusedRequests = 100
    reused.more = true
    m.refilled(reused, ingestEnded: false)
    if case .refill = m.nextAction(at: 0) {
      Issue.record("not asked again at once while ingesting")
    }
    guard case .refill = m.nextAction(at: RunnerStateMachine.ingestPollInterval) else {
      Issue.record("asked again after the poll interval")
      return
    }
    m.refilled(reused, ingestEnded: true)
    guard case .refill = m.nextAction(at: RunnerStateMachine.ingestPollInterval) else {
      Issue.record("once stored: asked again at once")
      return
    }
  }

  /// What the reused answers would have cost is counted under the job's model.
  @Test func creditsSavedFollowTheModel() {
    var config = RunConfiguration()
    config.rate = 0
    config.billing = BillingModel(.perFound)
    var m = RunnerStateMachine(configuration: config, random: SeededRandom(seed: 7))
    _ = m.nextAction(at: 0)
    var refill = Refill()
    let now = Date()
    let job = JobID("abc234")!
    func answer(_ type: String, found: Bool) -> StoredAnswer {
      StoredAnswer(
        identity: ContactIdentity(key: "nm:x"), type: type, found: found,
        value: found ? (type == "phone" ? #"["+33600000000"]"# : "x@y.example") : nil,
        status: found ? "valid" : "not_found", message: nil, boughtAt: now, job: job)
    }
    refill.reused = [
      ReusedAnswers([.email: answer("email", found: true), .phone: answer("phone", found: false)]),
      ReusedAnswers([.email: answer("email", found: false)]),
    ]
    refill.reusedRequests = 2
    m.refilled(refill, ingestEnded: true)
    // per-found: the one email found (1); the phone and the second email found nothing.
    #expect(m.summary.creditsSavedByReuse == 1)
  }
}
