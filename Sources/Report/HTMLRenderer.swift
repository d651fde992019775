/// Writes a `CoverageReport` as one self-contained HTML page with inline SVG charts.
///
/// No script, no font, no image and no style from the network: the page
/// reads the same from disk, offline, and printed. Charts: found rate per
/// type, status breakdowns, coverage with and without each field, and one
/// per `--by` column. Every text from the user's data (file names, column
/// names and values, messages) is escaped.
public struct HTMLRenderer: ReportRenderer {
  /// Creates a renderer.
  public init() {}

  private typealias F = ReportFormat

  /// The page, ending with a newline.
  public func render(_ report: CoverageReport) -> String {
    let r = report
    var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    h += "<title>Enrichment report · \(Self.escape(r.job.inputPath))</title>"
    h += "<style>\(Self.css)</style></head><body><main>"
    h += "<header><h1>Enrichment report</h1>"
    h += "<p class=\"file\">\(Self.escape(ReportLayout.headline(r)))</p>"
    h += "<p class=\"sub\">\(Self.escape(ReportLayout.subline(r)))</p></header>"
    h += kpis(r)
    h += charts(r)
    if !r.notes.isEmpty {
      h += "<section id=\"todo\"><h2>What to do</h2><ul class=\"notes\">"
      for note in r.notes { h += "<li>\(Self.escape(note))</li>" }
      h += "</ul></section>"
    }
    for section in ReportLayout.sections(r) where section.id != "summary" {
      h += "<section id=\"\(Self.escape(section.id))\"><h2>\(Self.escape(section.title))</h2>"
      if section.id.hasPrefix("by-"), let i = Int(section.id.dropFirst(3)), i < r.groups.count {
        h += byChart(r.groups[i], index: i)
      }
      for table in section.tables { h += render(table) }
      h += "</section>"
    }
    h += "<footer>leadsheet · report schema \(r.schemaVersion) · \(Self.escape(r.generatedAt))"
    h += "</footer></main></body></html>\n"
    return h
  }

  // MARK: Parts

  func kpis(_ r: CoverageReport) -> String {
    let answered = r.rowsByStatus.found + r.rowsByStatus.notFound
    var cards: [(String, String, String)] = [
      ("Rows", F.count(r.input.rows), "\(F.count(r.input.validRows)) valid"),
      (
        "Found", F.count(r.rowsByStatus.found),
        "\(F.percent(fraction(r.rowsByStatus.found, answered))) of answered"
      ),
    ]
    for t in r.results {
      cards.append(
        (F.typeLabel(t.type), F.percent(t.foundRate), "\(F.count(t.foundRows)) rows"))
    }
    if let s = r.spending {
      cards.append(
        (
          "Credits spent", F.count(s.creditsSpent),
          "\(s.billing)"
            + (s.maxCredits.map { " · budget \(F.count($0)), \(F.count(s.budgetLeft ?? 0)) left" }
              ?? "")
        ))
    } else {
      cards.append(
        (
          "Credits billed", F.count(r.cost.creditsBilled),
          "\(F.count(r.cost.requestsBilled)) requests"
        ))
    }
    if let bill = r.accountBill, let charged = bill.creditsCharged {
      cards.append(
        (
          "Charged (account)", F.credits(charged),
          "leadsheet counted \(F.count(bill.creditsCountedMeasured))"
            + (bill.latestBalance.map { " · balance \(F.credits($0))" } ?? "")
        ))
    }
    cards.append(
      (
        "Credits saved", F.count(r.cost.creditsSaved),
        "\(F.count(r.input.duplicateRows)) duplicates"
      ))
    if r.rowsByStatus.pending > 0 {
      cards.append(("Pending", F.count(r.rowsByStatus.pending), "rows not done yet"))
    }
    var h = "<section class=\"kpis\">"
    for (title, value, detail) in cards {
      h += "<div class=\"kpi\"><div class=\"kt\">\(Self.escape(title))</div>"
      h += "<div class=\"kv\">\(Self.escape(value))</div>"
      h += "<div class=\"kd\">\(Self.escape(detail))</div></div>"
    }
    return h + "</section>"
  }

  func charts(_ r: CoverageReport) -> String {
    var h = "<section id=\"charts\"><h2>Found rates</h2>"
    var bars = r.results.map {
      SVGChart.Bar(
        label: F.typeLabel($0.type), rate: $0.foundRate,
        detail: "\(F.count($0.foundRows)) of \(F.count($0.answeredRows))")
    }
    if let both = r.bothEmailAndPhone {
      bars.append(
        SVGChart.Bar(
          label: "Email and phone", rate: both.rate,
          detail: "\(F.count(both.rows)) of \(F.count(both.outOf))"))
    }
    h += figure(
      SVGChart.bars(name: "found-rates", title: "Found rate by type", bars: bars),
      caption: "Found rows over answered rows, per type asked.")
    let stacked = r.results.map { t in
      (
        label: "\(F.typeLabel(t.type)) (\(ReportLayout.statusField(t.type)))",
        segments: t.statusBreakdown.map {
          SVGChart.Segment(name: $0.name, rows: $0.rows, share: $0.share)
        }
      )
    }
    h += figure(
      SVGChart.stacked(name: "status-breakdown", title: "Status breakdown", rows: stacked),
      caption: "The status the API sent for each answered row, as sent.")
    let pairs = r.coverage.map { split in
      (
        label: split.field,
        with: SVGChart.Bar(
          label: split.with.label, rate: split.with.anyFound.rate,
          detail: "of \(F.count(split.with.answeredRows))"),
        without: SVGChart.Bar(
          label: split.without.label, rate: split.without.anyFound.rate,
          detail: "of \(F.count(split.without.answeredRows))")
      )
    }
    h += figure(
      SVGChart.pairs(
        name: "coverage", title: "Found rate with and without each field", pairs: pairs),
      caption: "Rows with anything found, with and without the field in the request: "
        + "what to add to the list.")
    return h + "</section>"
  }

