import Foundation
import Ingest
import LeadsheetCore
import Testing

/// Every input `scripts/fuzz.sh` found a problem with, kept in
/// `Fixtures/fuzz-regressions/` (the extension chooses CSV or XLSX): each must read to
/// the end or fail with a one-line `LeadsheetError`, as the fuzz targets demand.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
  /// The regression inputs' file names.
  static let inputs: [String] = {
    guard
      let folder = Bundle.module.url(
        forResource: "fuzz-regressions", withExtension: nil, subdirectory: "Fixtures"),
      let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    return names.filter { !$0.hasPrefix(".") }.sorted()
  }()

  /// The folder holds at least the first finding.
  @Test("the regression corpus is there")
  func corpusPresent() {
    #expect(Self.inputs.contains("multiline-libxml2-error.xlsx"))
  }

  /// Reads one input as `leadsheet inspect` does.
  @Test("a fuzz finding reads, or fails with a one-line LeadsheetError", arguments: inputs)
  func replay(_ name: String) throws {
    let url = try #require(
      Bundle.module.url(
        forResource: name, withExtension: nil, subdirectory: "Fixtures/fuzz-regressions"))
    do {
      let table = try SourceOpener.openTable(path: url.path)
      while let row = try table.next() { #expect(row.cells.count == table.header.count) }
    } catch let error as LeadsheetError {
      let line = "\(error)"
      let breaks = line.filter(\.isNewline).count
      #expect(breaks == 0, "a multi-line error: \(line)")
    }
  }
}
