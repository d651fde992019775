import Foundation
import LeadsheetCore
import Testing

/// The contract's example bodies (pronto-single-enrich.txt) decode and encode back verbatim.
@Suite struct ContractExamplesTests {
  static let request = #"""
    {"firstname": "Mathieu", "lastname": "Brun-Picard", "domain": "prontohq.com",
     "company_name": "Pronto", "linkedin_url": "https://www.linkedin.com/in/mathieu-brun-picard/",
     "enrichment_type": ["email", "phone", "personal_email"], "custom": {"hubspot_id": "4447901"}}
    """#
  static let customRequest = #"""
    {"firstname": "Mathieu", "lastname": "Brun-Picard",
     "linkedin_url": "https://www.linkedin.com/in/mathieu-brun-picard/",
     "enrichment_type": ["email"],
     "custom": {"crm_id": "12345", "campaign": "outbound_q1", "segment": "enterprise"}}
    """#
  static let head = #"""
    "enrichment_id": "123e4567-e89b-12d3-a456-426614174000", "first_name": "Mathieu",
    "last_name": "Brun-Picard",
    "linkedin_profile_url": "https://www.linkedin.com/in/mathieu-brun-picard/",
    """#
  static let responses = [
    // The first example, next to the curl command.
    #"""
    {\#(head) "status": "success", "email": "mathieu@prontohq.com", "email_status": "valid",
     "phones": ["+33612345678"], "phone_status": "valid", "custom": {"hubspot_id": "4447901"}}
    """#,
    // Email only.
    #"""
    {\#(head) "status": "success", "email": "mathieu@prontohq.com", "email_status": "valid"}
    """#,
    // Phone only.
    #"""
    {\#(head) "status": "success", "phones": ["+33612345678"], "phone_status": "valid"}
    """#,
    // Email and phone.
    #"""
    {\#(head) "status": "success", "email": "mathieu@prontohq.com", "email_status": "valid",
     "phones": ["+33612345678"], "phone_status": "valid"}
    """#,
    // Personal email only.
    #"""
    {\#(head) "status": "success", "personal_email": "mathieu.bp@gmail.com",
     "personal_email_status": "valid"}
    """#,
  ]
  static let errorResponse = #"""
    {\#(head) "status": "error", "message": "No email or phone found for this profile",
     "email": null, "email_status": "N/A", "phones": [], "phone_status": "not_found"}
    """#

  /// Parses JSON text into a comparable value.
  static func value(_ data: Data) throws -> NSObject {
    try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as! NSObject
  }

  static func roundTrip<T: Codable>(_ type: T.Type, _ text: String) throws -> (T, Data) {
    let decoded = try JSONDecoder().decode(T.self, from: Data(text.utf8))
    return (decoded, try JSONEncoder().encode(decoded))
  }

  @Test func requestsRoundTrip() throws {
    for text in [Self.request, Self.customRequest] {
      let (_, encoded) = try Self.roundTrip(EnrichRequest.self, text)
      #expect(try Self.value(encoded) == Self.value(Data(text.utf8)))
    }
  }

  @Test(arguments: 0..<5) func successResponsesRoundTrip(index: Int) throws {
    let text = Self.responses[index]
    let (decoded, encoded) = try Self.roundTrip(EnrichResponse.self, text)
    #expect(decoded.isSuccess)
    #expect(try Self.value(encoded) == Self.value(Data(text.utf8)))
  }

  @Test func errorResponseRoundTripsWithNullAndEmptyPhones() throws {
    let (decoded, encoded) = try Self.roundTrip(EnrichResponse.self, Self.errorResponse)
    #expect(decoded.status == "error")
    #expect(decoded.email == nil)
    #expect(decoded.phones == [])
    #expect(decoded.message == "No email or phone found for this profile")
    #expect(try Self.value(encoded) == Self.value(Data(Self.errorResponse.utf8)))
  }

  @Test func phonesAsObjectsAreAccepted() throws {
    let text = #"""
      {"status": "success",
       "phones": [{"number": "+33612345678", "type": "mobile"}, "+14155550100"]}
      """#
    let r = try JSONDecoder().decode(EnrichResponse.self, from: Data(text.utf8))
    #expect(r.phones?.map(\.number) == ["+33612345678", "+14155550100"])
    #expect(r.phones?.first?.type == "mobile")
  }

  /// The async result names the list `phone`; `sync_single_enrich`'s example uses objects.
  @Test(arguments: [
    #"{"status": "finished", "phone": ["+33612345678"]}"#,
    #"{"status": "finished", "phone": [{"number": "+33612345678", "type": "mobile"}]}"#,
    #"{"status": "finished", "phones": [], "phone": ["+33612345678"]}"#,
    #"{"status": "success", "phones": [{"number": "+33612345678", "type": "mobile"}]}"#,
  ])
  func phonesFromEitherKeyAndShape(text: String) throws {
    let r = try JSONDecoder().decode(EnrichResponse.self, from: Data(text.utf8))
    #expect(r.phones?.map(\.number) == ["+33612345678"])
    #expect(r.isFound)
    if text.contains("mobile") { #expect(r.phones?.first?.type == "mobile") }
  }

  @Test func emailStatusIsKeptAsSentAndDataMakesFound() throws {
    for status in ["deliverable", "catch-all", "valid", "N/A", "invalid"] {
      let text = #"{"status": "finished", "email": "a@b.co", "email_status": "\#(status)"}"#
      let r = try JSONDecoder().decode(EnrichResponse.self, from: Data(text.utf8))
      #expect(r.emailStatus == status)
      #expect(r.isFound)
    }
    let none = #"{"status": "finished", "email": null, "email_status": "N/A", "phone": []}"#
    let r = try JSONDecoder().decode(EnrichResponse.self, from: Data(none.utf8))
    #expect(!r.isFound)
    #expect(r.phones == [])
  }

  @Test func unknownAndMistypedValuesDecode() throws {
    let text = #"""
      {"status": "pending", "email_status": "risky", "phone_status": 3, "email": null,
       "phones": [42, "+33612345678"], "custom": {"n": 12, "b": true, "z": null}, "extra": {"a": 1}}
      """#
    let r = try JSONDecoder().decode(EnrichResponse.self, from: Data(text.utf8))
    #expect(r.status == "pending")
    #expect(r.emailStatus == "risky")
    #expect(r.phoneStatus == "3")
    #expect(r.phones?.map(\.number) == ["+33612345678"])
    #expect(r.custom == ["n": "12", "b": "true"])
    let empty = try JSONDecoder().decode(EnrichResponse.self, from: Data("{}".utf8))
    #expect(empty.status == nil)
  }

  @Test func requestNeverSendsNull() throws {
    let data = try JSONEncoder().encode(EnrichRequest(firstname: "A", enrichmentType: [.email]))
    let text = String(decoding: data, as: UTF8.self)
    #expect(!text.contains("null"))
    #expect(
      try Self.value(data)
        == Self.value(Data(#"{"firstname":"A","enrichment_type":["email"]}"#.utf8)))
    let built = try JSONEncoder().encode(EnrichResponse(status: "error"))
    #expect(!String(decoding: built, as: UTF8.self).contains("null"))
  }
}
