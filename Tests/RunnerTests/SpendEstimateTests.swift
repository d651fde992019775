import Testing

@testable import Runner

@Suite struct SpendEstimateTests {
  static let list = SpendEstimate(
    requests: 11_820, requestsByType: ["email": 11_820], worstCase: 11_820, maxPerRequest: 1,
    billing: .perRequest)

  @Test func asksOverTheThresholdOnly() {
    let e = Self.list
    #expect(e.upTo == 11_820)
    #expect(e.needsConfirmation(over: 100))
    #expect(!e.needsConfirmation(over: 11_820))
    #expect(e.question == "spend up to 11,820 credits? [y/N] ")
    #expect(e.days == 5)
    #expect(e.dailyCreditsSource == "pronto")
  }

  @Test func theBudgetAndTheLimitCutWhatTheRunMaySpend() {
    var e = Self.list
    e.maxCredits = 1_000
    e.spent = 400
    #expect(e.upTo == 600)
    #expect(e.days == 1)
    e.limit = 50
    #expect(e.upTo == 50)
    #expect(!e.needsConfirmation(over: 100))
    #expect(e.line.contains("up to 50 this run (--limit 50; --max-credits 1,000, 400 spent)"))
    e.maxCredits = 300
    #expect(e.upTo == 0)
  }

  @Test func theDailyCapComesFromTheOptionElseTheAPIElsePronto() {
    let option = SpendEstimate(
      requests: 10, worstCase: 1_000, maxPerRequest: 100, billing: .perNumber,
      dailyCredits: 300, apiDailyLimit: 50)
    #expect(option.dailyCredits == 300 && option.dailyCreditsSource == "daily_credits")
    #expect(option.days == 4)
    let api = SpendEstimate(
      requests: 10, worstCase: 1_000, maxPerRequest: 100, billing: .perNumber, apiDailyLimit: 50)
    #expect(api.dailyCredits == 50 && api.dailyCreditsSource == "api")
    #expect(api.days == 20)
    #expect(api.line.contains("20 days at 50 credits a day (the account's daily limit)"))
  }

  @Test func theBalanceIsSaidAndWhenItIsShort() {
    var e = Self.list
    e.balance = 5_000
    #expect(e.line.contains("account balance 5,000 credits (not enough for all of it)"))
    e.balance = 20_000
    #expect(e.line.contains("account balance 20,000 credits;"))
  }

  @Test(arguments: [
    ("y", true), ("Y", true), (" yes ", true), ("YES\n", true), ("", false), ("n", false),
    ("no", false), ("yess", false),
  ])
  func whatCountsAsYes(_ answer: String, _ yes: Bool) {
    #expect(SpendEstimate.isYes(answer) == yes)
  }

  @Test func noAnswerIsNo() { #expect(!SpendEstimate.isYes(nil)) }
}
