import LeadsheetCore

/// A counted, non-fatal problem met while reading a file (`inspect` and `enrich` print them).
///
/// One warning per kind, counting every occurrence and naming the first:
/// `leads.csv:88: 3 fields were not valid UTF-8 and were read as Windows-1252`.
public struct IngestWarning: Sendable, Hashable, Codable {
  /// A stable identifier of the kind of problem (`invalid-utf8`, `padded-rows`…).
  public var kind: String
  /// How many times it happened.
  public var count: Int
  /// Where it first happened, rendered (`88`, `Sheet1!C12`).
  public var firstLocation: String?
  /// A sentence describing the problem and its consequence.
  public var message: String

  /// Creates a warning.
  public init(kind: String, count: Int, firstLocation: String?, message: String) {
    self.kind = kind
    self.count = count
    self.firstLocation = firstLocation
    self.message = message
  }
}
