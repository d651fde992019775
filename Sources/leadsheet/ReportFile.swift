import LeadsheetCore
import Output

/// Writes a report file atomically, owner-only (it may quote values from the list).
enum ReportFile {
  static func write(_ text: String, to path: String) throws {
    let file = try AtomicFileWriter(path: path)
    try file.write(Array(text.utf8))
    try file.commit()
  }

  /// `leads.enriched.csv` → `leads.enriched.report.html`.
  static func htmlPath(besideOutput output: String) -> String {
    let slash = output.lastIndex(of: "/").map { output.index(after: $0) } ?? output.startIndex
    if let dot = output[slash...].lastIndex(of: ".") {
      return String(output[..<dot]) + ".report.html"
    }
    return output + ".report.html"
  }
}
