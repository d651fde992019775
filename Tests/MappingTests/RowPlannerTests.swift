import LeadsheetCore
import Testing

@testable import Mapping

private func planner(_ header: [String], _ options: MappingOptions = MappingOptions()) throws
  -> RowPlanner
{
  RowPlanner(mapping: try ColumnMapping.resolve(header: header, options: options), options: options)
}

private func row(_ texts: String...) -> [Cell] { texts.map { Cell($0) } }

private let header = ["First Name", "Last Name", "Company", "Website", "Email", "LinkedIn URL"]

@Test func fullRowMakesAFullRequest() throws {
  let p = try planner(header, MappingOptions(types: [.email, .phone]))
  let plan = p.plan(
    row(
      " Jean ", "Dupont  Martin", " Acme   SAS ", "https://www.acme.fr/", "jd@gmail.com",
      "fr.linkedin.com/in/jean-dupont?trk=x"))
  #expect(
    plan
      == .send(
        EnrichRequest(
          firstname: "Jean", lastname: "Dupont Martin", companyName: "Acme SAS",
          domain: "acme.fr", linkedinURL: "https://www.linkedin.com/in/jean-dupont",
          enrichmentType: [.email, .phone]),
        dropped: [], ignored: []))
}

@Test(arguments: [
  ([EnrichmentType.email], "", "Dupont", InvalidReason.missingFirstName),
  ([.email], "Jean", " ", .missingLastName),
  ([.email], "", "", .missingName),
  ([.phone], "Jean", "Dupont", .missingLinkedInURL),
  ([.personalEmail], "Jean", "Dupont", .missingLinkedInURL),
  ([.phone, .personalEmail], "Jean", "Dupont", .missingLinkedInURL),
])
func invalidRows(
  _ types: [EnrichmentType], _ first: String, _ last: String, _ reason: InvalidReason
)
  throws
{
  let p = try planner(header, MappingOptions(types: types))
  #expect(p.plan(row(first, last, "Acme", "", "", "")).invalidReason == reason)
}

@Test(arguments: [
  ([EnrichmentType.email], [EnrichmentType.email]),
  ([.phone], [.phone]),
  ([.personalEmail], [.personalEmail]),
  ([.email, .phone, .personalEmail], [.email, .phone, .personalEmail]),
])
func everyTypeWithALinkedInURL(_ types: [EnrichmentType], _ sent: [EnrichmentType]) throws {
  let p = try planner(header, MappingOptions(types: types))
  let plan = p.plan(row("Jean", "Dupont", "", "", "", "linkedin.com/in/jd"))
  #expect(plan.request?.enrichmentType == sent)
  #expect(plan.dropped.isEmpty)
}

@Test func partialTypesWithoutLinkedInURL() throws {
  let p = try planner(header, MappingOptions(types: [.email, .phone, .personalEmail]))
  let plan = p.plan(row("Jean", "Dupont", "Acme", "", "", ""))
  #expect(plan.request?.enrichmentType == [.email])
  #expect(plan.dropped == [.phone, .personalEmail])
}

@Test func companyPageCountsAsNoLinkedInURL() throws {
  let p = try planner(header, MappingOptions(types: [.email, .phone]))
  let plan = p.plan(row("Jean", "Dupont", "", "", "", "https://www.linkedin.com/company/acme"))
  #expect(plan.request?.linkedinURL == nil)
  #expect(plan.dropped == [.phone])
  #expect(plan.ignored == [.linkedinCompanyPage])
  let only = try planner(header, MappingOptions(types: [.phone]))
  #expect(
    only.plan(row("Jean", "Dupont", "", "", "", "linkedin.com/school/x"))
      == .invalid(.missingLinkedInURL, ignored: [.linkedinCompanyPage]))
}

@Test func domainFallsBackPerRow() throws {
  let p = try planner(["First Name", "Last Name", "Domain", "Website", "Email"])
  #expect(
    p.plan(row("J", "D", "acme.com", "other.com", "j@third.com")).request?.domain == "acme.com")
  #expect(
    p.plan(row("J", "D", "", "https://other.com/x", "j@third.com")).request?.domain == "other.com")
  #expect(p.plan(row("J", "D", "", "", "j@third.com")).request?.domain == "third.com")
  let free = p.plan(row("J", "D", "", "", "j@gmail.com"))
  #expect(free.request?.domain == nil)
  #expect(free.ignored == [.emailFreeMail])
  let bad = p.plan(row("J", "D", "n/a", "linkedin.com/company/acme", "j@acme.io"))
  #expect(bad.request?.domain == "acme.io")
  #expect(bad.ignored == [.domainInvalid, .websiteInvalid])
}

@Test func domainTurnedOffIsNeverDerived() throws {
  let options = MappingOptions(overrides: [.domain: ""])
  let p = try planner(["First Name", "Last Name", "Website", "Email"], options)
  #expect(p.plan(row("J", "D", "acme.com", "j@acme.com")).request?.domain == nil)
}

@Test func fullNameSplitWhenNoNameColumns() throws {
  let p = try planner(["Name", "Company"])
  let plan = p.plan(row("Dr. Jean-Pierre Dupont", "Acme"))
  #expect(plan.request?.firstname == "Jean-Pierre")
  #expect(plan.request?.lastname == "Dupont")
  let single = p.plan(row("Madonna", "Acme"))
  #expect(single == .invalid(.missingName, ignored: [.fullNameUnsplittable]))
}

@Test func fullNameFillsABlankNameCell() throws {
  let p = try planner(["First Name", "Last Name", "Full Name"])
  #expect(p.plan(row("", "", "Dupont, Jean")).request?.firstname == "Jean")
  let fromPrefix = p.plan(row("Jean Paul", "", "Jean Paul Dupont Martin"))
  #expect(fromPrefix.request?.lastname == "Dupont Martin")
  #expect(p.plan(row("Jean", "Durand", "Other Name")).request?.lastname == "Durand")
}

@Test func germanVornameAndNameColumns() throws {
  let p = try planner(["Vorname", "Name", "Firma"])
  let plan = p.plan(row("Hans", "Müller", "ACME GmbH"))
  #expect(plan.request?.firstname == "Hans")
  #expect(plan.request?.lastname == "Müller")
  #expect(plan.request?.companyName == "ACME GmbH")
}

@Test func customFieldsAndPhoneCountries() throws {
  let options = MappingOptions(
    types: [.email, .phone],
    custom: [.init(key: "crm_id", header: "ID"), .init(key: "seg", header: "Seg")],
    phoneCountryCodes: ["FR"])
  let p = try planner(["ID", "First Name", "Last Name", "LinkedIn", "Seg"], options)
  let plan = p.plan(row(" 42 ", "J", "D", "linkedin.com/in/jd", ""))
  #expect(plan.request?.custom == ["crm_id": "42"])
  #expect(plan.request?.phoneCountryCodes == ["FR"])
  let noPhone = p.plan(row("", "J", "D", "", ""))
  #expect(noPhone.request?.enrichmentType == [.email])
  #expect(noPhone.request?.phoneCountryCodes == nil)
  #expect(noPhone.request?.custom == nil)
}

@Test func spreadsheetErrorsCountAsBlank() throws {
  let p = try planner(["First Name", "Last Name", "Company"])
  let cells = [Cell("Jean"), Cell("Dupont"), Cell("#N/A", kind: .error)]
  #expect(p.plan(cells).request?.companyName == nil)
}
