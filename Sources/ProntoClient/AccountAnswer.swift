import Foundation

/// What `GET /account` or `GET /credits` answered, read leniently.
///
/// Pronto documents both endpoints without the shape of their answers, so
/// the fields are whatever the JSON object holds: scalars by name, nested
/// objects' scalars by dotted name (`plan.name`), arrays by their length.
public enum AccountAnswer: Sendable, Equatable {
  /// 2xx: the fields found, in the order of the JSON text's keys (sorted).
  case fields([AccountField])
  /// 401 or 403: the key is refused.
  case keyRefused(status: Int)
  /// 404 or 405: this server does not have the endpoint.
  case absent(status: Int)
  /// Anything else: another status, a body that is not a JSON object, or no answer.
  case failed(String)

  /// The credit balance in a `/credits` answer: the first of the usual names
  /// (`credits_remaining`, `remaining_credits`, `credits`, `balance`,
  /// `remaining`, `available_credits`, `available`, at the top or one level
  /// down) that holds a number. `nil` when none does (`null` means unlimited).
  public var creditBalance: Double? {
    guard case .fields(let fields) = self else { return nil }
    let names = [
      "credits_remaining", "remaining_credits", "credits", "balance", "remaining",
      "available_credits", "available",
    ]
    for name in names {
      for field in fields where field.name == name || field.name.hasSuffix("." + name) {
        if let value = Double(field.value) { return value }
      }
    }
    return nil
  }

  /// Classifies an answer.
  ///
  /// - Parameters:
  ///   - status: The HTTP status.
  ///   - body: The body.
  ///   - redact: Removes the API key from text kept from the body.
  public static func classify(status: Int, body: Data, redact: (String) -> String) -> AccountAnswer
  {
    switch status {
    case 200..<300:
      guard case .object(let object)? = try? JSONDecoder().decode(LenientJSON.self, from: body)
      else {
        let text = redact(String(decoding: body.prefix(200), as: UTF8.self))
        return .failed("HTTP \(status) with a body that is not a JSON object: \(text)")
      }
      var fields: [AccountField] = []
      flatten(object, prefix: "", into: &fields, redact: redact)
      return .fields(fields)
    case 401, 403: return .keyRefused(status: status)
    case 404, 405: return .absent(status: status)
    default:
      let text = redact(String(decoding: body.prefix(200), as: UTF8.self))
      return .failed("HTTP \(status)\(text.isEmpty ? "" : ": \(text)")")
    }
  }

  private static func flatten(
    _ object: [String: LenientJSON], prefix: String, into fields: inout [AccountField],
    redact: (String) -> String
  ) {
    for key in object.keys.sorted() {
      let name = prefix + key
      switch object[key] {
      case .object(let nested)?: flatten(nested, prefix: name + ".", into: &fields, redact: redact)
      case .array(let count)?: fields.append(AccountField(name: name, value: "\(count) items"))
      case .bool(let b)?: fields.append(AccountField(name: name, value: b ? "true" : "false"))
      case .number(let text)?: fields.append(AccountField(name: name, value: text))
      case .string(let text)?: fields.append(AccountField(name: name, value: redact(text)))
      case .null?: fields.append(AccountField(name: name, value: "null"))
      case nil: continue
      }
    }
  }
}

/// Any JSON value, decoded without a schema (arrays only counted).
enum LenientJSON: Decodable {
  case object([String: LenientJSON])
  case array(Int)
  case bool(Bool)
  /// A number as text (`2500`, `12.5`).
  case number(String)
  case string(String)
  case null

  init(from decoder: any Decoder) throws {
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .null
    } else if let b = try? single.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? single.decode(Int64.self) {
      self = .number(String(n))
    } else if let d = try? single.decode(Double.self) {
      self = .number(String(d))
    } else if let s = try? single.decode(String.self) {
      self = .string(s)
    } else if let o = try? single.decode([String: LenientJSON].self) {
      self = .object(o)
    } else if let a = try? single.decode([LenientJSON].self) {
      self = .array(a.count)
    } else {
      throw DecodingError.dataCorruptedError(in: single, debugDescription: "not JSON")
    }
  }
}

/// One field of an account or credits answer.
public struct AccountField: Sendable, Equatable, Codable {
  /// The key (dotted for a nested object's field).
  public var name: String
  /// The value as text.
  public var value: String

  /// Creates a field.
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}
