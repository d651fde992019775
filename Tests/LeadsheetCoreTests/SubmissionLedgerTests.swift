import Foundation
import LeadsheetCore
import Testing

/// The ledger of ids and answers stored with a request while it is not done.
@Suite struct SubmissionLedgerTests {
  @Test func aPlainIdCoversTheWholeRequestAsOlderVersionsStoredIt() {
    let ledger = SubmissionLedger(types: [.phone, .email], ids: "e-1", results: nil)
    #expect(ledger.ids == ["email,phone": "e-1"])
    #expect(ledger.unbought.isEmpty && ledger.awaitingParts == ["email,phone"])
    #expect(ledger.idsText == "e-1", "written back the same way")
  }

  @Test func partsRoundTripThroughTheirStoredText() {
    var ledger = SubmissionLedger(types: [.email, .phone, .personalEmail])
    ledger.ids["email"] = "e-1"
    ledger.results["phone"] = EnrichResponse(status: "finished", phones: [.init("+331")])
    let back = SubmissionLedger(
      types: [.email, .phone, .personalEmail], ids: ledger.idsText, results: ledger.resultsText)
    #expect(back == ledger)
    #expect(ledger.idsText == #"{"email":"e-1"}"#)
    #expect(back.unbought == [.personalEmail])
    #expect(back.awaitingParts == ["email"])
  }

  @Test func emptyOrDamagedTextIsAnEmptyLedger() {
    #expect(SubmissionLedger(types: [.email], ids: nil, results: nil).isEmpty)
    #expect(SubmissionLedger(types: [.email], ids: "", results: "not json").isEmpty)
    #expect(SubmissionLedger(types: [.email]).idsText == nil)
  }

  @Test func mergedTakesEachTypeFromThePartThatAskedForIt() {
    var ledger = SubmissionLedger(types: [.email, .phone])
    ledger.ids = ["email": "e", "phone": "p"]
    ledger.results["email"] = EnrichResponse(
      status: "finished", email: "ada@engine.io", emailStatus: "deliverable",
      phones: [.init("+999")], message: "ok")
    ledger.results["phone"] = EnrichResponse(status: "finished", phones: [], message: "ok")
    let merged = ledger.merged
    #expect(merged.email == "ada@engine.io" && merged.emailStatus == "deliverable")
    #expect(merged.phones == [], "phones come from the phone part only")
    #expect(merged.status == "success" && merged.isFound)
    #expect(merged.message == "ok")
    #expect(merged.enrichmentID == #"{"email":"e","phone":"p"}"#)
  }

  @Test func nothingFoundInAnyPartIsNotFound() {
    var ledger = SubmissionLedger(types: [.email, .phone])
    ledger.results["email"] = EnrichResponse(status: "finished")
    ledger.results["phone"] = EnrichResponse(status: "finished", phones: [])
    #expect(!ledger.merged.isFound)
    #expect(ledger.merged.status == "finished")
  }
}
