/// A job's identifier: 6 characters a person can read aloud and type.
///
/// Drawn from a 31-character alphabet without look-alikes (`0`/`o`, `1`/`l`/`i`):
/// `23456789abcdefghjkmnpqrstuvwxyz`, which gives about 887 million ids. Parsing
/// is case-insensitive (`K7M2QX` is `k7m2qx`).
public struct JobID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// The characters ids are made of.
  public static let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")
  /// The number of characters in an id.
  public static let length = 6

  /// The id, lowercase.
  public let rawValue: String

  /// Parses an id typed by a user; `nil` when it is not 6 characters of the alphabet.
  public init?(_ text: String) {
    let lower = text.lowercased()
    guard lower.count == Self.length, lower.allSatisfy(Self.alphabet.contains) else { return nil }
    rawValue = lower
  }

  /// A new random id.
  public static func random() -> JobID {
    var generator = SystemRandomNumberGenerator()
    return random(using: &generator)
  }

  /// A new random id from `generator`.
  public static func random(using generator: inout some RandomNumberGenerator) -> JobID {
    let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    return JobID(text)!
  }

  /// The id as shown and typed.
  public var description: String { rawValue }

  /// Orders ids alphabetically.
  public static func < (a: JobID, b: JobID) -> Bool { a.rawValue < b.rawValue }
}
