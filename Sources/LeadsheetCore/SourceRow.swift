/// One record of an input file, with where it came from.
public struct SourceRow: Sendable, Hashable {
  /// Where the record starts: the 1-based physical line of a CSV file (a quoted
  /// field may span several lines), or the 1-based row number of a sheet.
  public var number: Int
  /// The cells of the record, left to right. For XLSX, missing cells in a
  /// sparse row are `Cell.empty`.
  public var cells: [Cell]

  /// Creates a row.
  public init(number: Int, cells: [Cell]) {
    self.number = number
    self.cells = cells
  }

  /// Whether every cell is blank.
  public var isBlank: Bool { cells.allSatisfy(\.isBlank) }
}
