/// One field of a `ColumnMapping`: the column it reads and why.
public struct FieldAssignment: Sendable, Hashable, Codable {
  /// The field.
  public var field: RequestField
  /// The 0-based column index.
  public var column: Int
  /// The column's header.
  public var header: String
  /// How the column was chosen.
  public var decision: MappingDecision

  /// Creates an assignment.
  public init(field: RequestField, column: Int, header: String, decision: MappingDecision) {
    self.field = field
    self.column = column
    self.header = header
    self.decision = decision
  }
}
