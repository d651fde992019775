import Foundation

/// A data point Pronto's single-enrich endpoint can look for.
public enum EnrichmentType: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// A professional email address.
  case email
  /// Phone numbers (requires `linkedin_url`).
  case phone
  /// A personal email address (requires `linkedin_url` and the account's consent).
  case personalEmail = "personal_email"

  /// Whether the API requires `linkedin_url` for this type.
  public var requiresLinkedInURL: Bool { self != .email }

  public static func < (a: Self, b: Self) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// Parses a comma-separated list such as `email,phone`.
  ///
  /// - Throws: `LeadsheetError` with code `.usage` for an unknown or empty list.
  public static func parseList(_ text: String) throws -> [EnrichmentType] {
    var result: [EnrichmentType] = []
    for part in text.split(separator: ",") {
      let name = part.trimmingCharacters(in: .whitespaces).lowercased()
        .replacingOccurrences(of: "-", with: "_")
      guard let type = EnrichmentType(rawValue: name) else {
        throw LeadsheetError(
          .usage, "unknown enrichment type '\(part)'",
          hint: "use email, phone and/or personal_email")
      }
      if !result.contains(type) { result.append(type) }
    }
    guard !result.isEmpty else {
      throw LeadsheetError(
        .usage, "no enrichment type given", hint: "use email, phone and/or personal_email")
    }
    return result.sorted()
  }
}
