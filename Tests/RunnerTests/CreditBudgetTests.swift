import Testing

@testable import Runner

@Suite struct CreditBudgetTests {
  @Test func allowsUpToTheLimitCountingSpentAndCommitted() {
    var budget = CreditBudget(limit: 100, spent: 90)
    #expect(budget.allows(10))
    #expect(!budget.allows(11))
    budget.reserve(1, worst: 6)
    #expect(budget.committed == 6)
    #expect(budget.allows(4))
    #expect(!budget.allows(5))
    #expect(budget.fitting([1, 1, 1, 1, 1]) == 4)
    #expect(budget.fitting([5, 1]) == 0, "stops at the first that does not fit")
  }

  @Test func settleReplacesTheReservationWithTheActualCost() {
    var budget = CreditBudget(limit: 20, spent: 0)
    budget.reserve(1, worst: 11)
    budget.reserve(2, worst: 11)
    #expect(budget.committed == 22)
    budget.reserve(1, worst: 11)
    #expect(budget.committed == 22, "a second reservation of one id is ignored")
    budget.settle(1, actual: 1)
    #expect((budget.spent, budget.committed) == (1, 11))
    budget.release(2)
    #expect((budget.spent, budget.committed) == (1, 0))
    #expect(!budget.isReserved(2))
    budget.settle(3, actual: 2)
    #expect(budget.spent == 3, "an answer without a reservation still counts")
  }

  @Test func noLimitOnlyCounts() {
    var budget = CreditBudget(limit: nil, spent: 5)
    budget.reserve(1, worst: 1_000_000)
    #expect(budget.allows(.max / 2))
    #expect(budget.fitting([1, 2, 3]) == 3)
  }

  @Test(arguments: [
    (0, 0), (95, 95), (99, 99), (100, 100), (108, 110), (1530, 1600), (1600, 1600),
    (12_001, 13_000),
  ])
  func suggestionRoundsUpToTwoSignificantFigures(_ n: Int, _ rounded: Int) {
    #expect(CreditBudget.roundedUp(n) == rounded)
  }

  @Test func pauseMessage() {
    let pause = BudgetPause(
      spent: 1000, limit: 1000, nextWorstCase: 1, rowsLeft: 412, estimateLeft: 530)
    #expect(
      pause.message(job: "k7m2qx")
        == "budget reached: 1,000 of 1,000 credits spent (412 rows left, about 530 more credits);"
        + " continue with: leadsheet resume k7m2qx --max-credits 1600")
    // Nothing found so far under per-found: the next request's worst case at least.
    let none = BudgetPause(spent: 40, limit: 40, nextWorstCase: 11, estimateLeft: 0)
    #expect(none.suggestedLimit == 51)
    // Past the budget (an answer held more numbers than reserved): said, with how much.
    let past = BudgetPause(spent: 1_012, limit: 1_000, nextWorstCase: 30, estimateLeft: 100)
    #expect(
      past.reason
        == "budget reached: 1,012 of 1,000 credits spent (0 rows left, about 100 more credits;"
        + " 12 past the budget)")
  }

  @Test func raisingHoldsMoreForEveryPhoneStillHeld() {
    var held = Reservations()
    held.reserve(1, worst: 31, perNumber: 10)  // email + phone at 3 numbers
    held.reserve(2, worst: 1)  // email alone
    held.reserve(1, worst: 5)  // a second reservation keeps the first
    #expect(held.total == 32)
    held.raise(extraNumbers: 2)
    #expect(held.total == 52)
    #expect(held.remove(1) == 51)
    held.raise(extraNumbers: 0)
    #expect(held.total == 1 && !held.contains(1) && held.contains(2))

    // The budget and the daily cap carry it out alike.
    var budget = CreditBudget(limit: 100, spent: 40)
    budget.reserve(7, worst: 30, perNumber: 10)
    #expect(budget.allows(30))
    budget.raise(extraNumbers: 1)
    #expect(budget.committed == 40 && !budget.allows(30))
    var cap = DailyCap(limit: 100, spentToday: 40, at: 0)
    cap.reserve(7, worst: 30, perNumber: 10)
    cap.raise(extraNumbers: 1)
    #expect(cap.committed == 40 && cap.fitting([20, 1]) == 1)
  }
}
