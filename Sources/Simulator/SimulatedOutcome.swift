import Foundation
import LeadsheetCore

/// The answer the simulator gives a contact, drawn deterministically from a
/// hash of the contact's normalised identity and the seed.
///
/// Distribution (each draw independent, from its own salted hash):
///
/// - professional email: found for 70 % of contacts that have a domain or a
///   company name; status `valid` 55 %, `deliverable` 20 %, `catch-all` 20 %,
///   `invalid` 5 %;
/// - phones: for 45 % (one E.164 number, from the first of
///   `phone_country_codes` or a mix of FR/US/GB/DE; with `maxPhones` N above 1,
///   20 % of them hold two to N numbers, spread evenly);
/// - personal email: 30 % (`valid` 90 %, `invalid` 10 %).
///
/// `status` is `success` when any requested type was found, else `error` with
/// the contract's not-found body (`message`, `"email": null`, `email_status`
/// `N/A`, `"phones": []`, `phone_status` `not_found`…).
struct SimulatedOutcome {
  /// The JSON body.
  var body: [String: Any]
  /// `success` or `error`.
  var status: String

  init(contact: SimulatedContact, seed: UInt64, maxPhones: Int = 1) {
    let h = SplitMix64.fnv1a(contact.normalizedIdentity, seed: seed)
    func draw(_ salt: UInt64) -> Double { SplitMix64.unit(SplitMix64.mix(h ^ salt)) }
    func bits(_ salt: UInt64) -> UInt64 { SplitMix64.mix(h &+ salt) }

    var body: [String: Any] = [
      "enrichment_id": Self.uuid(bits(1), bits(2)),
      "first_name": contact.firstname,
      "last_name": contact.lastname,
    ]
    if let url = contact.linkedinURL { body["linkedin_profile_url"] = url }
    var found = false

    if contact.types.contains(.email) {
      let domain = Self.emailDomain(contact)
      if let domain, draw(0x11) < 0.70 {
        let local = [Self.ascii(contact.firstname), Self.ascii(contact.lastname)]
          .filter { !$0.isEmpty }.joined(separator: ".")
        body["email"] = "\(local.isEmpty ? "contact" : local)@\(domain)"
        let s = draw(0x12)
        body["email_status"] =
          s < 0.55 ? "valid" : s < 0.75 ? "deliverable" : s < 0.95 ? "catch-all" : "invalid"
        found = true
      }
    }
    if contact.types.contains(.phone), draw(0x21) < 0.45 {
      var count = 1
      if maxPhones > 1, draw(0x23) < 0.20 { count = 2 + Int(bits(0x24) % UInt64(maxPhones - 1)) }
      body["phones"] = (0..<count).map { i in
        Self.phone(country: contact.phoneCountryCodes.first, bits: bits(0x22 &+ UInt64(i) << 8))
      }
      body["phone_status"] = "valid"
      found = true
    }
    if contact.types.contains(.personalEmail), draw(0x31) < 0.30 {
      let local = [Self.ascii(contact.firstname), Self.ascii(contact.lastname)]
        .filter { !$0.isEmpty }.joined(separator: ".")
      body["personal_email"] = "\(local.isEmpty ? "contact" : local)\(bits(0x32) % 100)@gmail.com"
      body["personal_email_status"] = draw(0x33) < 0.9 ? "valid" : "invalid"
      found = true
    }

    // Requested types with nothing found get the contract's empty values.
    if contact.types.contains(.email), body["email"] == nil {
      body["email"] = NSNull()
      body["email_status"] = "N/A"
    }
    if contact.types.contains(.phone), body["phones"] == nil {
      body["phones"] = [String]()
      body["phone_status"] = "not_found"
    }
    if contact.types.contains(.personalEmail), body["personal_email"] == nil {
      body["personal_email"] = NSNull()
      body["personal_email_status"] = "N/A"
    }
    status = found ? "success" : "error"
    body["status"] = status
    if !found { body["message"] = Self.notFoundMessage }
    if let custom = contact.custom { body["custom"] = custom }
    self.body = body
  }

  /// The contract's not-found message.
  static let notFoundMessage = "No email or phone found for this profile"

  /// The email domain: the request's domain, else the company name as `name.com`.
  static func emailDomain(_ c: SimulatedContact) -> String? {
    var d = (c.domain ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    for prefix in ["https://", "http://", "www."] where d.hasPrefix(prefix) {
      d.removeFirst(prefix.count)
    }
    if let slash = d.firstIndex(of: "/") { d = String(d[..<slash]) }
    if !d.isEmpty { return d }
    let company = ascii(c.companyName ?? "").replacingOccurrences(of: ".", with: "")
    return company.isEmpty ? nil : company + ".com"
  }

  /// Lower-case ASCII letters, digits and dots only (accents folded).
  static func ascii(_ s: String) -> String {
    let folded = s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
      .lowercased()
    return String(
      folded.unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }
        .map(Character.init))
  }

  /// An E.164 mobile number for a country (FR, US, GB, DE; others get FR's shape).
  static func phone(country: String?, bits: UInt64) -> String {
    let countries = ["FR", "US", "GB", "DE"]
    let c = country ?? countries[Int(bits % 4)]
    var digits = ""
    var b = SplitMix64.mix(bits)
    for _ in 0..<10 {
      digits.append(Character(String(b % 10)))
      b /= 10
    }
    switch c {
    case "US": return "+1" + "415" + digits.prefix(7)
    case "GB": return "+447" + digits.prefix(9)
    case "DE": return "+4915" + digits.prefix(9)
    default: return "+336" + digits.prefix(8)
    }
  }

  /// A version-4-shaped UUID from 128 bits.
  static func uuid(_ a: UInt64, _ b: UInt64) -> String {
    var bytes: [UInt8] =
      (0..<8).map { UInt8(truncatingIfNeeded: a >> (8 * $0)) }
      + (0..<8).map { UInt8(truncatingIfNeeded: b >> (8 * $0)) }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = bytes.map { String(format: "%02x", $0) }.joined()
    let chars = Array(hex)
    return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(
      separator: "-")
  }
}
