/// The header names leadsheet recognises for each field, best first.
///
/// Three strengths, tried in this order for every field before the next:
///
/// 1. **exact**: the header equals a synonym once both are normalised
///    (`HeaderName.normalize`): `FIRST_NAME`, `First name`, `firstName`.
/// 2. **partial**: the header holds a synonym's words plus only filler words
///    (`HeaderName.fillerWords`: `Contact First Name`, `Nom du contact`) and
///    the field's qualifiers (`Work Email Address`, `Current Company Name`).
/// 3. **fallback**: weak names used only when nothing better matched
///    (`LinkedIn Bio`, `URL`).
///
/// Within a strength, the synonym listed first wins, then the leftmost column.
public struct HeaderSynonyms: Sendable {
  /// Names matched exactly, best first.
  public let exact: [String]
  /// Words a partial match may add to a synonym (`address` for an email).
  public let qualifiers: Set<String>
  /// Weak names, matched exactly, used last.
  public let fallback: [String]

  /// `exact`, normalised.
  let exactKeys: [String]
  /// `exact`, reduced to their partial-match cores.
  let partialCores: [String]
  /// `fallback`, normalised.
  let fallbackKeys: [String]

  /// Creates a synonym list; the comparison keys are computed once here.
  public init(exact: [String], qualifiers: Set<String>, fallback: [String]) {
    self.exact = exact
    self.qualifiers = qualifiers
    self.fallback = fallback
    exactKeys = exact.map(HeaderName.normalize)
    partialCores = exact.map { HeaderName.core(HeaderName.tokens($0), qualifiers: qualifiers) }
    fallbackKeys = fallback.map(HeaderName.normalize)
  }

  /// The synonyms of `field`.
  public static func of(_ field: RequestField) -> HeaderSynonyms {
    switch field {
    case .firstname: return firstname
    case .lastname: return lastname
    case .fullName: return fullName
    case .companyName: return companyName
    case .domain: return domain
    case .website: return website
    case .workEmail: return workEmail
    case .linkedinURL: return linkedinURL
    }
  }

  static let firstname = HeaderSynonyms(
    exact: [
      "First Name", "Firstname", "First_Name", "First", "Given Name", "Forename", "FName",
      "Person - First name", "Prénom", "Nombre", "Nombre de pila", "Vorname",
    ],
    qualifiers: [], fallback: [])

  static let lastname = HeaderSynonyms(
    exact: [
      "Last Name", "Lastname", "Last", "Surname", "Family Name", "LName", "Person - Last name",
      "Nom", "Nom de famille", "Apellido", "Apellidos", "Apellido(s)", "Primer apellido",
      "Nachname", "Familienname",
    ],
    qualifiers: [], fallback: [])

  static let fullName = HeaderSynonyms(
    exact: [
      "Full Name", "Fullname", "Name", "Contact Name", "Contact", "Lead Name", "Person Name",
      "Person - Name", "Nom complet", "Prénom et nom", "Prénom Nom", "Nombre completo",
      "Nombre y apellidos", "Vollständiger Name", "Voller Name",
    ],
    qualifiers: [], fallback: [])

  static let companyName = HeaderSynonyms(
    exact: [
      "Company", "Company Name", "Companyname", "Account Name", "Organization",
      "Organisation", "Organization Name", "Organization - Name", "Person - Organization",
      "Associated Company", "Current Company", "Employer", "Company Name for Emails",
      "Société", "Entreprise", "Nom de l'entreprise", "Nom de la société", "Raison sociale",
      "Empresa", "Nombre de la empresa", "Compañía", "Firma", "Unternehmen", "Firmenname",
      "Arbeitgeber",
    ],
    qualifiers: ["name", "nom", "nombre", "legal", "official"],
    fallback: ["Account"])

  static let domain = HeaderSynonyms(
    exact: [
      "Domain", "Company Domain", "Company Domain Name", "Domain Name", "Website Domain",
      "Organization - Domain", "Domaine", "Nom de domaine", "Dominio", "Email Domain",
    ],
    qualifiers: ["name", "nom", "company", "organization", "organisation", "website", "web"],
    fallback: [])

  static let website = HeaderSynonyms(
    exact: [
      "Website", "Website URL", "Web Site", "Company Website", "Company URL", "Homepage",
      "Organization - Website", "Site web", "Site internet", "Site", "Sitio web",
      "Página web", "Webseite", "Internetseite",
    ],
    qualifiers: [
      "url", "company", "organization", "organisation", "org", "link", "address", "adresse",
      "official",
    ],
    fallback: ["URL", "Web"])

  static let workEmail = HeaderSynonyms(
    exact: [
      "Email", "E-mail", "Email Address", "Work Email", "Business Email", "Professional Email",
      "Company Email", "Mail", "Emails", "Person - Email", "Person - Email - Work", "Courriel",
      "Adresse e-mail", "Adresse email", "Email professionnel", "Correo electrónico", "Correo",
      "E-Mail-Adresse",
    ],
    qualifiers: [
      "address", "adresse", "work", "business", "professional", "professionnel",
      "professionnelle", "pro", "corporate", "office", "direccion", "trabajo", "geschaftlich",
      "geschaftliche", "beruflich", "berufliche",
    ],
    fallback: [])

  static let linkedinURL = HeaderSynonyms(
    exact: [
      "LinkedIn URL", "LinkedIn", "LinkedIn Profile", "LinkedIn Profile URL",
      "Person Linkedin Url", "Profile URL", "Public Profile URL", "Person - LinkedIn",
      "LinkedIn Link", "Sales Navigator URL", "Sales Navigator Profile URL",
      "LinkedIn Sales Navigator URL", "Profil LinkedIn", "URL LinkedIn", "Lien LinkedIn",
      "Perfil de LinkedIn", "LinkedIn-Profil",
    ],
    qualifiers: ["url", "profile", "profil", "perfil", "link", "lien", "public", "address"],
    fallback: ["LinkedIn Bio"])
}
