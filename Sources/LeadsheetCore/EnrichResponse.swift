/// The body of a 200 answer from `POST /v2/contacts/single_enrich`.
///
/// Every field is optional and decodes from absent or `null`; status strings
/// are kept as the API sent them (the contract lists `valid`, `invalid`, `N/A`
/// and also mentions `deliverable` and `catch-all`). `phones` accepts both the
/// current shape (`["+33612345678"]`) and the older one
/// (`[{"number": "+33612345678", "type": "mobile"}]`).
public struct EnrichResponse: Sendable, Hashable, Codable {
  /// The enrichment's id (a UUID).
  public var enrichmentID: String?
  /// The contact's first name.
  public var firstName: String?
  /// The contact's last name.
  public var lastName: String?
  /// The contact's LinkedIn profile URL.
  public var linkedinProfileURL: String?
  /// `success` or `error`.
  public var status: String?
  /// The professional email found.
  public var email: String?
  /// The email's validation status, as sent.
  public var emailStatus: String?
  /// The personal email found.
  public var personalEmail: String?
  /// The personal email's validation status, as sent.
  public var personalEmailStatus: String?
  /// Phone numbers found, E.164.
  public var phones: [Phone]?
  /// `valid` or `not_found`, as sent.
  public var phoneStatus: String?
  /// Error or not-found message.
  public var message: String?
  /// The request's `custom` object, echoed.
  public var custom: [String: String]?

  /// One phone number; `type` is only present in the older object shape.
  public struct Phone: Sendable, Hashable, Codable {
    /// The number, E.164 (`+33612345678`).
    public var number: String
    /// `mobile`, `landline`… when the API said.
    public var type: String?

    /// Creates a phone.
    public init(_ number: String, type: String? = nil) {
      self.number = number
      self.type = type
    }

    enum Keys: String, CodingKey { case number, type }

    public init(from decoder: any Decoder) throws {
      if let single = try? decoder.singleValueContainer(), let s = try? single.decode(String.self) {
        self.number = s
        self.type = nil
        return
      }
      let c = try decoder.container(keyedBy: Keys.self)
      self.number = try c.decode(String.self, forKey: .number)
      self.type = try c.decodeIfPresent(String.self, forKey: .type)
    }

    public func encode(to encoder: any Encoder) throws {
      if let type {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(number, forKey: .number)
        try c.encode(type, forKey: .type)
      } else {
        var c = encoder.singleValueContainer()
        try c.encode(number)
      }
    }
  }

  /// Creates a response.
  public init(
    enrichmentID: String? = nil, firstName: String? = nil, lastName: String? = nil,
    linkedinProfileURL: String? = nil, status: String? = nil, email: String? = nil,
    emailStatus: String? = nil, personalEmail: String? = nil, personalEmailStatus: String? = nil,
    phones: [Phone]? = nil, phoneStatus: String? = nil, message: String? = nil,
    custom: [String: String]? = nil
  ) {
    self.enrichmentID = enrichmentID
    self.firstName = firstName
    self.lastName = lastName
    self.linkedinProfileURL = linkedinProfileURL
    self.status = status
    self.email = email
    self.emailStatus = emailStatus
    self.personalEmail = personalEmail
    self.personalEmailStatus = personalEmailStatus
    self.phones = phones
    self.phoneStatus = phoneStatus
    self.message = message
    self.custom = custom
  }

  enum CodingKeys: String, CodingKey {
    case enrichmentID = "enrichment_id"
    case firstName = "first_name"
    case lastName = "last_name"
    case linkedinProfileURL = "linkedin_profile_url"
    case status, email
    case emailStatus = "email_status"
    case personalEmail = "personal_email"
    case personalEmailStatus = "personal_email_status"
    case phones
    case phoneStatus = "phone_status"
    case message, custom
  }

  /// Whether the API said it found something (`status: success`).
  public var isSuccess: Bool { status == "success" }
}
