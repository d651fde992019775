import LeadsheetCore
import Testing

@Suite struct ContactIdentityTests {
  @Test func aLinkedInProfileNamesThePersonWhateverTheCase() throws {
    let a = EnrichRequest(
      firstname: "John", lastname: "Smith",
      linkedinURL: "https://www.linkedin.com/in/JSmith", enrichmentType: [.email])
    let b = EnrichRequest(
      firstname: "Johnny", companyName: "Other",
      linkedinURL: "https://www.linkedin.com/in/jsmith", enrichmentType: [.phone])
    #expect(ContactIdentity(a) == ContactIdentity(b))
    #expect(ContactIdentity(a)?.key == "li:https://www.linkedin.com/in/jsmith")
  }

  @Test func namesFoldCaseAndWhiteSpaceNotAccents() {
    let a = EnrichRequest(
      firstname: "  JOHN ", lastname: "Smith  Jr", domain: "acme.com", enrichmentType: [.email])
    let b = EnrichRequest(
      firstname: "john", lastname: "smith jr", companyName: "Acme", domain: "ACME.com",
      enrichmentType: [.email])
    #expect(ContactIdentity(a) == ContactIdentity(b))
    let accented = EnrichRequest(
      firstname: "José", lastname: "Smith Jr", domain: "acme.com", enrichmentType: [.email])
    let plain = EnrichRequest(
      firstname: "Jose", lastname: "Smith Jr", domain: "acme.com", enrichmentType: [.email])
    #expect(ContactIdentity(accented) != ContactIdentity(plain))
    // Without a domain the company places the person.
    let byCompany = EnrichRequest(
      firstname: "Ann", lastname: "Lee", companyName: "ACME  Corp", enrichmentType: [.email])
    #expect(ContactIdentity(byCompany)?.key == "nm:ann\u{1F}lee\u{1F}acme corp")
    // International names fold too.
    let cyrillic = EnrichRequest(firstname: "ИВАН", lastname: "Петров", enrichmentType: [.email])
    #expect(ContactIdentity(cyrillic)?.key == "nm:иван\u{1F}петров\u{1F}")
  }

  @Test func aRequestWithoutANameOrProfileHasNoIdentity() {
    #expect(ContactIdentity(EnrichRequest(companyName: "Acme", enrichmentType: [.email])) == nil)
  }
}
