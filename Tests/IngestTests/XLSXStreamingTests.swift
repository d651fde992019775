import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

// Fed one byte at a time, in odd pieces and all at once, the reader must give
// the same rows and the same errors.

private let sizes = [
  XLSXBufferSizes(inflate: 1, parse: 1), XLSXBufferSizes(inflate: 7, parse: 3),
  XLSXBufferSizes(inflate: 4096, parse: 1000), XLSXBufferSizes(inflate: 1 << 20, parse: 1 << 20),
]

private func rows(_ name: String, _ buffers: XLSXBufferSizes) throws -> [SourceRow] {
  let reader = try XLSXReader(
    path: try xlsxFixture(name), options: IngestOptions(), buffers: buffers)
  var rows: [SourceRow] = []
  while let row = try reader.next() { rows.append(row) }
  return rows
}

@Test(arguments: [
  "handmade_cells", "openpyxl_basic", "xlsxwriter_basic", "libreoffice_basic", "shared_many",
  "zip64_descriptors", "stored", "strict_prefixed", "handmade_1904",
])
func rowsDoNotDependOnBufferSizes(name: String) throws {
  let expected = try readXLSX(name).rows
  #expect(!expected.isEmpty)
  for buffers in sizes {
    #expect(try rows(name, buffers) == expected, "\(name) \(buffers)")
  }
}

@Test(arguments: [
  "xxe_sheet", "laughs_sst", "zip_bomb_lying", "corrupt_deflate", "malformed_sheet",
  "bad_shared_index",
])
func errorsDoNotDependOnBufferSizes(name: String) throws {
  let expected = try #require(xlsxError(name))
  for buffers in sizes {
    do {
      _ = try rows(name, buffers)
      Issue.record("\(name) \(buffers): no error")
    } catch let e as LeadsheetError {
      #expect(e.code == expected.code, "\(name) \(buffers)")
      #expect(e.location == expected.location, "\(name) \(buffers)")
    }
  }
}
