import Foundation
import JobStore
import LeadsheetCore
import ProntoClient
import Testing

@testable import Runner

/// The credit budget in the machine (issue 12): nothing is marked past `--max-credits`,
/// counting what is spent and the worst case of what is in flight.
@Suite struct BudgetRunTests {
  private static func harness(
    types: [EnrichmentType] = [.email], requests: Int, maxCredits: Int?,
    billing: BillingModel.Kind = .perRequest, configure: (inout RunConfiguration) -> Void = { _ in }
  ) -> Harness {
    var h = Harness(requests: requests, types: types) {
      $0.maxCredits = maxCredits
      $0.billing = BillingModel(billing)
      configure(&$0)
    }
    return h
  }

  private static let emailFound = EnrichAttempt.found(
    EnrichResponse(status: "success", email: "a@b.c"))
  private static let phoneFound = EnrichAttempt.found(
    EnrichResponse(status: "success", phones: [.init("+33612345678"), .init("+33612345679")]))

  @Test func marksNoMoreThanTheBudgetThenPauses() {
    var h = Self.harness(requests: 10, maxCredits: 4)
    h.run()
    #expect(h.markedInStore == [1, 2, 3, 4], "email costs 1: four fit in 4 credits")
    #expect(h.sends == [1, 2, 3, 4])
    #expect(h.machine.creditsCommitted == 4)
    h.answerAll(found)
    let end = h.run()
    #expect(end == .finish(.budgetReached(nextWorstCase: 1)))
    #expect(h.machine.creditsSpent == 4)
    #expect(h.machine.creditsCommitted == 0)
    let pause = BudgetPause(spent: 4, limit: 4, nextWorstCase: 1)
    #expect(
      h.machine.ending(unfinishedRequests: { 6 })
        == .ended(.budgetReached(pause), .paused(reason: pause.reason)))
  }

  @Test func whatWasSpentBeforeCounts() {
    var h = Self.harness(requests: 10, maxCredits: 4)
    h.machine.budgetStarts(spent: 3)
    h.run()
    #expect(h.markedInStore == [1])
    h.answerAll(notFound)
    #expect(h.run() == .finish(.budgetReached(nextWorstCase: 1)))
    #expect(h.machine.creditsSpent == 4, "not found costs the full sum under per-request")
  }

  @Test func alreadyOverBudgetStopsAtOnce() {
    var h = Self.harness(requests: 3, maxCredits: 10)
    h.machine.budgetStarts(spent: 12)
    #expect(h.run() == .finish(.budgetReached(nextWorstCase: 1)))
    #expect(h.markedInStore.isEmpty)
  }

  @Test func theInFlightWorstCaseIsCountedUntilTheAnswerSettlesIt() {
    var h = Self.harness(types: [.email, .phone], requests: 5, maxCredits: 30, billing: .perFound)
    h.run()
    #expect(h.markedInStore == [1, 2], "11 each: a third would need 33")
    #expect(h.machine.creditsCommitted == 22)
    // Waits for the answers rather than stopping: they may cost less.
    #expect(h.run() == .wait(until: nil))
    h.answer(1, Self.emailFound)  // per-found: 1 credit, 10 back
    #expect(h.machine.creditsSpent == 1)
    h.run()
    #expect(h.markedInStore == [1, 2, 3], "1 + 11 + 11 = 23 ≤ 30")
    h.answer(2, Self.phoneFound)  // per-found: 10, whatever the numbers
    h.answer(3, notFound)  // 0
    h.run()
    // 11 spent: one more fits (22), a second (33) does not.
    #expect(h.markedInStore == [1, 2, 3, 4])
    h.answer(4, found)  // 1
    h.run()
    #expect(h.markedInStore == [1, 2, 3, 4, 5])
    h.answer(5, found)
    #expect(h.run() == .finish(nil), "every request sent: done, not paused")
    #expect(h.machine.creditsSpent == 13)
  }

  @Test func perRequestSettlesAtTheWorstCase() {
    var h = Self.harness(types: [.email, .phone], requests: 5, maxCredits: 30)
    h.run()
    #expect(h.markedInStore == [1, 2])
    h.answer(1, notFound)
    h.run()
    #expect(h.markedInStore == [1, 2], "11 spent + 11 in flight: 11 more would pass 30")
    h.answer(2, Self.emailFound)
    #expect(h.run() == .finish(.budgetReached(nextWorstCase: 11)))
    #expect(h.machine.creditsSpent == 22)
  }

  @Test func perNumberReservesAPhoneAtThreeNumbersAndChargesEveryNumber() {
    var h = Self.harness(types: [.phone], requests: 3, maxCredits: 60, billing: .perNumber)
    h.run()
    #expect(h.markedInStore == [1, 2], "30 each (three numbers at 10): a third would need 90")
    h.answer(1, Self.phoneFound)
    #expect(h.machine.creditsSpent == 20, "two numbers at 10")
    h.run()
    #expect(h.markedInStore == [1, 2], "20 spent + 30 in flight: 30 more would pass 60")
    h.answer(2, notFound)
    h.run()
    #expect(h.markedInStore == [1, 2, 3])
    h.answer(3, Self.phoneFound)
    #expect(h.run() == .finish(nil))
    #expect(h.machine.creditsSpent == 40, "two numbers at 10 each, twice")
  }

  @Test func perNumberRaisesItsReservationAfterAnAnswerWithMoreNumbers() {
    var h = Self.harness(types: [.phone], requests: 4, maxCredits: 25) {
      $0.billing = BillingModel(.perNumber, phoneNumbersAtMost: 1)
    }
    h.run()
    #expect(h.markedInStore == [1, 2], "reserved at one number: 10 each")
    #expect(h.machine.creditsCommitted == 20)
    h.answer(1, Self.phoneFound)
    #expect(h.machine.creditsSpent == 20, "the answer held two numbers")
    #expect(h.machine.billing.phoneNumbersAtMost == 2, "learned from the answer")
    #expect(h.machine.creditsCommitted == 20, "request 2, in flight, now held at two numbers")
    h.answer(2, notFound)
    // 20 spent; a phone is now reserved at 20, which would pass 25.
    #expect(h.run() == .finish(.budgetReached(nextWorstCase: 20)))
    #expect(h.markedInStore == [1, 2])
  }

  @Test func numbersSeenInEarlierRunsStartTheReservationThere() {
    var h = Self.harness(types: [.phone], requests: 4, maxCredits: 100) {
      $0.billing = BillingModel(.perNumber, phoneNumbersAtMost: 1)
    }
    h.machine.phoneNumbersSeen(4)
    h.machine.phoneNumbersSeen(2)
    #expect(h.machine.billing.phoneNumbersAtMost == 4, "never lowered")
    h.run()
    #expect(h.markedInStore == [1, 2], "40 each: a third would pass 100")
    #expect(h.machine.creditsCommitted == 80)
  }

  @Test func refusedAndStoppedRequestsGiveTheirReservationBack() {
    var h = Self.harness(requests: 4, maxCredits: 2)
    h.run()
    #expect(h.markedInStore == [1, 2])
    h.answer(1, .rowInvalid(status: 422, message: "bad row"))
    #expect(h.machine.creditsSpent == 0, "a 422 is not billed")
    h.run()
    #expect(h.markedInStore == [1, 2, 3])
    h.answer(2, .transient(.timeout))
    #expect(h.machine.creditsCommitted == 2, "a retry keeps its reservation")
    h.machine.stop(.interrupted)
    h.answer(3, found)
    #expect(h.run() == .finish(.interrupted))
    h.machine.drainUnsent()
    #expect(h.machine.creditsCommitted == 0, "the retry went back to pending")
    #expect(h.machine.creditsSpent == 1)
  }

  @Test func failuresThatMayHaveBeenBilledCountAtTheWorstCase() {
    var h = Self.harness(requests: 3, maxCredits: 10) { $0.backoff = Backoff(maxRetries: 0) }
    h.run()
    h.answer(1, .transient(.timeout))
    h.answer(2, .unexpectedAnswer(status: 200, excerpt: "{}", enrichmentID: nil))
    h.answer(3, .rowInvalid(status: 400, message: "no name"))
    #expect(h.machine.creditsSpent == 2, "a timeout and an unknown answer may be billed")
    #expect(h.machine.creditsCommitted == 0)
  }

  @Test func asyncModeReservesTheWholeWorstCaseAtMark() {
    var h = Self.harness(types: [.email, .phone], requests: 3, maxCredits: 22) {
      $0.apiMode = .async
    }
    h.run()
    #expect(h.markedInStore == [1, 2])
    #expect(h.madeCalls.count == 4, "one submission per type")
    #expect(h.machine.creditsCommitted == 22)
    // Both parts of request 1 answer: it settles once, at its actual cost.
    h.answerCall(Self.emailFound) { $0.requestID == 1 && $0.part == "email" }
    #expect(h.machine.creditsCommitted == 22, "still open: the whole worst case stays")
    h.answerCall(notFound) { $0.requestID == 1 && $0.part == "phone" }
    #expect(h.machine.creditsSpent == 11)
    #expect(h.machine.creditsCommitted == 11)
  }

  @Test func submittedRequestsFromAnEarlierRunAreReserved() {
    var h = Self.harness(requests: 2, maxCredits: 2)
    var ledger = SubmissionLedger(types: [.email])
    ledger.ids["email"] = "id-1"
    let submitted = PendingRequest(
      id: 99, request: EnrichRequest(firstname: "S", enrichmentType: [.email]), attempts: 1,
      ledger: ledger)
    h.machine.resumeSubmitted([submitted], at: 0)
    #expect(h.machine.creditsCommitted == 1)
    h.run()
    #expect(h.markedInStore == [1], "the submitted request's worst case is counted")
  }
}
