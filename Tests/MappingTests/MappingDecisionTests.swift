import Foundation
import Testing

@testable import Mapping

@Test(arguments: [
  MappingDecision.override, .headerMatch(synonym: "First Name", strength: .exact),
  .headerMatch(synonym: "Email", strength: .partial), .domainFromWebsite, .domainFromEmail,
  .splitFromFullName,
])
func roundTrips(_ decision: MappingDecision) throws {
  let data = try JSONEncoder().encode(decision)
  #expect(try JSONDecoder().decode(MappingDecision.self, from: data) == decision)
}

@Test func descriptionsAndCodes() {
  #expect(
    MappingDecision.headerMatch(synonym: "First Name", strength: .exact).description
      == "header match \"First Name\"")
  #expect(MappingDecision.domainFromEmail.description == "derived: domain from email column")
  #expect(MappingDecision.splitFromFullName.description == "split from full-name column")
  #expect(MappingDecision.splitFromFullName.code == "split_from_full_name")
  #expect(MappingDecision.override.isDerived == false)
}
