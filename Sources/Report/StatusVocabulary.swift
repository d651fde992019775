import Foundation

/// What a status value the API sent means, whichever API sent it.
///
/// Pronto's two APIs name an email's quality differently: the synchronous one
/// says `valid`, `invalid`, `catch_all` (or `catch-all`); the asynchronous one
/// says `deliverable`, `catch-all`, `N/A`; personal emails come as `valid`,
/// `invalid`, `catch-all`, `N/A`. The report counts them as one vocabulary:
///
/// | sent | counted as |
/// |---|---|
/// | `valid`, `deliverable` | `valid` |
/// | `catch_all`, `catch-all`, `catchall`, `risky` | `catch_all` |
/// | `invalid`, `undeliverable` | `invalid` |
/// | `N/A`, empty, absent | `none` |
/// | anything else (`not_found`, `unknown`…) | `other` |
///
/// Only counts use it: status breakdowns and output columns keep the value as sent.
public enum StatusVocabulary {
  /// The class of a status value as sent (case and surrounding spaces ignored).
  public static func verdict(_ sent: String?) -> String {
    guard let sent else { return "none" }
    switch sent.trimmingCharacters(in: .whitespaces).lowercased() {
    case "valid", "deliverable": return "valid"
    case "catch_all", "catch-all", "catchall", "catch all", "risky": return "catch_all"
    case "invalid", "undeliverable": return "invalid"
    case "", "n/a", "na", "(none)": return "none"
    default: return "other"
    }
  }
}
