import Foundation

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
  /// Whether the answer was bought by this job or reused from an earlier one
  /// (`nil` for rows without an answer).
  public var source: ResultSource?
  /// When the answer was bought (the oldest purchase of a reused one).
  public var boughtAt: Date?

  /// Where a row's answer came from.
  public enum ResultSource: String, Sendable, Hashable, Codable {
    /// Bought by this job.
    case bought
    /// Taken from the contact store: bought by an earlier job.
    case reused
    /// Some types bought, some reused.
    case partlyReused = "partly_reused"
  }

  /// Creates a result.
  public init(
    status: RowStatus, email: String? = nil, emailStatus: String? = nil,
    personalEmail: String? = nil, personalEmailStatus: String? = nil, phones: [String] = [],
    phoneStatus: String? = nil, message: String? = nil, enrichmentID: String? = nil,
    source: ResultSource? = nil, boughtAt: Date? = nil
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
    self.source = source
    self.boughtAt = boughtAt
  }

  /// A row not done yet.
  public static let pending = RowResult(status: .pending)
}
