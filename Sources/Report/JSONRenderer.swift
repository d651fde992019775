import Foundation

/// Writes a `CoverageReport` as JSON: snake_case keys, sorted, pretty-printed.
///
/// The schema is `docs/report.md`'s; `schema_version` says which.
public struct JSONRenderer: ReportRenderer {
  /// Creates a renderer.
  public init() {}

  /// The report as JSON text ending with a newline.
  public func render(_ report: CoverageReport) -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // The report holds only strings, integers and finite doubles: encoding cannot fail.
    let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
