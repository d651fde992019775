import Foundation

/// How header names are compared: diacritics folded, case, spaces and punctuation ignored.
///
/// `Prénom` → `prenom`; `Person - First name` → `personfirstname`;
/// `linkedinUrl` → tokens `linkedin`, `url`. Tokens split at punctuation,
/// spaces, letter/digit changes and lower-to-upper case changes (camelCase).
public enum HeaderName {
  /// The comparison key of a header: folded, lowercased, only letters and digits.
  public static func normalize(_ header: String) -> String {
    tokens(header).joined()
  }

  /// The words of a header, folded and lowercased.
  public static func tokens(_ header: String) -> [String] {
    let folded = header.replacingOccurrences(of: "ß", with: "ss")
      .folding(options: .diacriticInsensitive, locale: nil)
    var tokens: [String] = []
    var current = ""
    var previous: Character?
    for c in folded {
      guard c.isLetter || c.isNumber else {
        if !current.isEmpty { tokens.append(current.lowercased()) }
        current = ""
        previous = nil
        continue
      }
      if let p = previous,
        (p.isLowercase && c.isUppercase) || (p.isLetter != c.isLetter)
      {
        tokens.append(current.lowercased())
        current = ""
      }
      current.append(c)
      previous = c
    }
    if !current.isEmpty { tokens.append(current.lowercased()) }
    return tokens
  }

  /// Words that carry no meaning in a header (`Contact First Name`, `Nom du contact`).
  ///
  /// Removed before a partial comparison, with numbers (`Email 1`).
  public static let fillerWords: Set<String> = [
    "contact", "contacts", "contacto", "kontakt", "person", "persona", "personne", "lead",
    "leads", "prospect", "prospecto", "the", "of", "de", "du", "des", "la", "le", "les", "l",
    "d", "del", "el", "los", "las", "y", "und", "der", "die", "das", "current", "primary",
    "main", "principal", "required", "obligatoire", "optional", "your", "new",
  ]

  /// The meaningful part of a header for a partial comparison.
  ///
  /// Tokens minus filler words, numbers and the field's qualifiers, joined.
  static func core(_ tokens: [String], qualifiers: Set<String>) -> String {
    tokens.filter {
      !fillerWords.contains($0) && !qualifiers.contains($0) && !$0.allSatisfy(\.isNumber)
    }.joined()
  }
}
