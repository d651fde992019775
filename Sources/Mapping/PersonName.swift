/// A first and last name, as split from a full name.
public struct PersonName: Sendable, Hashable, Codable {
  /// The first name (`Jean-Pierre`, `María José`).
  public var first: String
  /// The last name (`Dupont`, `de Gaulle`, `García López`).
  public var last: String

  /// Creates a name.
  public init(first: String, last: String) {
    self.first = first
    self.last = last
  }
}
