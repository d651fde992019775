import Foundation
import LeadsheetCore

/// A validated `single_enrich` request body, as the simulator sees it.
///
/// Parsed with `JSONSerialization` rather than `EnrichRequest` so that the
/// simulator checks what the wire really carries (types, duplicates) and can
/// echo `custom` exactly as sent.
struct SimulatedContact {
  var firstname: String
  var lastname: String
  var companyName: String?
  var domain: String?
  var linkedinURL: String?
  var types: [EnrichmentType]
  var phoneCountryCodes: [String]
  /// `custom` exactly as sent (any JSON object).
  var custom: Any?

  /// A validation failure: the status and the message of the JSON answer.
  struct Invalid: Error {
    var status: Int
    var message: String
  }

  /// Parses and validates a body as the contract states.
  ///
  /// Malformed JSON, or a body that is not an object, is a 400; a missing or
  /// wrong field is a 422 naming it. With `singleType` (the asynchronous
  /// endpoint), an `enrichment_type` that does not hold exactly one type is a 400.
  init(body: [UInt8], singleType: Bool = false) throws(Invalid) {
    guard let any = try? JSONSerialization.jsonObject(with: Data(body)),
      let o = any as? [String: Any]
    else { throw Invalid(status: 400, message: "Malformed JSON body") }

    func optionalString(_ key: String) throws(Invalid) -> String? {
      guard let value = o[key], !(value is NSNull) else { return nil }
      guard let s = value as? String else {
        throw Invalid(status: 422, message: "\(key) must be a string")
      }
      return s
    }
    func requiredString(_ key: String) throws(Invalid) -> String {
      guard let s = try optionalString(key),
        !s.trimmingCharacters(in: .whitespaces).isEmpty
      else { throw Invalid(status: 422, message: "\(key) is required") }
      return s
    }
    func uri(_ key: String) throws(Invalid) -> String? {
      guard let s = try optionalString(key) else { return nil }
      guard let url = URLComponents(string: s), let scheme = url.scheme?.lowercased(),
        scheme == "http" || scheme == "https", url.host?.isEmpty == false
      else { throw Invalid(status: 422, message: "\(key) must be a valid URI") }
      return s
    }

    guard let rawTypes = o["enrichment_type"], !(rawTypes is NSNull) else {
      throw Invalid(status: 422, message: "enrichment_type is required")
    }
    guard let list = rawTypes as? [Any], list.allSatisfy({ $0 is String }) else {
      throw Invalid(status: 422, message: "enrichment_type must be an array of strings")
    }
    if singleType, list.count != 1 {
      throw Invalid(
        status: 400,
        message: "enrichment_type must hold exactly one type for asynchronous enrichment "
          + "(got \(list.count)); submit one request per type")
    }
    guard (1...3).contains(list.count) else {
      throw Invalid(status: 422, message: "enrichment_type must contain 1 to 3 elements")
    }
    var types: [EnrichmentType] = []
    for case let name as String in list {
      guard let type = EnrichmentType(rawValue: name) else {
        throw Invalid(
          status: 422,
          message: "enrichment_type has an invalid value '\(name)' "
            + "(allowed: email, phone, personal_email)")
      }
      guard !types.contains(type) else {
        throw Invalid(status: 422, message: "enrichment_type values must be distinct")
      }
      types.append(type)
    }
    self.types = types
    self.firstname = try requiredString("firstname")
    self.lastname = try requiredString("lastname")
    self.companyName = try optionalString("company_name")
    self.domain = try optionalString("domain")
    self.linkedinURL = try uri("linkedin_url")
    _ = try uri("webhook_url")
    if types.contains(where: \.requiresLinkedInURL), linkedinURL == nil {
      throw Invalid(
        status: 422,
        message: "linkedin_url is required when enrichment_type includes phone or personal_email")
    }
    self.phoneCountryCodes = []
    if let codes = o["phone_country_codes"], !(codes is NSNull) {
      guard let array = codes as? [Any],
        array.allSatisfy({
          ($0 as? String).map { $0.count == 2 && $0.allSatisfy(\.isLetter) } == true
        })
      else {
        throw Invalid(
          status: 422, message: "phone_country_codes must be ISO 3166-1 alpha-2 codes")
      }
      self.phoneCountryCodes = array.compactMap { ($0 as? String)?.uppercased() }
    }
    if let custom = o["custom"], !(custom is NSNull) {
      guard custom is [String: Any] else {
        throw Invalid(status: 422, message: "custom must be an object")
      }
      self.custom = custom
    }
  }

  /// The normalised identity of the person: lower-cased, trimmed, URL scheme and
  /// `www.` dropped. Outcomes are drawn from its hash, so the same person gets
  /// the same answer whatever types are asked.
  var normalizedIdentity: String {
    func clean(_ s: String?) -> String {
      (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
    func host(_ s: String?) -> String {
      var t = clean(s)
      for prefix in ["https://", "http://"] where t.hasPrefix(prefix) {
        t.removeFirst(prefix.count)
      }
      if t.hasPrefix("www.") { t.removeFirst(4) }
      while t.hasSuffix("/") { t.removeLast() }
      return t
    }
    return [clean(firstname), clean(lastname), clean(companyName), host(domain), host(linkedinURL)]
      .joined(separator: "|")
  }

  /// What a billed request is charged for: the person and the types asked.
  var billingKey: String {
    normalizedIdentity + "|" + types.sorted().map(\.rawValue).joined(separator: ",")
  }
}
