import Foundation
import LeadsheetCore

/// Where an output goes when the user names no path.
public enum OutputPath {
  /// `NAME.enriched.EXT` beside the input: `leads.csv` → `leads.enriched.csv`.
  ///
  /// `EXT` is the output format's (`leads.xlsx` written as CSV gives
  /// `leads.enriched.csv`). For standard input (`-`), a CSV output goes to
  /// standard output (`-`) and an XLSX one to `enriched.xlsx` in the current folder.
  ///
  /// - Parameters:
  ///   - input: The input path as the user gave it.
  ///   - format: The output format.
  public static func defaultPath(forInput input: String, format: SourceFormat) -> String {
    if input == "-" { return format == .csv ? "-" : "enriched.\(format.rawValue)" }
    let url = URL(fileURLWithPath: input)
    let name = url.deletingPathExtension().lastPathComponent
    let file = "\(name).enriched.\(format.rawValue)"
    guard input.contains("/") else { return file }
    return url.deletingLastPathComponent().appendingPathComponent(file).path
  }
}
