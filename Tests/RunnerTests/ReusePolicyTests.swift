import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Runner

@Suite struct ReusePolicyTests {
  static let now = Date(timeIntervalSince1970: 1_800_000_000)
  static func daysAgo(_ d: Double) -> Date { now.addingTimeInterval(-d * 86_400) }

  @Test func foundAnswersLastMaxAgeNotFoundOnesLessLong() {
    let p = ReusePolicy()
    #expect(p.reuses(found: true, boughtAt: Self.daysAgo(89), now: Self.now))
    #expect(!p.reuses(found: true, boughtAt: Self.daysAgo(91), now: Self.now))
    #expect(p.reuses(found: false, boughtAt: Self.daysAgo(29), now: Self.now))
    #expect(!p.reuses(found: false, boughtAt: Self.daysAgo(31), now: Self.now))
  }

  @Test func zeroAndRefreshBuyEverythingAgain() {
    #expect(!ReusePolicy(maxAge: 0).reuses(found: true, boughtAt: Self.now, now: Self.now))
    #expect(!ReusePolicy(refresh: true).reuses(found: true, boughtAt: Self.now, now: Self.now))
    let recheck = ReusePolicy(recheckNotFoundAfter: 0)
    #expect(recheck.reuses(found: true, boughtAt: Self.daysAgo(1), now: Self.now))
    #expect(!recheck.reuses(found: false, boughtAt: Self.daysAgo(1), now: Self.now))
  }

  @Test func planTakesWhatIsFreshPerTypeAndCountries() {
    let id = ContactIdentity(key: "nm:a")
    let job = JobID("k7m2qx")!
    func answer(_ type: String, found: Bool, days: Double) -> StoredAnswer {
      StoredAnswer(
        identity: id, type: type, found: found, value: found ? "x" : nil, status: nil,
        message: nil, boughtAt: Self.daysAgo(days), job: job)
    }
    let stored = [
      "email": answer("email", found: true, days: 10),
      "phone": answer("phone", found: false, days: 40),
      "phone:FR": answer("phone:FR", found: true, days: 5),
    ]
    let p = ReusePolicy()
    let plain = p.plan(types: [.email, .phone], countries: nil, stored: stored, now: Self.now)
    #expect(plain.reused.keys.sorted() == [.email])
    #expect(plain.toBuy == [.phone])
    let french = p.plan(types: [.email, .phone], countries: ["FR"], stored: stored, now: Self.now)
    #expect(french.reused.keys.sorted() == [.email, .phone])
    #expect(french.toBuy.isEmpty)
  }

  @Test(arguments: [
    ("90d", 7_776_000.0), ("12h", 43_200.0), ("30m", 1_800.0), ("0", 0.0), ("0d", 0.0),
  ])
  func ages(_ text: String, _ seconds: Double) {
    #expect(ReusePolicy.seconds(text) == seconds)
  }

  @Test(arguments: ["", "d", "90", "-1d", "1w", "1.5d"])
  func badAges(_ text: String) {
    #expect(ReusePolicy.seconds(text) == nil)
  }
}
