import LeadsheetCore
import Testing

@testable import Mapping

@Test func parsesNamesAndAliases() throws {
  #expect(try RequestField.parse("firstname") == .firstname)
  #expect(try RequestField.parse("First-Name") == .firstname)
  #expect(try RequestField.parse("last_name") == .lastname)
  #expect(try RequestField.parse("name") == .fullName)
  #expect(try RequestField.parse("company") == .companyName)
  #expect(try RequestField.parse("email") == .workEmail)
  #expect(try RequestField.parse("linkedin") == .linkedinURL)
  #expect(try RequestField.parse("linkedin_url") == .linkedinURL)
  #expect(try RequestField.parse("website") == .website)
}

@Test func unknownFieldIsAUsageError() {
  #expect {
    try RequestField.parse("fax")
  } throws: { error in
    (error as? LeadsheetError)?.code == .usage
      && (error as? LeadsheetError)?.hint?.contains("custom.KEY") == true
  }
}
