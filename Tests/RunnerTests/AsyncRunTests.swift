import Foundation
import JobStore
import LeadsheetCore
import ProntoClient
import Testing

@testable import Runner

/// The machine's async mode and polls (issue 11), with a fake clock and no sockets.
@Suite struct AsyncRunTests {
  private static func harness(
    types: [EnrichmentType] = [.email, .phone], requests: Int = 1,
    configure: (inout RunConfiguration) -> Void = { _ in }
  ) -> Harness {
    var h = Harness(requests: requests, types: types) {
      $0.apiMode = .async
      configure(&$0)
    }
    return h
  }

  /// Outcomes of every commit taken so far.
  private static func commits(_ h: inout Harness) -> [RequestOutcome] {
    var all: [RequestOutcome] = []
    while let batch = h.machine.takeCommit() { all += batch.outcomes }
    return all
  }

  /// Runs the clock to the next wait and carries out what is due then.
  private static func advance(_ h: inout Harness) {
    if case .wait(let until?) = h.run() { h.now = until }
    h.run()
  }

  private static let email = EnrichAttempt.found(
    EnrichResponse(status: "finished", email: "ada@engine.io", emailStatus: "deliverable"))
  private static let phone = EnrichAttempt.found(
    EnrichResponse(status: "finished", phones: [.init("+33612345678")]))

  @Test func oneSubmissionPerTypeEachIdStoredThenPolled() throws {
    var h = Self.harness()
    h.run()
    #expect(h.sends.isEmpty, "async mode never sends the request whole")
    #expect(
      h.madeCalls.map(\.part) == ["email", "phone"], "one submission per type: \(h.madeCalls)")
    guard case .submit(let work, .email) = h.madeCalls[0] else {
      Issue.record("expected the email submission first")
      return
    }
    #expect(h.markedInStore == [1], "marked in flight before it is submitted")
    #expect(work.request.enrichmentType == [.email, .phone])

    h.answerCall(.submitted(enrichmentID: "id-e", status: "pending")) { $0.part == "email" }
    var saved = Self.commits(&h)
    #expect(saved.count == 1)
    guard case .submitted(let partial, let complete) = saved[0].result else {
      Issue.record("expected the ledger, got \(saved[0].result)")
      return
    }
    #expect(partial.ids == ["email": "id-e"] && !complete, "phone is still being sent")

    h.answerCall(.submitted(enrichmentID: "id-p", status: "pending")) { $0.part == "phone" }
    saved = Self.commits(&h)
    guard case .submitted(let full, true) = saved.first?.result else {
      Issue.record("expected the complete ledger, got \(saved)")
      return
    }
    #expect(full.ids == ["email": "id-e", "phone": "id-p"])

