/// A row's outcome in leadsheet's own vocabulary, as the `status` output column shows it.
public enum RowStatus: String, Sendable, Hashable, Codable, CaseIterable {
  /// The API returned `status: success`.
  case found
  /// The API returned `status: error`: nothing found.
  case notFound = "not_found"
  /// Never sent: the row cannot make a valid request (the reason goes to `message`).
  case invalid
  /// Gave up after retries, or a permanent API error (the error goes to `message`).
  case failed
  /// Not done yet.
  case pending
  /// Not sent on purpose (`--only-missing`).
  case skipped
}
