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

/// `../shared/findings`: a ZIP signature in front of CSV text. Read whole (`SourceOpener`:
/// the signature sends it to the XLSX reader) and in parts (`CSVPartition`, as `inspect`
/// does), both refuse it with one line: it is not a readable ZIP, and CSV text never
/// starts with these bytes.
@Test(
  "a ZIP signature in front of CSV text is refused whole and in parts",
  arguments: ["csv-zip-signature-then-text.csv", "csv-zip-end-signature-then-text.csv"])
func zipSignatureThenTextIsRefusedBothWays(name: String) throws {
  let path = try #require(
    Bundle.module.url(
      forResource: name, withExtension: nil, subdirectory: "Fixtures/fuzz-regressions")
  ).path
  #expect(throws: LeadsheetError.self) {
    let table = try SourceOpener.openTable(path: path)
    while try table.next() != nil {}
  }
  for parts in [1, 2, 3] {
    var error: LeadsheetError?
    do {
      _ = try CSVPartition(path: path, options: IngestOptions(), parts: parts, minimumPartBytes: 1)
    } catch let e as LeadsheetError {
      error = e
    }
    let e = try #require(error, "\(parts) parts read it")
    #expect(e.message.contains("signature of a ZIP file"))
    #expect(!"\(e)".contains("\n"))
  }
}
