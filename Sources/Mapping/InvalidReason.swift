/// Why a row cannot make a valid request; the row is never sent.
///
/// `code` is stable (output `message` column, `inspect --json` counters);
/// `message` is for people.
public enum InvalidReason: String, Sendable, Hashable, Codable, CaseIterable {
  /// Neither a first nor a last name (nor a full name that splits).
  case missingName = "missing_name"
  /// A last name but no first name.
  case missingFirstName = "missing_first_name"
  /// A first name but no last name.
  case missingLastName = "missing_last_name"
  /// Only `phone`/`personal_email` were requested and there is no usable LinkedIn URL.
  case missingLinkedInURL = "missing_linkedin_url"

  /// A stable machine code (`missing_first_name`).
  public var code: String { rawValue }

  /// A human sentence.
  public var message: String {
    switch self {
    case .missingName: return "the row has no first or last name"
    case .missingFirstName: return "the row has no first name"
    case .missingLastName: return "the row has no last name"
    case .missingLinkedInURL:
      return "phone and personal email need a LinkedIn profile URL and the row has none usable"
    }
  }
}
