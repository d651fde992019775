import LeadsheetCore

/// The JSON text stored as a request's `body`, written by hand.
///
/// The same object `JSONEncoder` with `.sortedKeys` makes of an
/// `EnrichRequest` (absent optionals left out, keys sorted), without its cost
/// per row: `/` is not escaped, and characters below U+0020 are written as
/// `\n`, `\r`, `\t` or `\u00XX`. `JSONDecoder` reads it back to the same
/// request (`RequestBodyTests`).
enum RequestBody {
  /// The body of `request`, as UTF-8.
  static func encode(_ request: EnrichRequest) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(160)
    var first = true
    func key(_ name: StaticString) {
      out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
      first = false
      out.append(UInt8(ascii: "\""))
      out.append(
        contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
      out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }
    func field(_ name: StaticString, _ value: String?) {
      guard let value else { return }
      key(name)
      string(value, &out)
    }
    func list(_ name: StaticString, _ values: [String]?) {
      guard let values else { return }
      key(name)
      out.append(UInt8(ascii: "["))
      for (i, v) in values.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        string(v, &out)
      }
      out.append(UInt8(ascii: "]"))
    }
    field("company_name", request.companyName)
    if let custom = request.custom {
      key("custom")
      out.append(UInt8(ascii: "{"))
      for (i, name) in custom.keys.sorted().enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        string(name, &out)
        out.append(UInt8(ascii: ":"))
        string(custom[name] ?? "", &out)
      }
      out.append(UInt8(ascii: "}"))
    }
    field("domain", request.domain)
    list("enrichment_type", request.enrichmentType.map(\.rawValue))
    field("firstname", request.firstname)
    field("lastname", request.lastname)
    field("linkedin_url", request.linkedinURL)
    list("phone_country_codes", request.phoneCountryCodes)
    field("webhook_url", request.webhookURL)
    if first { out.append(UInt8(ascii: "{")) }
    out.append(UInt8(ascii: "}"))
    return out
  }

  private static let hex = Array("0123456789abcdef".utf8)

  /// Appends `text` as a JSON string literal.
  private static func string(_ text: String, _ out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for b in text.utf8 {
      switch b {
      case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0..<0x20:
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 0xF)])
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
