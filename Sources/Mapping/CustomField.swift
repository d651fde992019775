/// A column copied into the request's `custom` object, from `--map custom.KEY=Header`.
///
/// The API echoes `custom` back unchanged, which lets a result be matched
/// with a CRM record (`--map custom.hubspot_id="Record ID"`).
public struct CustomField: Sendable, Hashable, Codable {
  /// The key in the request's `custom` object.
  public var key: String
  /// The header of the column holding the value.
  public var header: String

  /// Creates a custom field.
  public init(key: String, header: String) {
    self.key = key
    self.header = header
  }
}