  func byChart(_ g: ColumnGroups, index: Int) -> String {
    let groups = g.top + (g.rest.map { [$0] } ?? [])
    let bars = groups.map {
      SVGChart.Bar(
        label: $0.label, rate: $0.anyFound.rate,
        detail: "\(F.count($0.anyFound.rows)) of \(F.count($0.answeredRows))")
    }
    return figure(
      SVGChart.bars(
        name: "by-\(index)", title: "Found rate by \(g.column)", bars: bars, color: "#8a5cd1"),
      caption: "Rows with anything found over answered rows, per value of \(g.column).")
  }

  func figure(_ svg: String, caption: String) -> String {
    "<figure>\(svg)<figcaption>\(Self.escape(caption))</figcaption></figure>"
  }

  func render(_ table: ReportTable) -> String {
    var h = "<table><caption>\(Self.escape(table.title))</caption><thead><tr>"
    for (i, c) in table.columns.enumerated() {
      h += "<th\(table.numeric.contains(i) ? " class=\"n\"" : "")>\(Self.escape(c))</th>"
    }
    h += "</tr></thead><tbody>"
    for row in table.rows {
      h += "<tr>"
      for (i, c) in row.enumerated() {
        h += "<td\(table.numeric.contains(i) ? " class=\"n\"" : "")>\(Self.escape(c))</td>"
      }
      h += "</tr>"
    }
    h += "</tbody></table>"
    if let caption = table.caption { h += "<p class=\"cap\">\(Self.escape(caption))</p>" }
    return h
  }

  /// Escapes text for HTML element content and quoted attribute values.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for ch in text.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default:
        // Control characters other than tab and newlines are not allowed in HTML text.
        if ch.value < 0x20, ch != "\t", ch != "\n", ch != "\r" {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(ch)
        }
      }
    }
    return out
  }

  static let css = """
    :root{color-scheme:light}
    body{margin:0;background:#f5f7fa;color:#1d2330;
    font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    main{max-width:1080px;margin:0 auto;padding:24px 32px 48px}
    header h1{margin:0 0 4px;font-size:26px}
    .file{margin:0;font-weight:600}.sub{margin:2px 0 0;color:#5b6577}
    h2{font-size:18px;margin:28px 0 10px;border-bottom:2px solid #dde3ec;padding-bottom:4px}
    section{break-inside:avoid-page}
    .kpis{display:flex;flex-wrap:wrap;gap:12px;margin-top:18px}
    .kpi{background:#fff;border:1px solid #dde3ec;border-radius:8px;padding:10px 16px;
    min-width:120px;flex:1}
    .kt{color:#5b6577;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
    .kv{font-size:26px;font-weight:700}.kd{color:#5b6577;font-size:12px}
    figure{background:#fff;border:1px solid #dde3ec;border-radius:8px;margin:12px 0;
    padding:12px 12px 6px;break-inside:avoid}
    figcaption{color:#5b6577;font-size:12px;margin-top:4px}
    svg.chart{max-width:100%;height:auto;display:block}
    svg .l{font-size:13px;fill:#1d2330}svg .b{font-weight:600}
    svg .v{font-size:13px;font-weight:600;fill:#1d2330}
    svg .d{font-size:11px;font-weight:400;fill:#5b6577}
    svg .in{font-size:11px;fill:#fff;font-weight:600}
    svg .g{stroke:#dde3ec;stroke-width:1}
    table{border-collapse:collapse;background:#fff;margin:10px 0 2px;min-width:50%;
    border:1px solid #dde3ec;break-inside:avoid}
    caption{text-align:left;font-weight:600;padding:4px 0}
    th,td{padding:4px 10px;border-bottom:1px solid #eef1f6;text-align:left;
    vertical-align:top;max-width:420px;overflow-wrap:anywhere}
    th{background:#f0f3f8;font-weight:600;font-size:12px}
    .n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .cap{color:#5b6577;font-size:12px;margin:2px 0 12px}
    .notes li{margin:4px 0}
    footer{margin-top:32px;color:#8a93a3;font-size:12px}
    @media print{body{background:#fff}main{padding:0}figure,.kpi{border-color:#ccc}}
    """
}
