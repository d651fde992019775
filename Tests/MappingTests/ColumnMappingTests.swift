import Foundation
import LeadsheetCore
import Testing

@testable import Mapping

/// The header each directly mapped field reads.
private func fields(_ header: [String], _ options: MappingOptions = MappingOptions()) throws
  -> [RequestField: String]
{
  let mapping = try ColumnMapping.resolve(header: header, options: options)
  var result: [RequestField: String] = [:]
  for field in RequestField.allCases {
    if let column = mapping.column(for: field) { result[field] = header[column] }
  }
  return result
}

@Suite struct ExportFamilies {
  @Test func salesNavigatorExport() throws {
    let header = [
      "First Name", "Last Name", "Full Name", "Title", "Company", "Company LinkedIn URL",
      "LinkedIn URL", "Sales Navigator URL", "Website", "Location",
    ]
    let m = try fields(header)
    #expect(m[.firstname] == "First Name")
    #expect(m[.lastname] == "Last Name")
    #expect(m[.fullName] == "Full Name")
    #expect(m[.companyName] == "Company")
    #expect(m[.linkedinURL] == "LinkedIn URL")
    #expect(m[.website] == "Website")
    #expect(m[.domain] == nil)
  }

  @Test func salesNavigatorProfileURLOnly() throws {
    let m = try fields(["Profile URL", "First Name", "Last Name", "Company Name"])
    #expect(m[.linkedinURL] == "Profile URL")
    #expect(m[.companyName] == "Company Name")
  }

  @Test func hubSpotContactsExport() throws {
    let header = [
      "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name",
      "Website URL", "Company Domain Name", "Associated Company", "LinkedIn Bio",
      "Contact owner", "Lead Status", "Create Date",
    ]
    let m = try fields(header)
    #expect(m[.firstname] == "First Name")
    #expect(m[.lastname] == "Last Name")
    #expect(m[.workEmail] == "Email")
    #expect(m[.companyName] == "Company Name")
    #expect(m[.website] == "Website URL")
    #expect(m[.domain] == "Company Domain Name")
    #expect(m[.linkedinURL] == "LinkedIn Bio")
    #expect(m[.fullName] == nil)
  }

  @Test func salesforceLeadsAndContacts() throws {
    let leads = try fields(["Id", "FirstName", "LastName", "Company", "Email", "Website"])
    #expect(leads[.firstname] == "FirstName")
    #expect(leads[.lastname] == "LastName")
    #expect(leads[.companyName] == "Company")
    #expect(leads[.website] == "Website")
    #expect(leads[.workEmail] == "Email")
    let contacts = try fields(["Contact ID", "FirstName", "LastName", "Account Name", "Title"])
    #expect(contacts[.companyName] == "Account Name")
    #expect(contacts[.fullName] == nil)
  }

  @Test func apolloExport() throws {
    let header = [
      "First Name", "Last Name", "Title", "Company", "Company Name for Emails", "Email",
      "Email Status", "Seniority", "Contact Owner", "Work Direct Phone", "Account Owner",
      "# Employees", "Industry", "Person Linkedin Url", "Website", "Company Linkedin Url",
      "Facebook Url", "City", "Company Address", "Company Phone", "Apollo Contact Id",
      "Secondary Email", "Personal Email",
    ]
    let m = try fields(header)
    #expect(m[.firstname] == "First Name")
    #expect(m[.lastname] == "Last Name")
    #expect(m[.companyName] == "Company")
    #expect(m[.workEmail] == "Email")
    #expect(m[.linkedinURL] == "Person Linkedin Url")
    #expect(m[.website] == "Website")
    #expect(m[.domain] == nil)
    #expect(m[.fullName] == nil)
  }

  @Test func pipedrivePersonsExport() throws {
    let header = [
      "Person - Name", "Person - First name", "Person - Last name", "Person - Organization",
      "Person - Email - Work", "Person - Email - Home", "Person - Phone - Work",
      "Organization - Website",
    ]
    let m = try fields(header)
    #expect(m[.firstname] == "Person - First name")
    #expect(m[.lastname] == "Person - Last name")
    #expect(m[.fullName] == "Person - Name")
    #expect(m[.companyName] == "Person - Organization")
    #expect(m[.workEmail] == "Person - Email - Work")
    #expect(m[.website] == "Organization - Website")
  }

