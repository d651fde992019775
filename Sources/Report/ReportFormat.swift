import Foundation

/// How every renderer writes a number, so the same number reads the same everywhere.
public enum ReportFormat {
  /// A count with thousands separators: `20,000`.
  public static func count(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out += "," }
      out.append(ch)
    }
    return n < 0 ? "-" + out : out
  }

  /// Credits as the account's balance counts them: `1,932`, or `1,932.5` when fractional.
  public static func credits(_ value: Double) -> String {
    let whole = value.rounded(.towardZero)
    let sign = value < 0 ? "-" : ""
    var text = sign + count(Int(whole.magnitude))
    let cents = Int((abs(value - whole) * 100).rounded())
    if cents == 100 { return sign + count(Int(whole.magnitude) + 1) }
    if cents > 0 {
      text += "." + (cents % 10 == 0 ? "\(cents / 10)" : String(format: "%02d", cents))
    }
    return text
  }

  /// A rate as a percentage with one decimal: `72.3%`; `–` when there is none.
  public static func percent(_ rate: Double?) -> String {
    guard let rate else { return "–" }
    return String(format: "%.1f%%", rate * 100)
  }

  /// A number with up to `places` decimals, trailing zeros dropped: `12.5`.
  public static func decimal(_ value: Double, places: Int = 2) -> String {
    var text = String(format: "%.\(places)f", value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }

  /// A duration: `3.2 s`, `4 min 05 s`, `1 h 02 min`.
  public static func duration(_ seconds: Double) -> String {
    if seconds < 60 { return "\(decimal(seconds, places: 1)) s" }
    let total = Int(seconds.rounded())
    if total < 3600 { return String(format: "%d min %02d s", total / 60, total % 60) }
    return String(format: "%d h %02d min", total / 3600, (total % 3600) / 60)
  }

  /// A bar of `width` cells for a rate, with eighth blocks: `██████▍   `.
  public static func bar(_ rate: Double?, width: Int = 20) -> String {
    let eighths = Int(((rate ?? 0) * Double(width * 8)).rounded())
    let full = min(width, eighths / 8)
    let partial = eighths % 8
    let glyphs = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    var s = String(repeating: "█", count: full)
    if full < width, partial > 0 { s += glyphs[partial] }
    return s + String(repeating: " ", count: max(0, width - s.count))
  }

  /// The label of a type for people: `email` → `Email`, `personal_email` → `Personal email`.
  public static func typeLabel(_ type: String) -> String {
    switch type {
    case "email": "Email"
    case "phone": "Phone"
    case "personal_email": "Personal email"
    default: type
    }
  }
}
