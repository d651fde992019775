/// What one input row ended with: the values the output appends after the original columns.
public struct RowResult: Sendable, Hashable, Codable {
  /// The row's outcome.
  public var status: RowStatus
  /// The professional email found.
  public var email: String?
  /// Its status as the API sent it.
  public var emailStatus: String?
  /// The personal email found.
  public var personalEmail: String?
  /// Its status as the API sent it.
  public var personalEmailStatus: String?
  /// Phone numbers, E.164.
  public var phones: [String]
  /// The phone status as the API sent it.
  public var phoneStatus: String?
  /// Why the row is invalid, failed or not found; the API's message when it gave one.
  public var message: String?
  /// The API's enrichment id.
  public var enrichmentID: String?

  /// Creates a result.
  public init(
    status: RowStatus, email: String? = nil, emailStatus: String? = nil,
    personalEmail: String? = nil, personalEmailStatus: String? = nil, phones: [String] = [],
    phoneStatus: String? = nil, message: String? = nil, enrichmentID: String? = nil
  ) {
    self.status = status
    self.email = email
    self.emailStatus = emailStatus
    self.personalEmail = personalEmail
    self.personalEmailStatus = personalEmailStatus
    self.phones = phones
    self.phoneStatus = phoneStatus
    self.message = message
    self.enrichmentID = enrichmentID
  }

  /// A row not done yet.
  public static let pending = RowResult(status: .pending)
}
