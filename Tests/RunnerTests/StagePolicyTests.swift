import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Runner

private func email(found: Bool, status: String?) -> ReusedAnswers.Answer {
  ReusedAnswers.Answer(
    found: found, value: found ? "a@x.example" : nil, status: status, message: nil,
    boughtAt: 0, job: "abcdef")
}

@Suite struct StagePolicyTests {
  @Test func alwaysBuysEverythingAtOnce() {
    let plan = StagePolicy().plan(StageQuestion(toBuy: [.email, .phone], email: nil))
    #expect(plan == StagePlan(buy: [.email, .phone]))
    #expect(StagePolicy().decision == nil)
  }

  /// no-email: the phone waits for the email, then is bought only where it was not found.
  @Test func noEmailDefersThenDecides() {
    let policy = StagePolicy(phoneIf: .noEmail)
    #expect(
      policy.plan(StageQuestion(toBuy: [.email, .phone], email: nil))
        == StagePlan(buy: [.email], deferred: [.phone]))
    #expect(
      policy.plan(StageQuestion(toBuy: [.phone], email: email(found: false, status: "N/A")))
        == StagePlan(buy: [.phone]))
    let skip = policy.plan(
      StageQuestion(toBuy: [.phone], email: email(found: true, status: "valid")))
    #expect(skip.buy.isEmpty)
    #expect(skip.skipped[.phone] == "phone not bought: email found (valid), --phone-if no-email")
    // The email reused from the store decides at once: nothing is deferred.
    #expect(
      policy.plan(StageQuestion(toBuy: [.phone], email: email(found: true, status: "catch-all")))
        .buy.isEmpty)
  }

  /// email-risky: a found email that is not deliverable/valid still gets the phone.
  @Test(
    arguments: [
      ("deliverable", false), ("valid", false), ("VALID", false), ("catch-all", true),
      ("invalid", true), ("N/A", true), (nil, true),
    ] as [(String?, Bool)])
  func emailRisky(status: String?, buysPhone: Bool) {
    let policy = StagePolicy(phoneIf: .emailRisky)
    let plan = policy.plan(
      StageQuestion(toBuy: [.phone], email: email(found: true, status: status)))
    #expect(plan.buy == (buysPhone ? [.phone] : []))
    #expect(
      policy.plan(StageQuestion(toBuy: [.phone], email: email(found: false, status: "N/A"))).buy
        == [.phone])
  }

  /// Each staged type follows its own rule.
  @Test func personalEmailHasItsOwnRule() {
    let policy = StagePolicy(personalEmailIf: .noEmail)
    #expect(
      policy.plan(StageQuestion(toBuy: [.email, .personalEmail, .phone], email: nil))
        == StagePlan(buy: [.email, .phone], deferred: [.personalEmail]))
  }

  /// Without an email to come (the job does not buy one), the rule cannot wait: buy.
  @Test func noEmailComingBuys() {
    #expect(
      StagePolicy(phoneIf: .noEmail).plan(StageQuestion(toBuy: [.phone], email: nil))
        == StagePlan(buy: [.phone]))
  }

  /// --max-per: a place is taken when a staged type is bought; a full group skips it.
  @Test func maxPerTakesPlacesAndSkipsWhenFull() {
    let policy = StagePolicy(maxPer: .init(column: "company", limit: 2))
    let open = policy.plan(StageQuestion(toBuy: [.email, .phone], email: nil, quota: .used(1)))
    #expect(open == StagePlan(buy: [.email, .phone], takesQuota: true))
    let full = policy.plan(StageQuestion(toBuy: [.email, .phone], email: nil, quota: .used(2)))
    #expect(full.buy == [.email])
    #expect(full.skipped[.phone] == "phone not bought: --max-per company=2 reached")
    #expect(
      policy.plan(StageQuestion(toBuy: [.phone], email: nil, quota: .taken)).buy == [.phone])
    #expect(policy.plan(StageQuestion(toBuy: [.phone], email: nil, quota: .none)).buy == [.phone])
    // An email alone takes no place.
    #expect(
      policy.plan(StageQuestion(toBuy: [.email], email: nil, quota: .used(5)))
        == StagePlan(buy: [.email]))
    // With a rule, the place is decided at the second stage, not while the email is out.
    let both = StagePolicy(phoneIf: .noEmail, maxPer: .init(column: "company", limit: 1))
    #expect(
      both.plan(StageQuestion(toBuy: [.email, .phone], email: nil, quota: .used(1)))
        == StagePlan(buy: [.email], deferred: [.phone]))
    #expect(
      both.plan(
        StageQuestion(toBuy: [.phone], email: email(found: false, status: nil), quota: .used(1))
      ).buy.isEmpty)
  }

  /// Better-ranked rows of the group that are still undecided go first.
  @Test func maxPerWaitsForBetterRankedRows() {
    let policy = StagePolicy(maxPer: .init(column: "company", limit: 2))
    // One place left, one better row undecided: the email now, the phone later.
    #expect(
      policy.plan(
        StageQuestion(toBuy: [.email, .phone], email: nil, quota: .used(1), betterUndecided: 1))
        == StagePlan(buy: [.email], deferred: [.phone]))
    // A second stage with nothing else to buy waits whole.
    #expect(
      policy.plan(StageQuestion(toBuy: [.phone], email: nil, quota: .used(1), betterUndecided: 1))
        .waits)
    // Room for the better rows and this one: it takes a place at once.
    #expect(
      policy.plan(StageQuestion(toBuy: [.phone], email: nil, quota: .used(0), betterUndecided: 1))
        == StagePlan(buy: [.phone], takesQuota: true))
  }

  @Test func maxPerParses() {
    #expect(StagePolicy.MaxPer.parse("company_name=2") == .init(column: "company_name", limit: 2))
    #expect(StagePolicy.MaxPer.parse("a=b=3") == .init(column: "a=b", limit: 3))
    #expect(StagePolicy.MaxPer.parse(" Company = 1 ") == .init(column: "Company", limit: 1))
    for bad in ["company", "company=0", "=2", "company=x", "company=-1"] {
      #expect(StagePolicy.MaxPer.parse(bad) == nil, "\(bad)")
    }
  }

  @Test func stoodWithTheJob() {
    var options = JobOptions()
    options.phoneIf = "no-email"
    options.personalEmailIf = "email-risky"
    options.maxPer = "company=2"
    let decoded = JobOptions(
      json: String(decoding: try! JSONEncoder().encode(options), as: UTF8.self))
    #expect(decoded == options)
    #expect(
      StagePolicy(options: options)
        == StagePolicy(
          phoneIf: .noEmail, personalEmailIf: .emailRisky,
          maxPer: .init(column: "company", limit: 2)))
    #expect(options.identity == JobOptions())
  }

  /// Rules the job's types cannot follow are refused with the fix.
  @Test func checkRefusesRulesWithoutTheirTypes() throws {
    #expect(throws: LeadsheetError.self) {
      try StagePolicy(phoneIf: .noEmail).check(types: [.email])
    }
    #expect(throws: LeadsheetError.self) {
      try StagePolicy(phoneIf: .noEmail).check(types: [.phone])
    }
    #expect(throws: LeadsheetError.self) {
      try StagePolicy(maxPer: .init(column: "c", limit: 1)).check(types: [.email])
    }
    try StagePolicy(phoneIf: .noEmail, maxPer: .init(column: "c", limit: 1))
      .check(types: [.email, .phone])
  }
}
