import Foundation
import LeadsheetCore
import Testing

@testable import Mapping

private func send(_ first: String, _ types: [EnrichmentType], dropped: [EnrichmentType] = [])
  -> RowPlan
{
  .send(
    EnrichRequest(firstname: first, lastname: "D", enrichmentType: types), dropped: dropped,
    ignored: [])
}

@Test func countsRowsReasonsPartialsAndDuplicates() {
  var summary = MappingSummary()
  let first = summary.add(send("A", [.email]))
  let second = summary.add(send("A", [.email]))
  #expect(first == false)
  #expect(second == true)
  summary.add(send("B", [.email], dropped: [.phone]))
  summary.add(.invalid(.missingFirstName, ignored: [.linkedinCompanyPage]))
  summary.add(.invalid(.missingFirstName, ignored: []))
  summary.add(.invalid(.missingLinkedInURL, ignored: []))
  #expect(summary.rows == 6)
  #expect(summary.valid == 3)
  #expect(summary.invalid == 3)
  #expect(summary.invalidByReason == ["missing_first_name": 2, "missing_linkedin_url": 1])
  #expect(summary.partial == 1)
  #expect(summary.droppedByType == ["phone": 1])
  #expect(summary.ignoredValues == ["linkedin_company_page": 1])
  #expect(summary.duplicates == 1)
  #expect(summary.requests == 2)
}

@Test func customDoesNotMakeADifferentContact() {
  var summary = MappingSummary()
  let a = EnrichRequest(
    firstname: "A", lastname: "B", enrichmentType: [.email], custom: ["id": "1"])
  var b = a
  b.custom = ["id": "2"]
  summary.add(.send(a, dropped: [], ignored: []))
  let again = summary.add(.send(b, dropped: [], ignored: []))
  #expect(again)
  var c = a
  c.enrichmentType = [.email, .phone]
  let other = summary.add(.send(c, dropped: [], ignored: []))
  #expect(other == false)
}

@Test func creditsAreAnUpperBoundOverDistinctRequests() {
  var summary = MappingSummary()
  summary.add(send("A", [.email]))
  summary.add(send("A", [.email]))
  summary.add(send("B", [.email, .phone]))
  summary.add(send("C", [.email, .phone, .personalEmail]))
  #expect(summary.credits == 1 + 11 + 14)
  #expect(summary.requestsByType == ["email": 3, "phone": 2, "personal_email": 1])
  var cheap = MappingSummary(creditCosts: CreditCosts(perType: [.email: 2]))
  cheap.add(send("A", [.email, .phone]))
  #expect(cheap.credits == 2)
}

@Test func minimumDurationAtFiftyPerSecond() {
  var summary = MappingSummary()
  for i in 0..<125 { summary.add(send("N\(i)", [.email])) }
  #expect(summary.minimumDurationSeconds == 2.5)
}

@Test func codableWithSnakeCaseKeys() throws {
  var summary = MappingSummary()
  summary.add(send("A", [.email]))
  let data = try JSONEncoder().encode(summary)
  let text = String(decoding: data, as: UTF8.self)
  #expect(text.contains("\"minimum_duration_seconds\":0.02"))
  #expect(text.contains("\"credit_costs\":{"))
  #expect(!text.contains("seen"))
  let back = try JSONDecoder().decode(MappingSummary.self, from: data)
  #expect(back.requests == 1)
  #expect(back.credits == 1)
}

@Test func manyDistinctContactsStayDistinct() {
  var summary = MappingSummary()
  for i in 0..<50_000 { summary.add(send("Name\(i)", [.email])) }
  #expect(summary.duplicates == 0)
  #expect(summary.requests == 50_000)
}