  @Test func pipedriveOrganizationName() throws {
    let m = try fields(["Person - Name", "Organization - Name"])
    #expect(m[.companyName] == "Organization - Name")
    #expect(m[.fullName] == "Person - Name")
  }

  @Test func lemlistExport() throws {
    let header = [
      "email", "firstName", "lastName", "companyName", "companyDomain", "linkedinUrl",
      "icebreaker", "phone", "picture",
    ]
    let m = try fields(header)
    #expect(m[.workEmail] == "email")
    #expect(m[.firstname] == "firstName")
    #expect(m[.lastname] == "lastName")
    #expect(m[.companyName] == "companyName")
    #expect(m[.domain] == "companyDomain")
    #expect(m[.linkedinURL] == "linkedinUrl")
  }

  @Test func frenchHeaders() throws {
    let header = [
      "Prénom", "Nom", "Société", "Fonction", "Site web", "Domaine", "Profil LinkedIn",
      "Adresse e-mail", "Téléphone",
    ]
    let m = try fields(header)
    #expect(m[.firstname] == "Prénom")
    #expect(m[.lastname] == "Nom")
    #expect(m[.companyName] == "Société")
    #expect(m[.website] == "Site web")
    #expect(m[.domain] == "Domaine")
    #expect(m[.linkedinURL] == "Profil LinkedIn")
    #expect(m[.workEmail] == "Adresse e-mail")
    #expect(m[.fullName] == nil)
  }

  @Test func frenchVariants() throws {
    let m = try fields(["PRENOM", "Nom de famille", "Entreprise", "Courriel"])
    #expect(m[.firstname] == "PRENOM")
    #expect(m[.lastname] == "Nom de famille")
    #expect(m[.companyName] == "Entreprise")
    #expect(m[.workEmail] == "Courriel")
    let n = try fields(["Nom complet", "Nom de l'entreprise"])
    #expect(n[.fullName] == "Nom complet")
    #expect(n[.companyName] == "Nom de l'entreprise")
    #expect(n[.lastname] == nil)
  }

  @Test func spanishHeaders() throws {
    let header = [
      "Nombre", "Apellido(s)", "Empresa", "Cargo", "Sitio web", "Dominio",
      "Correo electrónico", "Perfil de LinkedIn",
    ]
    let m = try fields(header)
    #expect(m[.firstname] == "Nombre")
    #expect(m[.lastname] == "Apellido(s)")
    #expect(m[.companyName] == "Empresa")
    #expect(m[.website] == "Sitio web")
    #expect(m[.domain] == "Dominio")
    #expect(m[.workEmail] == "Correo electrónico")
    #expect(m[.linkedinURL] == "Perfil de LinkedIn")
    let full = try fields(["Nombre completo", "Nombre de la empresa", "Apellidos"])
    #expect(full[.fullName] == "Nombre completo")
    #expect(full[.companyName] == "Nombre de la empresa")
    #expect(full[.lastname] == "Apellidos")
    #expect(full[.firstname] == nil)
  }

  @Test func germanHeaders() throws {
    let header = [
      "Vorname", "Nachname", "Firma", "Position", "Webseite", "Domain", "E-Mail",
      "LinkedIn-Profil",
    ]
    let m = try fields(header)
    #expect(m[.firstname] == "Vorname")
    #expect(m[.lastname] == "Nachname")
    #expect(m[.companyName] == "Firma")
    #expect(m[.website] == "Webseite")
    #expect(m[.domain] == "Domain")
    #expect(m[.workEmail] == "E-Mail")
    #expect(m[.linkedinURL] == "LinkedIn-Profil")
    #expect(try fields(["Vorname", "Nachname", "Unternehmen"])[.companyName] == "Unternehmen")
  }
}

@Suite struct Ambiguity {
  @Test func companyLinkedInIsNotThePersonsLinkedIn() throws {
    let m = try fields(["First Name", "Last Name", "Company LinkedIn URL", "Company Linkedin Url"])
    #expect(m[.linkedinURL] == nil)
    #expect(try fields(["Company Linkedin Url", "LinkedIn"])[.linkedinURL] == "LinkedIn")
  }

  @Test func personalEmailIsNotTheWorkEmail() throws {
    #expect(try fields(["Personal Email", "First Name"])[.workEmail] == nil)
    #expect(try fields(["Personal Email", "Email"])[.workEmail] == "Email")
    #expect(try fields(["Email Status", "Email Verified"])[.workEmail] == nil)
  }

