/// The body of a 2xx answer from `POST /v2/contacts/single_enrich` (and the
/// other documented variants: `sync_single_enrich`, the async result).
///
/// Every field is optional and decodes from absent or `null`; status strings
/// are kept as the API sent them (the contract lists `valid`, `invalid`, `N/A`;
/// the async result uses `deliverable`, `catch-all`, `N/A`). Phones are read
/// from `phones` (the sync call) or `phone` (the async result), in either
/// shape: strings (`["+33612345678"]`) or objects
/// (`[{"number": "+33612345678", "type": "mobile"}]`, the type kept).
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

  enum CodingKeys: String, CodingKey, CaseIterable {
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

  /// Keys read but never written: the async result's `phone` (written back as `phones`).
  enum AlternateKeys: String, CodingKey {
    case phone
  }

  /// Fields the API sent as an explicit `null`, so that encoding gives the
  /// same JSON back (the contract's not-found example has `"email": null`).
  /// Empty for values built in code: leadsheet itself never writes `null`.
  var explicitNulls: Set<String> = []

  /// Decodes leniently: a field that is absent, `null` or of an unexpected
  /// type is `nil`; a phone that is neither a string nor an object with a
  /// `number` is skipped; `custom` values that are not strings become their
  /// JSON text (numbers, booleans) or are dropped (`null`).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func string(_ key: CodingKeys) -> String? {
      (try? c.decodeIfPresent(LenientString.self, forKey: key))?.value
    }
    enrichmentID = string(.enrichmentID)
    firstName = string(.firstName)
    lastName = string(.lastName)
    linkedinProfileURL = string(.linkedinProfileURL)
    status = string(.status)
    email = string(.email)
    emailStatus = string(.emailStatus)
    personalEmail = string(.personalEmail)
    personalEmailStatus = string(.personalEmailStatus)
    phoneStatus = string(.phoneStatus)
    message = string(.message)
    let alternate = try decoder.container(keyedBy: AlternateKeys.self)
    let plural = Self.phones(c, .phones)
    let singular = Self.phones(alternate, .phone)
    // `phones` first; `phone` when `phones` is absent or empty and `phone` holds some.
    phones = (plural ?? []).isEmpty && !(singular ?? []).isEmpty ? singular : plural ?? singular
    if let object = try? c.decodeIfPresent([String: LenientString].self, forKey: .custom) {
      custom = object.compactMapValues(\.value)
    } else {
      custom = nil
    }
    for key in CodingKeys.allCases where (try? c.decodeNil(forKey: key)) == true {
      explicitNulls.insert(key.rawValue)
    }
  }

  /// A list of phones under `key`: an array (elements that are not phones skipped)
  /// or a single phone; `nil` when absent, `null` or of another type.
  private static func phones<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) -> [Phone]? {
    if let list = try? c.decodeIfPresent([LenientPhone].self, forKey: key) {
      return list.compactMap(\.phone)
    }
    return (try? c.decodeIfPresent(LenientPhone.self, forKey: key))?.phone.map { [$0] }
  }

  /// Encodes the fields that are set; `nil` fields are omitted, except those
  /// decoded from an explicit `null`, which are written back as `null`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    func put<T: Encodable>(_ value: T?, _ key: CodingKeys) throws {
      if let value {
        try c.encode(value, forKey: key)
      } else if explicitNulls.contains(key.rawValue) {
        try c.encodeNil(forKey: key)
      }
    }
    try put(enrichmentID, .enrichmentID)
    try put(firstName, .firstName)
    try put(lastName, .lastName)
    try put(linkedinProfileURL, .linkedinProfileURL)
    try put(status, .status)
    try put(message, .message)
    try put(email, .email)
    try put(emailStatus, .emailStatus)
    try put(personalEmail, .personalEmail)
    try put(personalEmailStatus, .personalEmailStatus)
    try put(phones, .phones)
    try put(phoneStatus, .phoneStatus)
    try put(custom, .custom)
  }

  /// Whether the API said it found something (`status: success`).
  public var isSuccess: Bool { status == "success" }

  /// Whether the answer carries a result: an email, a personal email or a phone.
  public var hasData: Bool {
    !(email ?? "").isEmpty || !(personalEmail ?? "").isEmpty
      || (phones ?? []).contains { !$0.number.isEmpty }
  }

  /// Whether the row is `found`: `status: success` (any case), or any status
  /// (`finished`, `error`, none…) with an email, a personal email or a phone.
  /// A paid result is never written as not found.
  public var isFound: Bool { status?.lowercased() == "success" || hasData }
}

/// A string field that tolerates other JSON scalars: numbers and booleans
/// become their text, `null`, arrays and objects become `nil`.
struct LenientString: Decodable {
  var value: String?

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let s = try? c.decode(String.self) {
      value = s
    } else if let b = try? c.decode(Bool.self) {
      value = b ? "true" : "false"
    } else if let i = try? c.decode(Int64.self) {
      value = String(i)
    } else if let d = try? c.decode(Double.self) {
      value = String(d)
    } else {
      value = nil
    }
  }
}

/// One element of `phones` that never fails to decode.
struct LenientPhone: Decodable {
  var phone: EnrichResponse.Phone?

  init(from decoder: any Decoder) throws {
    phone = try? EnrichResponse.Phone(from: decoder)
  }
}
