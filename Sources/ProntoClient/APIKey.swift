import Foundation
import LeadsheetCore

/// Pronto's API key, kept out of every text leadsheet produces.
///
/// The key travels only in the `X-API-KEY` header. `description`,
/// `debugDescription`, string interpolation, `dump` and `Mirror` all show
/// `APIKey(redacted)`; the type is deliberately not `Codable`, so it cannot
/// end up in a job file or a report by accident.
///
///     let key = try APIKey.resolve(environment: ProcessInfo.processInfo.environment,
///                                  file: options.apiKeyFile)
///     print(key)  // APIKey(redacted)
public struct APIKey: Sendable, Hashable, CustomStringConvertible,
  CustomDebugStringConvertible, CustomReflectable
{
  /// The environment variable read by ``resolve(environment:file:)``.
  public static let environmentVariable = "PRONTO_API_KEY"

  /// The secret itself; read only by the client when it builds a request.
  let secret: String

  /// Creates a key from its text, trimmed of surrounding whitespace.
  ///
  /// Returns `nil` for an empty or blank value, or one holding a line break or
  /// other control character (it could not travel in a header).
  public init?(_ value: String) {
    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty,
      !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    else { return nil }
    self.secret = trimmed
  }

  /// Reads the key from a file holding it (surrounding whitespace ignored).
  ///
  /// - Throws: `LeadsheetError` `.unreadable` when the file cannot be read,
  ///   `.usage` when it holds no usable key. The message names the file, never
  ///   its content.
  public init(contentsOfFile path: String) throws {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw LeadsheetError(.unreadable, file: path, "cannot read the API key file")
    }
    guard let text = String(data: data, encoding: .utf8), let key = APIKey(text) else {
      throw LeadsheetError(
        .usage, file: path, "the API key file holds no usable key",
        hint: "put the key alone on the first line")
    }
    self = key
  }

  /// Finds the key: `--api-key-file PATH` when given, else `PRONTO_API_KEY`.
  ///
  /// - Parameters:
  ///   - environment: The process environment.
  ///   - file: The path given with `--api-key-file`, if any.
  /// - Throws: `LeadsheetError` `.usage` when neither gives a key, or the
  ///   file's error from ``init(contentsOfFile:)``.
  public static func resolve(environment: [String: String], file: String?) throws -> APIKey {
    if let file { return try APIKey(contentsOfFile: file) }
    if let value = environment[environmentVariable], let key = APIKey(value) { return key }
    throw LeadsheetError(
      .usage, "no Pronto API key",
      hint: "set \(environmentVariable) or pass --api-key-file PATH")
  }

  /// Removes the key from a text that might echo it (an API message, an error).
  public func redact(_ text: String) -> String {
    text.replacingOccurrences(of: secret, with: "[redacted]")
  }

  /// `APIKey(redacted)`.
  public var description: String { "APIKey(redacted)" }
  /// `APIKey(redacted)`.
  public var debugDescription: String { "APIKey(redacted)" }
  /// A mirror without children, so `dump` shows nothing of the secret.
  public var customMirror: Mirror {
    Mirror(self, children: [], displayStyle: .struct)
  }
}
