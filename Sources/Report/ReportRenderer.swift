/// Something that draws a `CoverageReport` in one format.
public protocol ReportRenderer {
  /// The report in this renderer's format, as text ending with a newline.
  func render(_ report: CoverageReport) -> String
}

/// The formats `leadsheet report --format` offers.
public enum ReportOutputFormat: String, Sendable, Hashable, CaseIterable {
  /// Aligned tables with bar glyphs, for the terminal.
  case text
  /// The `CoverageReport` schema (`docs/report.md`).
  case json
  /// Markdown, to paste into a ticket or a wiki.
  case md
  /// One self-contained HTML file with inline SVG charts.
  case html

  /// The renderer of this format.
  public var renderer: any ReportRenderer {
    switch self {
    case .text: TextRenderer()
    case .json: JSONRenderer()
    case .md: MarkdownRenderer()
    case .html: HTMLRenderer()
    }
  }
}
