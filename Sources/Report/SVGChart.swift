/// Inline SVG charts for the HTML report: no script, no external asset.
///
/// Every text from the user's data goes through `HTMLRenderer.escape`. Each
/// chart carries `data-chart="NAME"` so that a browser check can find it.
enum SVGChart {
  /// One bar of a bar chart.
  struct Bar {
    var label: String
    var rate: Double?
    var detail: String
  }

  /// One segment of a stacked bar.
  struct Segment {
    var name: String
    var rows: Int
    var share: Double?
  }

  static let width = 720
  static let labelWidth = 220
  static let barArea = 360

  /// Horizontal bars of rates (0…100 %), a label on the left and the figure on the right.
  static func bars(name: String, title: String, bars: [Bar], color: String = "#2f6fde") -> String {
    let row = 28
    let height = bars.count * row + 28
    var s = open(name: name, title: title, height: height)
    s += gridLines(top: 4, bottom: height - 22)
    for (i, bar) in bars.enumerated() {
      let y = i * row + 6
      let w = Int(((bar.rate ?? 0) * Double(barArea)).rounded())
      let label = short(bar.label, 30)
      s += "<g><title>\(esc(bar.label)): \(esc(ReportFormat.percent(bar.rate))) \(esc(bar.detail))"
      s += "</title>"
      s += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\" class=\"l\">"
      s += "\(esc(label))</text>"
      s += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(barArea)\" height=\"20\" rx=\"3\" "
      s += "fill=\"#eef1f6\"/>"
      s += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(w)\" height=\"20\" "
      s += "rx=\"3\" fill=\"\(color)\"/>"
      s += "<text x=\"\(labelWidth + barArea + 8)\" y=\"\(y + 15)\" class=\"v\">"
      s += "\(esc(ReportFormat.percent(bar.rate)))"
      s += "<tspan class=\"d\"> \(esc(bar.detail))</tspan></text></g>"
    }
    s += axis(y: height - 8)
    return s + "</svg>"
  }

