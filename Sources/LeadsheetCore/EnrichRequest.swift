/// The body of `POST /v2/contacts/single_enrich`, field for field as the contract names them.
///
/// Optional fields are omitted from the JSON when `nil`, never sent as `null`.
public struct EnrichRequest: Sendable, Hashable, Codable {
  /// Contact's first name.
  public var firstname: String?
  /// Contact's last name.
  public var lastname: String?
  /// Company name.
  public var companyName: String?
  /// Company domain (`acme.com`).
  public var domain: String?
  /// LinkedIn profile URL.
  public var linkedinURL: String?
  /// What to look for: 1–3 distinct types.
  public var enrichmentType: [EnrichmentType]
  /// Optional webhook to also receive the result (leadsheet never sets it).
  public var webhookURL: String?
  /// ISO 3166-1 alpha-2 codes restricting phone enrichment.
  public var phoneCountryCodes: [String]?
  /// Fields echoed back unchanged in the response.
  public var custom: [String: String]?

  /// Creates a request.
  public init(
    firstname: String? = nil, lastname: String? = nil, companyName: String? = nil,
    domain: String? = nil, linkedinURL: String? = nil, enrichmentType: [EnrichmentType],
    webhookURL: String? = nil, phoneCountryCodes: [String]? = nil, custom: [String: String]? = nil
  ) {
    self.firstname = firstname
    self.lastname = lastname
    self.companyName = companyName
    self.domain = domain
    self.linkedinURL = linkedinURL
    self.enrichmentType = enrichmentType
    self.webhookURL = webhookURL
    self.phoneCountryCodes = phoneCountryCodes
    self.custom = custom
  }

  enum CodingKeys: String, CodingKey {
    case firstname, lastname
    case companyName = "company_name"
    case domain
    case linkedinURL = "linkedin_url"
    case enrichmentType = "enrichment_type"
    case webhookURL = "webhook_url"
    case phoneCountryCodes = "phone_country_codes"
    case custom
  }

  /// The identity of the contact for de-duplication: everything that changes
  /// what the API looks for, without `custom` (which only travels back).
  ///
  /// Seven fields joined by U+001F: first name, last name, company, domain,
  /// LinkedIn URL, the types joined by `,`, the phone country codes joined by
  /// `,`. `contactKeyBytes` is the same text as UTF-8.
  public var contactKey: String {
    String(decoding: contactKeyBytes, as: UTF8.self)
  }
}