    Self.advance(&h)
    Self.advance(&h)
    #expect(h.callsInFlight.filter(\.isPoll).count == 2, "both ids polled: \(h.callsInFlight)")
    #expect((0.9...1.1).contains(h.now), "the first poll after about 1 s: \(h.now)")
    h.answerCall(Self.email) { $0 == .poll(requestID: 1, part: "email", id: "id-e") }
    h.answerCall(Self.phone) { $0 == .poll(requestID: 1, part: "phone", id: "id-p") }
    #expect(h.run() == .finish(nil))
    let final = Self.commits(&h).last
    guard case .response(let merged, _) = final?.result else {
      Issue.record("expected the merged answer, got \(String(describing: final))")
      return
    }
    #expect(merged.email == "ada@engine.io" && merged.phones == [.init("+33612345678")])
    #expect(merged.emailStatus == "deliverable" && merged.status == "success")
    #expect(merged.enrichmentID == #"{"email":"id-e","phone":"id-p"}"#)
    let s = h.machine.summary
    #expect((s.finished, s.found, s.submitted, s.polls, s.polledResults) == (1, 1, 2, 2, 2))
  }

  @Test func anIdStillPendingAtThePollTimeoutFailsKeepingTheId() throws {
    var h = Self.harness(types: [.email]) { $0.pollTimeout = 60 }
    h.run()
    h.answerCall(.submitted(enrichmentID: "slow", status: "pending"))
    var polls = 0
    while h.machine.summary.finished == 0, polls < 100 {
      Self.advance(&h)
      guard !h.callsInFlight.isEmpty else { break }
      polls += 1
      h.answerCall(.submitted(enrichmentID: "slow", status: "pending"))
    }
    #expect(h.run() == .finish(nil))
    #expect(h.now >= 60 && h.now < 100, "gave up at \(h.now)")
    #expect((5...12).contains(polls), "backed off: \(polls) polls in 60 s")
    let final = try #require(Self.commits(&h).last)
    #expect(final.enrichmentID == "slow")
    guard case .failed(let errorClass, let message) = final.result else {
      Issue.record("expected failed, got \(final.result)")
      return
    }
    #expect(errorClass == "submitted" && message.contains("never sent again"))
    #expect(h.machine.summary.failed == 1)
  }

  @Test func aStopKeepsEveryIdAndPutsBackWhatHasNone() throws {
    var h = Self.harness(requests: 2)
    h.run()
    // Request 1: both ids known. Request 2: email known, phone's submission fails.
    let calls = h.madeCalls
    #expect(calls.map(\.requestID) == [1, 1, 2, 2])
    h.answerCall(.submitted(enrichmentID: "1e", status: "pending")) { $0 == calls[0] }
    h.answerCall(.submitted(enrichmentID: "1p", status: "pending")) { $0 == calls[1] }
    h.answerCall(.submitted(enrichmentID: "2e", status: "pending")) { $0 == calls[2] }
    h.machine.stop(.interrupted)
    #expect(h.run() == .wait(until: nil), "waits for the call in flight")
    h.answerCall(.transient(.http(status: 503)))
    #expect(h.run() == .finish(.interrupted))
    _ = Self.commits(&h)
    h.machine.drainUnsent()
    let drained = Self.commits(&h)
    let one = drained.filter { $0.requestID == 1 }.map(\.result)
    let two = drained.filter { $0.requestID == 2 }.map(\.result)
    guard case .submitted(let l1, true) = one.first, one.count == 1 else {
      Issue.record("request 1 should become submitted: \(one)")
      return
    }
    #expect(l1.ids == ["email": "1e", "phone": "1p"])
    guard case .submitted(let l2, false) = two.first, two.count == 2,
      case .retryLater = two.last
    else {
      Issue.record("request 2 should keep its ledger and go back to pending: \(two)")
      return
    }
    #expect(l2.ids == ["email": "2e"] && l2.unbought == [.phone])
  }

  @Test func submittedRequestsOfAnEarlierRunArePolledNeverSent() throws {
    var h = Self.harness(requests: 0)
    var ledger = SubmissionLedger(types: [.email, .phone])
    ledger.ids["email"] = "old-e"
    ledger.results["phone"] = EnrichResponse(status: "finished", phones: [])
    let work = PendingRequest(
      id: 7, request: EnrichRequest(firstname: "Ada", enrichmentType: [.email, .phone]),
      attempts: 1, ledger: ledger)
    h.machine.resumeSubmitted([work], at: 0)
    h.run()
    #expect(h.madeCalls == [.poll(requestID: 7, part: "email", id: "old-e")])
    h.answerCall(Self.email)
    #expect(h.run() == .finish(nil))
    #expect(h.sends.isEmpty && h.markedInStore.isEmpty)
    guard case .response(let merged, _) = Self.commits(&h).last?.result else {
      Issue.record("expected the answer")
      return
    }
    #expect(merged.email == "ada@engine.io" && merged.phones == [])
  }

  @Test func syncModeBuysOnlyWhatTheLedgerDoesNotCover() throws {
    var h = Harness(requests: 0)
    var ledger = SubmissionLedger(types: [.email, .phone])
    ledger.ids["email"] = "e-1"
    h.store = [
      PendingRequest(
        id: 3, request: EnrichRequest(firstname: "Ada", enrichmentType: [.email, .phone]),
        attempts: 1, ledger: ledger)
    ]
    h.run()
    #expect(h.madeCalls == [.poll(requestID: 3, part: "email", id: "e-1")])
    #expect(h.inFlight.map(\.request.enrichmentType) == [[.phone]], "only phone is bought")
    h.answer(3, Self.phone)
    h.answerCall(.notFound(EnrichResponse(status: "finished")))
    #expect(h.run() == .finish(nil))
    guard case .response(let merged, _) = Self.commits(&h).last?.result else {
      Issue.record("expected the answer")
      return
    }
    #expect(merged.phones == [.init("+33612345678")] && merged.email == nil)
    #expect(merged.isFound)
  }

  @Test func pollsFreeOfTheRateDoNotWaitForTheBucket() throws {
    var h = Self.harness(types: [.email], requests: 1) {
      $0.rate = 1
      $0.pollsUseRate = false
    }
    h.run()
    h.answerCall(.submitted(enrichmentID: "x", status: "pending"))
    // The bucket's next slot is a second away; the poll is due sooner and goes.
    guard case .wait(let until?) = h.run() else {
      Issue.record("expected a wait")
      return
    }
    h.now = until
    h.run()
    #expect(h.callsInFlight.first?.isPoll == true, "\(h.callsInFlight)")
    #expect(h.now < 1.2)
  }
}

