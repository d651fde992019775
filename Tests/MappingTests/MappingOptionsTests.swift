import LeadsheetCore
import Testing

@testable import Mapping

@Test func parseMapField() throws {
  #expect(try MappingOptions.parseMap("firstname=Prénom") == .field(.firstname, header: "Prénom"))
  #expect(
    try MappingOptions.parseMap(" company = Account Name ")
      == .field(.companyName, header: "Account Name"))
  #expect(try MappingOptions.parseMap("domain=") == .field(.domain, header: ""))
  #expect(try MappingOptions.parseMap("website=a=b") == .field(.website, header: "a=b"))
}

@Test func parseMapCustom() throws {
  #expect(
    try MappingOptions.parseMap("custom.hubspot_id=Record ID")
      == .custom(CustomField(key: "hubspot_id", header: "Record ID")))
}

@Test(arguments: ["firstname", "=Prénom", "custom.=X", "custom.id=", "fax=Fax"])
func parseMapErrors(_ text: String) {
  #expect {
    try MappingOptions.parseMap(text)
  } throws: { error in
    (error as? LeadsheetError)?.code == .usage && (error as? LeadsheetError)?.hint != nil
  }
}

@Test func applyRefusesTwiceTheSameField() throws {
  var options = MappingOptions()
  try options.apply(.field(.firstname, header: "A"))
  #expect(throws: LeadsheetError.self) { try options.apply(.field(.firstname, header: "B")) }
  try options.apply(.custom(.init(key: "id", header: "A")))
  #expect(throws: LeadsheetError.self) { try options.apply(.custom(.init(key: "id", header: "B"))) }
}

@Test func initFromCLIStrings() throws {
  let options = try MappingOptions(
    types: [.phone, .email, .phone], maps: ["firstname=Prénom", "custom.crm=ID"],
    phoneCountries: "fr, be", creditCosts: "phone=5")
  #expect(options.types == [.email, .phone])
  #expect(options.overrides == [.firstname: "Prénom"])
  #expect(options.custom == [CustomField(key: "crm", header: "ID")])
  #expect(options.phoneCountryCodes == ["FR", "BE"])
  #expect(options.creditCosts[.phone] == 5)
  #expect(options.creditCosts[.email] == 1)
}

@Test func defaults() {
  let options = MappingOptions()
  #expect(options.types == [.email])
  #expect(options.creditCosts == .default)
  #expect(options.phoneCountryCodes == nil)
}

@Test func phoneCountryCodes() throws {
  #expect(try MappingOptions.parsePhoneCountryCodes("us,FR,us") == ["US", "FR"])
  #expect(throws: LeadsheetError.self) { try MappingOptions.parsePhoneCountryCodes("FRA") }
  #expect(throws: LeadsheetError.self) { try MappingOptions.parsePhoneCountryCodes(",") }
}
