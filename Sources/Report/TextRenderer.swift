/// Draws a `CoverageReport` for the terminal: headings, aligned tables, bar glyphs.
///
/// Lines stay within about 100 columns except where a user's value is long
/// (a `--by` value, an example message), which is cut with `…`.
public struct TextRenderer: ReportRenderer {
  /// Width of the bars drawn after rate columns.
  public var barWidth: Int
  /// The longest text cell before it is cut.
  public var maxCellWidth: Int

  /// Creates a renderer.
  public init(barWidth: Int = 12, maxCellWidth: Int = 30) {
    self.barWidth = barWidth
    self.maxCellWidth = maxCellWidth
  }

  /// The report as text ending with a newline.
  public func render(_ report: CoverageReport) -> String {
    var out = ReportLayout.headline(report) + "\n" + ReportLayout.subline(report) + "\n"
    for section in ReportLayout.sections(report) {
      out += "\n" + section.title.uppercased() + "\n"
      for table in section.tables { out += "\n" + render(table) }
    }
    if !report.notes.isEmpty {
      out += "\nWHAT TO DO\n\n"
      for note in report.notes { out += wrap("• " + note, indent: "  ", next: "    ") }
    }
    return out
  }

  /// The short form `enrich` prints when it ends: the summary table and what to do.
  ///
  /// `leadsheet report JOB` prints the whole report.
  public func renderSummary(_ report: CoverageReport) -> String {
    var out = ReportLayout.headline(report) + "\n" + "API: \(ReportLayout.api(report))\n"
    for section in ReportLayout.sections(report) where section.id == "summary" {
      for table in section.tables { out += "\n" + render(table) }
    }
    if !report.notes.isEmpty {
      out += "\nWhat to do\n"
      for note in report.notes { out += wrap("• " + note, indent: "  ", next: "    ") }
    }
    return out
  }

  func render(_ table: ReportTable) -> String {
    let cells = table.rows.map { $0.map { table.columns.count > 2 ? cut($0) : $0 } }
    var widths = table.columns.map(\.count)
    for row in cells {
      for (i, cell) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], cell.count)
      }
    }
    func line(_ row: [String], bar: String?) -> String {
      var parts: [String] = []
      for (i, cell) in row.enumerated() {
        let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
        parts.append(table.numeric.contains(i) ? pad + cell : cell + pad)
        if let bar, table.bar?.column == i { parts.append(bar) }
      }
      return "  " + parts.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
    }
    var out = "  " + table.title + "\n"
    let headerBar = table.bar.map { _ in String(repeating: " ", count: barWidth + 2) }
    if table.columns.count > 2 { out += line(table.columns, bar: headerBar) }
    for (r, row) in cells.enumerated() {
      let bar = table.bar.map { "▕" + ReportFormat.bar($0.rates[r], width: barWidth) + "▏" }
      out += line(row, bar: bar)
    }
    if let caption = table.caption { out += wrap(caption, indent: "  ") }
    return out
  }

  func cut(_ s: String) -> String {
    let oneLine = s.replacingNewlines()
    guard oneLine.count > maxCellWidth else { return oneLine }
    return String(oneLine.prefix(maxCellWidth - 1)) + "…"
  }

  func wrap(_ text: String, indent: String, next: String? = nil, width: Int = 96) -> String {
    var out = ""
    var start = indent
    var line = indent
    for word in text.replacingNewlines().split(separator: " ") {
      if line.count + word.count + 1 > width, line != start {
        out += line + "\n"
        start = next ?? indent
        line = start
      }
      line += (line == start ? "" : " ") + word
    }
    return out + line + "\n"
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }

  /// Newlines and tabs as spaces, so a cell stays on one line.
  func replacingNewlines() -> String {
    String(map { $0.isNewline || $0 == "\t" ? " " : $0 })
  }
}