@Suite struct PollScheduleTests {
  /// The first delay settles near the 85th percentile of the completion times,
  /// learned from pending/finished answers alone.
  @Test func firstDelayTracksTheEightyFifthPercentile() {
    var schedule = PollSchedule(timeout: 1800)
    var random = SeededRandom(seed: 3)
    // Lognormal, median 1 s, p99 5 s: p85 ≈ 2.05 s.
    let sigma = 0.692
    var pendingShare = 0.0
    for i in 0..<20_000 {
      let u1 = max(1e-12, random.unit())
      let u2 = random.unit()
      let z = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
      let completion = exp(sigma * z)
      let pending = completion > schedule.firstDelay
      if i >= 10_000 { pendingShare += pending ? 1e-4 : 0 }
      schedule.firstPollAnswered(pending: pending)
    }
    #expect((1.7...2.5).contains(schedule.firstDelay), "\(schedule.firstDelay)")
    #expect((0.10...0.20).contains(pendingShare), "\(pendingShare)")
  }

  @Test func laterPollsBackOffFromOneToThirtySeconds() {
    let schedule = PollSchedule(timeout: 1800, firstDelay: 2)
    #expect((1.8...2.2).contains(schedule.delay(afterPolls: 0, unitRandom: 0.5)))
    #expect(schedule.delay(afterPolls: 1, unitRandom: 0.5) == 1)
    #expect(schedule.delay(afterPolls: 2, unitRandom: 0.5) == 2)
    #expect(schedule.delay(afterPolls: 6, unitRandom: 0.5) == 30)
    #expect(schedule.delay(afterPolls: 40, unitRandom: 1) == 37.5)
    #expect(schedule.delay(afterPolls: 3, unitRandom: 0) == 3)
    #expect(schedule.timedOut(since: 10, at: 1810) && !schedule.timedOut(since: 10, at: 1809))
  }

  @Test func firstDelayStaysWithinItsBounds() {
    var slow = PollSchedule(timeout: 60)
    for _ in 0..<1000 { slow.firstPollAnswered(pending: true) }
    #expect(slow.firstDelay == 30)
    var fast = PollSchedule(timeout: 60)
    for _ in 0..<10_000 { fast.firstPollAnswered(pending: false) }
    #expect(fast.firstDelay == 0.2)
  }
}
