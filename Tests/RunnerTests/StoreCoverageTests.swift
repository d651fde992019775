import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Runner

/// What `inspect` counts as already bought: rows wholly and partly covered, each
/// distinct contact's savings once, ages as the run would apply them.
@Suite struct StoreCoverageTests {
  let now = Date(timeIntervalSince1970: 2_000_000_000)

  private func request(_ n: Int, _ types: [EnrichmentType]) -> EnrichRequest {
    EnrichRequest(
      firstname: "First\(n)", lastname: "Last\(n)", companyName: "Acme", enrichmentType: types)
  }

  private func stored(
    _ n: Int, _ type: EnrichmentType, found: Bool = true, daysAgo: Double = 1
  ) -> [String: StoredAnswer] {
    let identity = ContactIdentity(request(n, [type]))!
    return [
      type.rawValue: StoredAnswer(
        identity: identity, type: type.rawValue, found: found, value: found ? "x" : nil,
        status: nil, message: nil, boughtAt: now.addingTimeInterval(-daysAgo * 86_400),
        job: JobID("abc234")!)
    ]
  }

  @Test func countsRowsContactsAndSavings() {
    var c = StoreCoverage(policy: ReusePolicy(), billing: BillingModel(.perRequest))
    // Contact 0: email stored, asked email only, on two rows (one contact).
    c.add(request(0, [.email]), stored: stored(0, .email), now: now)
    c.add(request(0, [.email]), stored: stored(0, .email), now: now)
    // Contact 1: email stored, asked email and phone: partly covered.
    c.add(request(1, [.email, .phone]), stored: stored(1, .email), now: now)
    // Contact 2: too old for --max-age 90d; contact 3: a not-found past 30 days.
    c.add(request(2, [.email]), stored: stored(2, .email, daysAgo: 100), now: now)
    c.add(request(3, [.email]), stored: stored(3, .email, found: false, daysAgo: 40), now: now)
    #expect(c.rowsCovered == 2)
    #expect(c.rowsPartlyCovered == 1)
    #expect(c.contacts == 2)
    #expect(c.reusedByType == ["email": 2])
    #expect(c.creditsSaved == 2)
    #expect(
      c.line?.hasPrefix("reuse: the contact store already answers 2 rows (and 1 in part)") == true)
  }

  @Test func savingsFollowTheModelOnTheStoredAnswers() {
    // Contact 0: a phone with two numbers; contact 1: an email not found (recent).
    var phone = stored(0, .phone)
    phone["phone"]?.value = #"["+33 1 23 45 67 89","+33 6 12 34 56 78"]"#
    let notFound = stored(1, .email, found: false)
    var byModel: [BillingModel.Kind: Int] = [:]
    for kind in BillingModel.Kind.allCases {
      var c = StoreCoverage(policy: ReusePolicy(), billing: BillingModel(kind))
      c.add(request(0, [.phone]), stored: phone, now: now)
      c.add(request(1, [.email]), stored: notFound, now: now)
      #expect(c.rowsCovered == 2)
      byModel[kind] = c.creditsSaved
    }
    // per-request: 10 + 1; per-found: the phone only; per-number: 10 × 2 numbers.
    #expect(byModel == [.perRequest: 11, .perFound: 10, .perNumber: 20])
  }

  @Test func refreshCountsNothing() {
    var c = StoreCoverage(policy: ReusePolicy(refresh: true), billing: BillingModel(.perRequest))
    c.add(request(0, [.email]), stored: stored(0, .email), now: now)
    #expect(c.rowsCovered == 0 && c.creditsSaved == 0 && c.line == nil)
  }
}