  @Test func frenchNomAloneIsTheLastName() throws {
    let m = try fields(["Nom", "Société"])
    #expect(m[.lastname] == "Nom")
    #expect(m[.fullName] == nil)
  }

  @Test func spanishNombreIsTheFirstName() throws {
    #expect(try fields(["Nombre", "Apellido"])[.firstname] == "Nombre")
  }

  @Test func nameFullNameAndContactAreFullNames() throws {
    for name in ["Name", "Full Name", "Contact", "full_name", "FULLNAME"] {
      let mapping = try ColumnMapping.resolve(header: [name, "Company"], options: .init())
      #expect(mapping.column(for: .fullName) == 0, "\(name)")
      #expect(mapping.assignment(for: .firstname)?.decision == .splitFromFullName)
      #expect(mapping.assignment(for: .lastname)?.decision == .splitFromFullName)
    }
  }

  @Test func exactBeatsPartialAndSynonymOrderBeatsColumnOrder() throws {
    // "Contact First Name" is a partial match; "First Name" is exact.
    #expect(try fields(["Contact First Name", "First Name"])[.firstname] == "First Name")
    #expect(try fields(["Contact First Name"])[.firstname] == "Contact First Name")
    // "Company" is listed before "Company Name for Emails".
    #expect(try fields(["Company Name for Emails", "Company"])[.companyName] == "Company")
    // Same synonym twice: the leftmost column.
    #expect(try fields(["Email", "Email (2)", "email"])[.workEmail] == "Email")
  }

  @Test func partialMatches() throws {
    let m = try fields([
      "Work Email Address", "Current Company Name", "Lead First Name", "Nom du contact",
      "Contact LinkedIn Profile URL", "Company Website",
    ])
    #expect(m[.workEmail] == "Work Email Address")
    #expect(m[.companyName] == "Current Company Name")
    #expect(m[.firstname] == "Lead First Name")
    #expect(m[.lastname] == "Nom du contact")
    #expect(m[.linkedinURL] == "Contact LinkedIn Profile URL")
    #expect(m[.website] == "Company Website")
  }

  @Test func unrelatedCompanyColumnsAreNotTheCompanyName() throws {
    let m = try fields(["Company Size", "Company City", "Company Phone", "Company Address"])
    #expect(m.isEmpty)
  }

  @Test func fallbackOnlyWhenNothingBetter() throws {
    #expect(
      try fields(["LinkedIn Bio", "Contact LinkedIn URL"])[.linkedinURL] == "Contact LinkedIn URL")
    #expect(try fields(["URL", "Website"])[.website] == "Website")
    #expect(try fields(["URL"])[.website] == "URL")
  }

  @Test func oneColumnPerField() throws {
    let mapping = try ColumnMapping.resolve(
      header: ["Email", "Email Address", "First Name"], options: .init())
    #expect(mapping.column(for: .workEmail) == 0)
    #expect(mapping.columns == [.workEmail: 0, .firstname: 2])
    #expect(mapping.unmapped == [1])
    #expect(mapping.unmappedHeaders == ["Email Address"])
  }

  @Test func caseAccentSpaceAndPunctuationInsensitive() throws {
    let m = try fields(["  PRÉNOM ", "last-name", "Company_Name", "LINKEDIN  url", "Web-Site"])
    #expect(m[.firstname] == "  PRÉNOM ")
    #expect(m[.lastname] == "last-name")
    #expect(m[.companyName] == "Company_Name")
    #expect(m[.linkedinURL] == "LINKEDIN  url")
    #expect(m[.website] == "Web-Site")
  }
}

@Suite struct Derivations {
  @Test func domainFromWebsiteThenEmail() throws {
    let web = try ColumnMapping.resolve(header: ["Website", "Email"], options: .init())
    #expect(web.assignment(for: .domain)?.decision == .domainFromWebsite)
    #expect(web.assignment(for: .domain)?.column == 0)
    let mail = try ColumnMapping.resolve(header: ["First Name", "Email"], options: .init())
    #expect(mail.assignment(for: .domain)?.decision == .domainFromEmail)
    #expect(mail.assignment(for: .domain)?.column == 1)
    let direct = try ColumnMapping.resolve(header: ["Domain", "Website"], options: .init())
    #expect(direct.assignment(for: .domain)?.decision.isDerived == false)
  }

