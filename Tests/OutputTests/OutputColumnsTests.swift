import Foundation
import LeadsheetCore
import Testing

@testable import Output

@Test func columnsInOrderWithoutPersonalEmail() {
  let c = OutputColumns(inputHeader: ["First", "Last", "Company"], requested: [.email, .phone])
  #expect(
    c.names == [
      "email", "email_status", "phones", "phone_status", "status", "message", "enrichment_id",
      "result_source", "bought_at",
    ])
  #expect(!c.isPrefixed)
}

@Test func personalEmailColumnsOnlyWhenRequested() {
  let c = OutputColumns(inputHeader: ["First"], requested: [.email, .personalEmail])
  #expect(
    c.names == [
      "email", "email_status", "personal_email", "personal_email_status", "phones",
      "phone_status", "status", "message", "enrichment_id",
      "result_source", "bought_at",
    ])
}

@Test func clashPrefixesTheWholeBlock() {
  // A HubSpot export already has `Email` (trimmed, case-insensitive match).
  let c = OutputColumns(inputHeader: ["First Name", " Email ", "Phone"], requested: [.email])
  #expect(c.isPrefixed)
  #expect(
    c.names == [
      "pronto_email", "pronto_email_status", "pronto_phones", "pronto_phone_status",
      "pronto_status", "pronto_message", "pronto_enrichment_id", "pronto_result_source",
      "pronto_bought_at",
    ])
}

@Test func stillClashingNamesGetANumber() {
  let header = ["status", "PRONTO_STATUS", "pronto_status_2", "Email"]
  let c = OutputColumns(inputHeader: header, requested: [.email], prefix: "pronto_")
  #expect(c.names[c.fields.firstIndex(of: .status)!] == "pronto_status_3")
  #expect(c.names[0] == "pronto_email")
  #expect(Set(c.names.map { $0.lowercased() }).count == c.names.count)
}

@Test func customPrefixAndEmptyPrefix() {
  let c = OutputColumns(inputHeader: ["message"], requested: [.email], prefix: "enriched ")
  #expect(c.names.first == "enriched email")
  #expect(c.names.contains("enriched message"))
  let d = OutputColumns(inputHeader: ["message"], requested: [.email], prefix: "")
  #expect(d.names.contains("message_2"))
  #expect(d.names.first == "email")
}

@Test func valuesFollowTheColumns() {
  let c = OutputColumns(
    inputHeader: ["First"], requested: [.email, .phone, .personalEmail], phoneSeparator: " | ")
  let r = RowResult(
    status: .found, email: "a@acme.com", emailStatus: "valid", personalEmail: "a@gmail.com",
    personalEmailStatus: "valid", phones: ["+33612345678", "+14155550100"], phoneStatus: "valid",
    message: nil, enrichmentID: "id-1", source: .reused,
    boughtAt: Date(timeIntervalSince1970: 1_764_720_000))
  #expect(
    c.values(for: r) == [
      "a@acme.com", "valid", "a@gmail.com", "valid", "+33612345678 | +14155550100", "valid",
      "found", "", "id-1", "reused", "2025-12-03T00:00:00Z",
    ])
  #expect(c.values(for: .pending) == ["", "", "", "", "", "", "pending", "", "", "", ""])
}

@Test(arguments: RowStatus.allCases) func everyStatusIsWrittenByItsName(status: RowStatus) {
  let c = OutputColumns(inputHeader: [], requested: [.email])
  #expect(
    c.values(for: RowResult(status: status))[c.fields.firstIndex(of: .status)!] == status.rawValue)
}
