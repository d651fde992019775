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
    let slash = input.lastIndex(of: "/")
    let folder = slash.map { String(input[...$0]) } ?? ""
    let base = slash.map { String(input[input.index(after: $0)...]) } ?? input
    var name = base
    if let dot = base.lastIndex(of: "."), dot != base.startIndex { name = String(base[..<dot]) }
    return "\(folder)\(name).enriched.\(format.rawValue)"
  }
}
