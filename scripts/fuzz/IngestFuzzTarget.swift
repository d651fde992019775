// libFuzzer target over leadsheet's input readers (`scripts/fuzz.sh` builds and runs it).
//
// Compiled with `-D FUZZ_CSV` or `-D FUZZ_XLSX`: each input is written to a temp file
// with the matching extension and read to the end through `SourceOpener.openTable`,
// as `leadsheet inspect` does. Every failure must be a `LeadsheetError` (a one-line
// message); anything else, a crash, or a sanitizer report is a finding.
import Foundation
import Ingest
import LeadsheetCore

#if FUZZ_XLSX
  private let fileExtension = "xlsx"
#else
  private let fileExtension = "csv"
#endif

/// The temp file each input is written to (one per process).
private let inputPath =
  NSTemporaryDirectory() + "leadsheet-fuzz-\(getpid()).\(fileExtension)"

/// Limits small enough that a fuzz input cannot make one execution slow.
private let baseOptions: IngestOptions = {
  var o = IngestOptions()
  o.limits.maxUncompressedBytes = 64 << 20
  return o
}()

/// The options for one input: every fifth CSV input is read as `--encoding` names an
/// iconv encoding (Shift_JIS, GB18030, Big5, in turn), so that the iconv path is fuzzed too.
private func inputOptions(size: Int) -> IngestOptions {
  var o = baseOptions
  #if !FUZZ_XLSX
    if size % 5 == 1 {
      o.encoding = TextEncoding(name: ["cp932", "gb18030", "big5"][size / 5 % 3])
    }
  #endif
  return o
}

/// libFuzzer's entry point: reads `data` as a lead list; returns 0 (or traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func leadsheetFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let options = inputOptions(size: size)
  let bytes = Data(bytes: data ?? UnsafePointer(bitPattern: 1)!, count: size)
  guard FileManager.default.createFile(atPath: inputPath, contents: bytes) else {
    fatalError("cannot write \(inputPath)")
  }
  var whole: (rows: [[String]], warnings: [IngestWarning])?
  do {
    let table = try SourceOpener.openTable(path: inputPath, options: options)
    var rows: [[String]] = []
    while let row = try table.next() {
      precondition(row.cells.count == table.header.count, "a row not as wide as the header")
      rows.append(row.cells.map(\.text))
    }
    whole = (rows, table.allWarnings)
  } catch let error as LeadsheetError {
    let line = "\(error)"
    precondition(!line.contains("\n"), "a multi-line error: \(line)")
  } catch {
    fatalError("not a LeadsheetError: \(type(of: error)): \(error)")
  }
  #if !FUZZ_XLSX
    // Read in parts (as `inspect` does), the result must be the same as in one
    // piece whenever every part succeeds; when the file has an error, a part must fail.
    for parts in [2, 3] { checkParts(parts, against: whole, options: options) }
  #endif
  return 0
}

#if !FUZZ_XLSX
  private func checkParts(
    _ parts: Int, against whole: (rows: [[String]], warnings: [IngestWarning])?,
    options: IngestOptions
  ) {
    guard
      let partition = try? CSVPartition(
        path: inputPath, options: options, parts: parts, minimumPartBytes: 1)
    else { return }
    let width = partition.tables[0].header.count
    var rows: [[String]] = []
    for table in partition.tables {
      do {
        while let row = try table.nextRaw() { rows.append((0..<width).map { row.text($0) }) }
      } catch {
        return  // the caller would read the file again in one piece
      }
    }
    guard let whole else { fatalError("\(parts) parts read a file that has an error") }
    precondition(rows == whole.rows, "\(parts) parts read other rows")
    precondition(partition.warnings == whole.warnings, "\(parts) parts gave other warnings")
  }
#endif
