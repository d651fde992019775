/// A table of a report as the renderers draw it: already formatted text cells.
///
/// `ReportLayout` makes the tables from a `CoverageReport` once; the text,
/// Markdown and HTML renderers only lay them out, so they show the same
/// numbers written the same way.
public struct ReportTable: Sendable, Hashable {
  /// The table's title (`Results by type`).
  public var title: String
  /// Column headers.
  public var columns: [String]
  /// Rows of cells, each as wide as `columns`.
  public var rows: [[String]]
  /// Columns whose cells are numbers (right-aligned).
  public var numeric: Set<Int>
  /// The column whose rate the text renderer draws as a bar, with each row's rate.
  public var bar: (column: Int, rates: [Double?])?
  /// A sentence under the table (what the denominator is).
  public var caption: String?

  /// Creates a table.
  public init(
    title: String, columns: [String], rows: [[String]], numeric: Set<Int> = [],
    bar: (column: Int, rates: [Double?])? = nil, caption: String? = nil
  ) {
    self.title = title
    self.columns = columns
    self.rows = rows
    self.numeric = numeric
    self.bar = bar
    self.caption = caption
  }

  public static func == (a: ReportTable, b: ReportTable) -> Bool {
    a.title == b.title && a.columns == b.columns && a.rows == b.rows && a.numeric == b.numeric
      && a.bar?.column == b.bar?.column && a.bar?.rates == b.bar?.rates && a.caption == b.caption
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(title)
    hasher.combine(rows)
  }
}

/// A part of a report: a heading and its tables.
public struct ReportSection: Sendable, Hashable {
  /// Stable id (`input`, `results`, `coverage`, `by-country`…), for HTML anchors.
  public var id: String
  /// The heading.
  public var title: String
  /// The tables, in order.
  public var tables: [ReportTable]

  /// Creates a section.
  public init(id: String, title: String, tables: [ReportTable]) {
    self.id = id
    self.title = title
    self.tables = tables
  }
}