  @Test func decisionDescriptions() throws {
    let mapping = try ColumnMapping.resolve(
      header: ["First Name", "Nom", "Website"],
      options: MappingOptions(overrides: [.lastname: "Nom"]))
    #expect(
      mapping.assignment(for: .firstname)?.decision.description == "header match \"First Name\"")
    #expect(mapping.assignment(for: .lastname)?.decision.description == "override")
    #expect(
      mapping.assignment(for: .domain)?.decision.description
        == "derived: domain from website column")
  }
}

@Suite struct Overrides {
  @Test func overrideWinsOverRecognition() throws {
    let options = MappingOptions(overrides: [.firstname: "Prénom usuel", .workEmail: "Email 2"])
    let m = try fields(["First Name", "Prénom usuel", "Last Name", "Email", "Email 2"], options)
    #expect(m[.firstname] == "Prénom usuel")
    #expect(m[.workEmail] == "Email 2")
    #expect(m[.lastname] == "Last Name")
  }

  @Test func overrideTakesTheColumnAwayFromOtherFields() throws {
    // "Name" would be the full name; overridden as the company, it is not both.
    let m = try fields(["Name", "Vorname"], MappingOptions(overrides: [.companyName: "Name"]))
    #expect(m[.companyName] == "Name")
    #expect(m[.fullName] == nil)
  }

  @Test func overrideMatchesIgnoringCaseAndPunctuation() throws {
    let m = try fields(["Prénom"], MappingOptions(overrides: [.firstname: "prenom"]))
    #expect(m[.firstname] == "Prénom")
  }

  @Test func emptyOverrideTurnsAFieldOff() throws {
    let options = MappingOptions(overrides: [.domain: "", .linkedinURL: ""])
    let mapping = try ColumnMapping.resolve(
      header: ["Website", "LinkedIn URL", "Domain"], options: options)
    #expect(mapping.column(for: .linkedinURL) == nil)
    #expect(mapping.assignment(for: .domain) == nil)
    #expect(mapping.disabled == [.domain, .linkedinURL])
    #expect(mapping.column(for: .website) == 0)
  }

  @Test func missingHeaderIsNotFoundWithCloseNames() throws {
    let header = ["Prénom", "Nom", "Société", "E-mail"]
    do {
      _ = try ColumnMapping.resolve(
        header: header, options: MappingOptions(overrides: [.firstname: "Prenon"]))
      Issue.record("expected an error")
    } catch let error as LeadsheetError {
      #expect(error.code == .notFound)
      #expect(error.message == "no column named 'Prenon' for --map firstname")
      #expect(error.hint == "did you mean 'Prénom'?")
    }
  }

  @Test func missingHeaderWithNothingCloseListsTheColumns() throws {
    do {
      _ = try ColumnMapping.resolve(
        header: ["A", "B"], options: MappingOptions(custom: [.init(key: "id", header: "Zzzzzz")]))
      Issue.record("expected an error")
    } catch let error as LeadsheetError {
      #expect(error.code == .notFound)
      #expect(error.message.contains("--map custom.id"))
      #expect(error.hint == "the columns are 'A', 'B'")
    }
  }

  @Test func customColumnsAreResolvedAndNotUnmapped() throws {
    let mapping = try ColumnMapping.resolve(
      header: ["Record ID", "First Name", "Notes"],
      options: MappingOptions(custom: [.init(key: "hubspot_id", header: "Record ID")]))
    #expect(mapping.custom == [.init(key: "hubspot_id", column: 0, header: "Record ID")])
    #expect(mapping.unmapped == [2])
  }

  @Test func closeHeaders() {
    let header = ["First Name", "Last Name", "Company", "Email"]
    #expect(ColumnMapping.closeHeaders(to: "firstnam", in: header) == ["First Name"])
    #expect(ColumnMapping.closeHeaders(to: "Mail", in: header) == ["Email"])
    #expect(ColumnMapping.closeHeaders(to: "zzz", in: header).isEmpty)
  }
}

@Test func mappingIsCodable() throws {
  let mapping = try ColumnMapping.resolve(
    header: ["Full Name", "Website", "Notes"], options: .init())
  let data = try JSONEncoder().encode(mapping)
  let back = try JSONDecoder().decode(ColumnMapping.self, from: data)
  #expect(back == mapping)
  let text = String(decoding: data, as: UTF8.self)
  #expect(text.contains("\"kind\":\"split_from_full_name\""))
}
