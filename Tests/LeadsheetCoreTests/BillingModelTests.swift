import Foundation
import LeadsheetCore
import Testing

@Suite struct BillingModelTests {
  static let both: [EnrichmentType] = [.email, .phone]

  @Test func worstCaseIsTheTypesFullSumUnderPerRequestAndPerFound() {
    for kind in [BillingModel.Kind.perRequest, .perFound] {
      let model = BillingModel(kind)
      #expect(model.worstCase(types: Self.both) == 11)
      #expect(model.worstCase(types: [.email, .phone, .personalEmail]) == 14)
      #expect(model.worstCase(types: [.email]) == 1)
      #expect(model.worstCase(credits: 1_100, phoneRequests: 100) == 1_100)
      // --max-phone-numbers means nothing outside per-number.
      #expect(BillingModel(kind, phoneNumbersAtMost: 5).worstCase(types: Self.both) == 11)
    }
  }

  @Test func perNumberCountsAPhoneAtTheMostNumbersAssumed() {
    let model = BillingModel(.perNumber)
    #expect(model.phoneNumbersAtMost == 3)
    #expect(model.worstCase(types: Self.both) == 31, "email 1 + three numbers at 10")
    #expect(model.worstCase(types: [.email, .personalEmail]) == 4, "no phone: the plain sum")
    #expect(model.worstCase(types: [.phone]) == 30)
    #expect(model.worstCase(credits: 1_100, phoneRequests: 100) == 3_100)
    let one = BillingModel(.perNumber, phoneNumbersAtMost: 1)
    #expect(one.worstCase(types: Self.both) == 11)
    #expect(BillingModel(.perNumber, phoneNumbersAtMost: 0).phoneNumbersAtMost == 1)
  }

  @Test func perNumberLearnsFromAnAnswerWithMoreNumbers() {
    let model = BillingModel(.perNumber)
    #expect(model.learning(phoneNumbers: 2) == model, "fewer than assumed: unchanged")
    #expect(model.learning(phoneNumbers: 5).worstCase(types: [.phone]) == 50)
    #expect(BillingModel(.perFound).learning(phoneNumbers: 5) == BillingModel(.perFound))
  }

  @Test func perRequestChargesEveryAnsweredRequestInFull() {
    let model = BillingModel(.perRequest)
    #expect(model.cost(of: Self.both, answer: AnswerFindings()) == 11)
    #expect(model.cost(of: Self.both, answer: AnswerFindings(email: true, phoneNumbers: 3)) == 11)
  }

  @Test func perFoundChargesOnlyTheTypesFound() {
    let model = BillingModel(.perFound)
    #expect(model.cost(of: Self.both, answer: AnswerFindings()) == 0)
    #expect(model.cost(of: Self.both, answer: AnswerFindings(email: true)) == 1)
    #expect(model.cost(of: Self.both, answer: AnswerFindings(phoneNumbers: 3)) == 10)
    #expect(model.cost(of: Self.both, answer: AnswerFindings(email: true, phoneNumbers: 1)) == 11)
    // A type not asked for is free, even when the answer has it.
    #expect(model.cost(of: [.email], answer: AnswerFindings(email: true, phoneNumbers: 2)) == 1)
  }

  @Test func perNumberChargesThePhoneCostPerNumber() {
    let model = BillingModel(.perNumber)
    #expect(model.cost(of: Self.both, answer: AnswerFindings(phoneNumbers: 0)) == 0)
    #expect(model.cost(of: Self.both, answer: AnswerFindings(phoneNumbers: 1)) == 10)
    #expect(model.cost(of: Self.both, answer: AnswerFindings(email: true, phoneNumbers: 3)) == 31)
  }

  @Test func customCostsAreUsed() throws {
    let model = BillingModel(.perFound, costs: try CreditCosts.parse("email=2,phone=5"))
    #expect(model.worstCase(types: Self.both) == 7)
    #expect(model.cost(of: Self.both, answer: AnswerFindings(email: true)) == 2)
  }

  @Test func findingsFromAResponse() {
    let response = EnrichResponse(
      status: "success", email: "a@b.c", personalEmail: "", phones: [.init("+331"), .init("+332")])
    let findings = AnswerFindings(response)
    #expect(findings == AnswerFindings(email: true, personalEmail: false, phoneNumbers: 2))
    #expect(AnswerFindings(EnrichResponse(status: "error")) == AnswerFindings())
    #expect(BillingModel(.perNumber).cost(of: Self.both, answer: response) == 21)
  }

