import Foundation
import LeadsheetCore
import Testing

@testable import Mapping

/// `MappingSummary.merged` of a list cut into parts against one summary over
/// the whole list.

/// Plans with duplicates close together and far apart, mixed types, partial
/// rows, ignored values and invalid rows.
private func plans(_ count: Int, seed: UInt64) -> [RowPlan] {
  var g = SplitMix(state: seed)
  let typeSets: [[EnrichmentType]] = [
    [.email], [.email, .phone], [.phone, .personalEmail], [.email, .phone, .personalEmail],
    [.personalEmail],
  ]
  let ignoredPool: [IgnoredValue] = [.websiteInvalid, .emailFreeMail, .linkedinCompanyPage]
  var result: [RowPlan] = []
  for _ in 0..<count {
    if g.below(7) == 0 {
      result.append(
        .invalid(
          g.pick(InvalidReason.allCases), ignored: g.below(2) == 0 ? [] : [g.pick(ignoredPool)]))
      continue
    }
    // Few names and types: many contacts repeat, some with other types (other contacts).
    let types = g.pick(typeSets)
    let request = EnrichRequest(
      firstname: "N\(g.below(12))", lastname: "L", domain: g.below(2) == 0 ? "acme.fr" : nil,
      enrichmentType: types, phoneCountryCodes: types.contains(.phone) ? ["FR"] : nil,
      custom: ["row": "\(g.next())"])
    let dropped: [EnrichmentType] = g.below(4) == 0 ? [.phone] : []
    result.append(
      .send(request, dropped: dropped, ignored: g.below(3) == 0 ? [g.pick(ignoredPool)] : []))
  }
  return result
}

private func summary(_ plans: ArraySlice<RowPlan>, _ costs: CreditCosts) -> MappingSummary {
  var s = MappingSummary(creditCosts: costs)
  for plan in plans { s.add(plan) }
  return s
}

private func json(_ summary: MappingSummary) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  return String(decoding: try encoder.encode(summary), as: UTF8.self)
}

@Test func mergedOfTwoPartsEqualsOneSummaryAtEveryCut() throws {
  let costs = CreditCosts(perType: [.email: 1, .phone: 10, .personalEmail: 3])
  let all = plans(160, seed: 1)
  let whole = try json(summary(all[...], costs))
  for cut in 0...all.count {
    let parts = [summary(all[..<cut], costs), summary(all[cut...], costs)]
    #expect(try json(MappingSummary.merged(parts)) == whole, "cut at \(cut)")
  }
}

@Test func mergedOfThreePartsEqualsOneSummaryAtEveryPairOfCuts() throws {
  let costs = CreditCosts(perType: [.email: 2, .phone: 7, .personalEmail: 5])
  let all = plans(70, seed: 2)
  let reference = summary(all[...], costs)
  #expect(reference.duplicates > 10 && reference.requestsByType.count == 3)
  let whole = try json(reference)
  for a in 0...all.count {
    for b in a...all.count {
      let parts = [
        summary(all[..<a], costs), summary(all[a..<b], costs), summary(all[b...], costs),
      ]
      #expect(try json(MappingSummary.merged(parts)) == whole, "cuts at \(a), \(b)")
    }
  }
}

@Test func mergedOfNothingOrOnePart() throws {
  let one = summary(plans(50, seed: 3)[...], .default)
  #expect(try json(MappingSummary.merged([one])) == json(one))
  #expect(try json(MappingSummary.merged([])) == json(MappingSummary()))
}

@Test func aContactInEveryPartIsOneRequest() throws {
  let plan = RowPlan.send(
    EnrichRequest(firstname: "A", lastname: "B", enrichmentType: [.email, .phone]), dropped: [],
    ignored: [])
  let parts = (0..<4).map { _ in summary([plan, plan][...], .default) }
  let total = try MappingSummary.merged(parts)
  #expect(total.rows == 8 && total.requests == 1 && total.duplicates == 7)
  #expect(total.credits == 11 && total.requestsByType == ["email": 1, "phone": 1])
  #expect(total.minimumDurationSeconds == 0.02)
}
