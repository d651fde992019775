/// When a staged type (phone, personal email) is bought: `--phone-if`,
/// `--personal-email-if`.
public enum StageCondition: String, Sendable, Hashable, CaseIterable, Codable {
  /// Always, with the email, in the same request (today's behaviour, the default).
  case always
  /// Only for contacts whose email request found nothing.
  case noEmail = "no-email"
  /// Also where the email found is not `deliverable`/`valid` (`catch-all`,
  /// `invalid`, `N/A`, …).
  case emailRisky = "email-risky"

  /// The email statuses that count as safe under `email-risky`.
  public static let safeEmailStatuses: Set<String> = ["deliverable", "valid"]

  /// Whether the staged type is bought, given whether an email was found and its status.
  public func allows(emailFound: Bool, emailStatus: String?) -> Bool {
    switch self {
    case .always: return true
    case .noEmail: return !emailFound
    case .emailRisky:
      guard emailFound else { return true }
      let status = (emailStatus ?? "").lowercased()
      return !Self.safeEmailStatuses.contains(status)
    }
  }

  /// Reads `always`, `no-email` or `email-risky` (`nil` otherwise).
  public init?(argument: String) {
    self.init(rawValue: argument.trimmingCharacters(in: .whitespaces).lowercased())
  }
}