  /// Pairs of bars (with / without a field), for the coverage chart.
  static func pairs(
    name: String, title: String, pairs: [(label: String, with: Bar, without: Bar)]
  ) -> String {
    let block = 62
    let height = pairs.count * block + 44
    var s = open(name: name, title: title, height: height)
    s += gridLines(top: 4, bottom: height - 38)
    for (i, pair) in pairs.enumerated() {
      let y = i * block + 6
      s += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 30)\" text-anchor=\"end\" class=\"l b\">"
      s += "\(esc(pair.label))</text>"
      for (j, bar) in [pair.with, pair.without].enumerated() {
        let by = y + j * 26
        let w = Int(((bar.rate ?? 0) * Double(barArea)).rounded())
        let color = j == 0 ? "#1f9d6b" : "#d9822b"
        s += "<g><title>\(esc(bar.label)): \(esc(ReportFormat.percent(bar.rate)))</title>"
        s += "<rect x=\"\(labelWidth)\" y=\"\(by)\" width=\"\(barArea)\" height=\"20\" rx=\"3\" "
        s += "fill=\"#eef1f6\"/>"
        s += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(by)\" width=\"\(w)\" height=\"20\" "
        s += "rx=\"3\" fill=\"\(color)\"/>"
        s += "<text x=\"\(labelWidth + barArea + 8)\" y=\"\(by + 15)\" class=\"v\">"
        s += "\(esc(ReportFormat.percent(bar.rate)))<tspan class=\"d\"> \(esc(bar.detail))"
        s += "</tspan></text></g>"
      }
    }
    s += axis(y: height - 24)
    s += legend(
      y: height - 6, items: [("with the field", "#1f9d6b"), ("without", "#d9822b")])
    return s + "</svg>"
  }

  /// One 100 % stacked bar per type: its status values, with a legend.
  static func stacked(name: String, title: String, rows: [(label: String, segments: [Segment])])
    -> String
  {
    let row = 30
    var names: [String] = []
    for r in rows {
      for seg in r.segments where !names.contains(seg.name) { names.append(seg.name) }
    }
    let legendRows = (names.count + 4) / 5
    let height = rows.count * row + 12 + legendRows * 20
    var s = open(name: name, title: title, height: height)
    let full = barArea + 120
    for (i, r) in rows.enumerated() {
      let y = i * row + 6
      s += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\" class=\"l\">"
      s += "\(esc(short(r.label, 30)))</text>"
      s += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(full)\" height=\"20\" fill=\"#eef1f6\"/>"
      var x = Double(labelWidth)
      for seg in r.segments {
        let w = (seg.share ?? 0) * Double(full)
        guard w > 0 else { continue }
        s += "<g><title>\(esc(seg.name)): \(ReportFormat.count(seg.rows)) rows, "
        s += "\(esc(ReportFormat.percent(seg.share)))</title>"
        s += "<rect class=\"bar\" x=\"\(fmt(x))\" y=\"\(y)\" width=\"\(fmt(w))\" height=\"20\" "
        s += "fill=\"\(color(for: seg.name, in: names))\"/>"
        if w > 44 {
          s += "<text x=\"\(fmt(x + 4))\" y=\"\(y + 15)\" class=\"in\">"
          s += "\(esc(ReportFormat.percent(seg.share)))</text>"
        }
        s += "</g>"
        x += w
      }
    }
    for (k, item) in names.enumerated() {
      let lx = labelWidth + (k % 5) * 100
      let ly = rows.count * row + 20 + (k / 5) * 20
      s += "<rect x=\"\(lx)\" y=\"\(ly - 10)\" width=\"12\" height=\"12\" "
      s += "fill=\"\(color(for: item, in: names))\"/>"
      s += "<text x=\"\(lx + 16)\" y=\"\(ly)\" class=\"d\">\(esc(short(item, 12)))</text>"
    }
    return s + "</svg>"
  }

  // MARK: Pieces

  static func open(name: String, title: String, height: Int) -> String {
    "<svg class=\"chart\" data-chart=\"\(esc(name))\" xmlns=\"http://www.w3.org/2000/svg\" "
      + "viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" "
      + "role=\"img\" aria-label=\"\(esc(title))\"><title>\(esc(title))</title>"
  }

  static func gridLines(top: Int, bottom: Int) -> String {
    var s = ""
    for k in 1...3 {
      let x = labelWidth + barArea * k / 4
      s += "<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(bottom)\" class=\"g\"/>"
    }
    return s
  }

  static func axis(y: Int) -> String {
    var s = ""
    for k in 0...4 {
      let x = labelWidth + barArea * k / 4
      s += "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"middle\" class=\"d\">\(k * 25)%</text>"
    }
    return s
  }

  static func legend(y: Int, items: [(String, String)]) -> String {
    var s = ""
    for (k, item) in items.enumerated() {
      let x = labelWidth + k * 140
      s += "<rect x=\"\(x)\" y=\"\(y - 10)\" width=\"12\" height=\"12\" fill=\"\(item.1)\"/>"
      s += "<text x=\"\(x + 16)\" y=\"\(y)\" class=\"d\">\(esc(item.0))</text>"
    }
    return s
  }

  /// Status colours: green for valid, red for invalid, greys for nothing.
  static func color(for status: String, in all: [String]) -> String {
    switch status.lowercased() {
    case "valid", "success": return "#1f9d6b"
    case "deliverable": return "#4cb8a0"
    case "catch-all", "catch_all", "catchall", "risky": return "#e0a526"
    case "invalid", "undeliverable": return "#d64545"
    case "n/a", "not_found", "not found": return "#a7b0be"
    case "(none)": return "#d5dae2"
    default:
      let palette = ["#2f6fde", "#8a5cd1", "#c2559a", "#5a8f29", "#b5651d", "#3a9bb5"]
      let i = all.firstIndex(of: status) ?? 0
      return palette[i % palette.count]
    }
  }

  static func short(_ s: String, _ n: Int) -> String {
    let one = s.replacingNewlines()
    return one.count > n ? String(one.prefix(n - 1)) + "…" : one
  }

  static func fmt(_ v: Double) -> String { ReportFormat.decimal(v, places: 1) }

  static func esc(_ s: String) -> String { HTMLRenderer.escape(s) }
}
