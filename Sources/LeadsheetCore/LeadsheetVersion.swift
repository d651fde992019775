/// The version of leadsheet, sent in `User-Agent` and printed by `--version`.
public enum LeadsheetVersion {
  /// The current version.
  public static let current = "0.1.0"
}
