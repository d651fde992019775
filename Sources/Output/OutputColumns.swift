import Foundation
import LeadsheetCore

/// The result columns appended after the input's own columns, with their names and values.
///
/// The order is fixed: `email`, `email_status`, `personal_email` and
/// `personal_email_status` (only when `personal_email` was requested), `phones`,
/// `phone_status`, `status`, `message`, `enrichment_id`, `result_source`, `bought_at`.
///
/// **Name clashes.** When any appended name equals an input column name
/// (compared trimmed and case-insensitively: a HubSpot export already has
/// `Email`), *every* appended name gets the prefix (`pronto_email`,
/// `pronto_email_status`, …), not just the clashing one. A half-prefixed block
/// (`Email`, …, `pronto_email`, `email_status`) would read as if `email_status`
/// described the input's `Email`; prefixing the whole block keeps the appended
/// columns recognisable as one group. A name that still clashes after the prefix
/// gets `_2`, `_3`… When nothing clashes the names stay short.
///
///     let columns = OutputColumns(inputHeader: ["First", "Email"], requested: [.email])
///     columns.names  // ["pronto_email", "pronto_email_status", "pronto_phones", …]
public struct OutputColumns: Sendable, Hashable {
  /// One appended column.
  public enum Field: String, Sendable, Hashable, CaseIterable {
    /// The professional email found.
    case email
    /// The email's status as the API sent it.
    case emailStatus = "email_status"
    /// The personal email found (only when requested).
    case personalEmail = "personal_email"
    /// The personal email's status (only when requested).
    case personalEmailStatus = "personal_email_status"
    /// Phone numbers, E.164, joined with the phone separator.
    case phones
    /// The phone status as the API sent it.
    case phoneStatus = "phone_status"
    /// The row's outcome (`RowStatus`).
    case status
    /// Why the row is invalid, failed or not found.
    case message
    /// The API's enrichment id.
    case enrichmentID = "enrichment_id"
    /// `bought` (this job bought the answer), `reused` (taken from the contact store,
    /// bought by an earlier job) or `partly_reused` (some types each way); empty for
    /// rows without an answer.
    case resultSource = "result_source"
    /// When the answer was bought (the oldest purchase of a reused one), UTC, ISO 8601.
    case boughtAt = "bought_at"
  }

  /// The appended fields, in output order.
  public let fields: [Field]
  /// The appended column names, in output order, after clash handling.
  public let names: [String]
  /// Whether the prefix was applied (some base name clashed with an input column).
  public let isPrefixed: Bool
  /// The separator between phone numbers in the `phones` column.
  public let phoneSeparator: String

  /// Computes the appended columns for an input header.
  ///
  /// - Parameters:
  ///   - inputHeader: The input's column names, as written in the output.
  ///   - requested: The enrichment types asked for; `personal_email` adds two columns.
  ///   - prefix: The prefix for clashing names (`pronto_`).
  ///   - phoneSeparator: The separator between phone numbers (`; `).
  public init(
    inputHeader: [String], requested: [EnrichmentType], prefix: String = "pronto_",
    phoneSeparator: String = "; "
  ) {
    var fields = Field.allCases
    if !requested.contains(.personalEmail) {
      fields.removeAll { $0 == .personalEmail || $0 == .personalEmailStatus }
    }
    func key(_ s: String) -> String {
      s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
    var taken = Set(inputHeader.map(key))
    let clash = fields.contains { taken.contains(key($0.rawValue)) }
    var names: [String] = []
    for field in fields {
      let base = clash ? prefix + field.rawValue : field.rawValue
      var name = base
      var n = 2
      while taken.contains(key(name)) {
        name = "\(base)_\(n)"
        n += 1
      }
      taken.insert(key(name))
      names.append(name)
    }
    self.fields = fields
    self.names = names
    self.isPrefixed = clash
    self.phoneSeparator = phoneSeparator
  }

  /// Computes the appended columns with the prefix and phone separator of `options`.
  ///
  /// - Parameters:
  ///   - inputHeader: The input's column names.
  ///   - requested: The enrichment types asked for.
  ///   - options: Where the prefix and separator come from.
  public init(inputHeader: [String], requested: [EnrichmentType], options: OutputOptions) {
    self.init(
      inputHeader: inputHeader, requested: requested, prefix: options.columnPrefix,
      phoneSeparator: options.phoneSeparator)
  }

  /// The number of appended columns.
  public var count: Int { fields.count }

  /// The appended values of one row, in column order; `""` for what is absent.
  ///
  /// Values are raw: a writer applies `FormulaGuard` where its format needs it.
  public func values(for result: RowResult) -> [String] {
    fields.map { value(of: $0, in: result) }
  }

  /// The value of one appended field for a row.
  public func value(of field: Field, in result: RowResult) -> String {
    switch field {
    case .email: return result.email ?? ""
    case .emailStatus: return result.emailStatus ?? ""
    case .personalEmail: return result.personalEmail ?? ""
    case .personalEmailStatus: return result.personalEmailStatus ?? ""
    case .phones: return result.phones.joined(separator: phoneSeparator)
    case .phoneStatus: return result.phoneStatus ?? ""
    case .status: return result.status.rawValue
    case .message: return result.message ?? ""
    case .enrichmentID: return result.enrichmentID ?? ""
    case .resultSource: return result.source?.rawValue ?? ""
    case .boughtAt:
      guard let date = result.boughtAt else { return "" }
      return date.formatted(.iso8601)
    }
  }
}