  @Test(arguments: [
    ("http_422", false), ("http_400", false), ("rate_limited", false), ("timeout", true),
    ("unexpected_answer", true), ("submitted", true), ("interrupted", true),
    // A 5xx (or a 408, a 3xx) after the retries may have been served; a request that
    // never connected cannot have been.
    ("http_5xx", true), ("http_other", true), ("connect_failed", false), ("http_4", true),
  ])
  func whichFailuresMayHaveBeenBilled(_ errorClass: String, _ billed: Bool) {
    #expect(BillingModel.mayHaveBeenBilled(errorClass: errorClass) == billed)
  }

  @Test func storedWithTheJobOutsideItsIdentity() throws {
    var options = JobOptions(types: [.email], billing: .perNumber, maxCredits: 1600)
    let data = try JSONEncoder().encode(options)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"billing\":\"per-number\""))
    #expect(text.contains("\"max_credits\":1600"))
    let back = try #require(JobOptions(json: text))
    #expect(back.billing == .perNumber)
    #expect(back.maxCredits == 1600)
    #expect(back.billingModel == BillingModel(.perNumber))
    var four = back
    four.maxPhoneNumbers = 4
    let fourText = String(decoding: try JSONEncoder().encode(four), as: UTF8.self)
    #expect(fourText.contains("\"max_phone_numbers\":4"))
    #expect(JobOptions(json: fourText)?.billingModel.worstCase(types: [.phone]) == 40)
    #expect(four.identity == back.identity, "outside the identity")
    options.billing = nil
    options.maxCredits = nil
    #expect(back.identity == options.identity)
    // Options stored before the keys existed: per-request, no budget.
    let old = try #require(JobOptions(json: #"{"types":["email"]}"#))
    #expect(old.billingModel.kind == .perRequest)
    #expect(old.maxCredits == nil)
  }
}

@Suite struct CreditTallyTests {
  @Test func spentFollowsTheModel() {
    var tally = CreditTally()
    tally.addAnswered(types: [.phone, .email], findings: AnswerFindings(email: true), count: 3)
    tally.addAnswered(types: [.email, .phone], findings: AnswerFindings(phoneNumbers: 2))
    tally.addAnswered(types: [.email, .phone], findings: AnswerFindings(), count: 2)
    tally.addPossiblyBilled(types: [.email, .phone])
    #expect(tally.answered.count == 3, "types are sorted into one key")
    #expect(tally.spent(under: BillingModel(.perRequest)) == 6 * 11 + 11)
    #expect(tally.spent(under: BillingModel(.perFound)) == 3 + 10 + 11)
    #expect(tally.spent(under: BillingModel(.perNumber)) == 3 + 20 + 31, "at three numbers")
  }

  @Test func estimateLeftUsesTheWorstCaseOrTheAverageSoFar() {
    var tally = CreditTally()
    tally.addLeft(types: [.email, .phone], count: 10)
    // Nothing answered yet: every model estimates the worst case.
    for kind in BillingModel.Kind.allCases {
      #expect(tally.estimateLeft(under: BillingModel(kind)) == 110)
    }
    // Half the emails found, a quarter of the phones (two numbers each).
    tally.addAnswered(types: [.email, .phone], findings: AnswerFindings(email: true), count: 1)
    tally.addAnswered(
      types: [.email, .phone], findings: AnswerFindings(email: true, phoneNumbers: 2), count: 1)
    tally.addAnswered(types: [.email, .phone], findings: AnswerFindings(), count: 2)
    #expect(tally.estimateLeft(under: BillingModel(.perRequest)) == 110)
    #expect(tally.estimateLeft(under: BillingModel(.perFound)) == 5 + 25)
    #expect(tally.estimateLeft(under: BillingModel(.perNumber)) == 5 + 50)
    #expect(tally.requestsLeft == 10)
  }

  @Test func aTallyTellsTheMostNumbersAPhoneAnswerHeld() {
    var tally = CreditTally()
    #expect(tally.mostPhoneNumbers == 0)
    tally.addAnswered(types: [.email, .phone], findings: .init(email: true, phoneNumbers: 2))
    tally.addAnswered(types: [.phone], findings: .init(phoneNumbers: 5))
    // An answer that did not ask for a phone does not count (its phones were free).
    tally.addAnswered(types: [.email], findings: .init(email: true, phoneNumbers: 9))
    #expect(tally.mostPhoneNumbers == 5)
    #expect(tally.learned(BillingModel(.perNumber)).phoneNumbersAtMost == 5)
    #expect(tally.learned(BillingModel(.perFound)).phoneNumbersAtMost == 3, "per-number only")
    #expect(BillingModel(.perNumber).perExtraNumber(types: [.email, .phone]) == 10)
    #expect(BillingModel(.perRequest).perExtraNumber(types: [.phone]) == 0)
    #expect(BillingModel(.perNumber).perExtraNumber(types: [.email]) == 0)
  }
}
