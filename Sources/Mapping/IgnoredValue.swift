/// Why a non-blank cell was not used; counted in `MappingSummary.ignoredValues`.
///
/// An ignored value does not make a row invalid by itself: the row is sent
/// without it (and is invalid only if what remains is not enough).
public enum IgnoredValue: String, Sendable, Hashable, Codable, CaseIterable, Error {
  /// A LinkedIn company, school or showcase page, not a person's profile.
  case linkedinCompanyPage = "linkedin_company_page"
  /// A LinkedIn URL that is not a profile (a post, a search, a job…).
  case linkedinNotAProfile = "linkedin_not_a_profile"
  /// Not a LinkedIn URL at all.
  case linkedinNotLinkedIn = "linkedin_not_linkedin"
  /// The domain cell holds no valid domain.
  case domainInvalid = "domain_invalid"
  /// The website cell holds no valid host, or a social-network host.
  case websiteInvalid = "website_invalid"
  /// The email cell holds no valid address.
  case emailInvalid = "email_invalid"
  /// The email's domain is a free-mail provider, so it says nothing about the company.
  case emailFreeMail = "email_free_mail"
  /// The full-name cell could not be split into a first and last name.
  case fullNameUnsplittable = "full_name_unsplittable"

  /// A stable machine code (`linkedin_company_page`).
  public var code: String { rawValue }

  /// A human sentence.
  public var message: String {
    switch self {
    case .linkedinCompanyPage: return "the LinkedIn URL is a company or school page"
    case .linkedinNotAProfile: return "the LinkedIn URL is not a profile"
    case .linkedinNotLinkedIn: return "the LinkedIn URL is not a linkedin.com address"
    case .domainInvalid: return "the domain is not a valid domain name"
    case .websiteInvalid: return "the website gives no company domain"
    case .emailInvalid: return "the email is not a valid address"
    case .emailFreeMail: return "the email is at a free-mail provider, not the company's domain"
    case .fullNameUnsplittable: return "the full name has a single word"
    }
  }
}
