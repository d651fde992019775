/// Writes a `CoverageReport` as Markdown, to paste into a ticket or a wiki.
///
/// Tables are GitHub-flavoured; text from the user's data has its `|`,
/// backslashes, backticks, `<`, `>` and emphasis characters escaped so it
/// cannot break a table or inject HTML.
public struct MarkdownRenderer: ReportRenderer {
  /// Creates a renderer.
  public init() {}

  /// The report as Markdown ending with a newline.
  public func render(_ report: CoverageReport) -> String {
    var out = "# Enrichment report: \(Self.escape(report.job.inputPath))\n\n"
    out += Self.escape(ReportLayout.headline(report)) + "  \n"
    out += Self.escape(ReportLayout.subline(report)) + "\n"
    for section in ReportLayout.sections(report) {
      out += "\n## \(Self.escape(section.title))\n"
      for table in section.tables { out += "\n" + render(table) }
    }
    if !report.notes.isEmpty {
      out += "\n## What to do\n\n"
      for note in report.notes { out += "- " + Self.escape(note, keepCode: true) + "\n" }
    }
    return out
  }

  func render(_ table: ReportTable) -> String {
    var out = "**\(Self.escape(table.title))**\n\n"
    let header = table.columns.map { $0.isEmpty ? " " : Self.escape($0) }
    out += "| " + header.joined(separator: " | ") + " |\n"
    out +=
      "|"
      + table.columns.indices.map { table.numeric.contains($0) ? "---:" : "---" }
      .joined(separator: "|") + "|\n"
    for row in table.rows {
      out += "| " + row.map { Self.escape($0) }.joined(separator: " | ") + " |\n"
    }
    if let caption = table.caption { out += "\n_\(Self.escape(caption, keepCode: true))_\n" }
    return out
  }

  /// Escapes text for a Markdown table cell or paragraph.
  public static func escape(_ text: String, keepCode: Bool = false) -> String {
    var out = ""
    let chars = Array(text.replacingNewlines())
    for (i, ch) in chars.enumerated() {
      switch ch {
      case "_":
        // Inside a word (`personal_email`) an underscore is never emphasis in GFM.
        let inWord =
          i > 0 && i + 1 < chars.count && chars[i - 1].isLetterOrDigit
          && chars[i + 1].isLetterOrDigit
        out += inWord ? "_" : "\\_"
      case "|", "\\", "*", "[", "]", "#": out += "\\\(ch)"
      case "`": out += keepCode ? "`" : "\\`"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      default: out.append(ch)
      }
    }
    return out
  }
}

extension Character {
  var isLetterOrDigit: Bool { isLetter || isNumber }
}
