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
private let options: IngestOptions = {
  var o = IngestOptions()
  o.limits.maxUncompressedBytes = 64 << 20
  return o
}()

/// libFuzzer's entry point: reads `data` as a lead list; returns 0 (or traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func leadsheetFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Data(bytes: data ?? UnsafePointer(bitPattern: 1)!, count: size)
  guard FileManager.default.createFile(atPath: inputPath, contents: bytes) else {
    fatalError("cannot write \(inputPath)")
  }
  do {
    let table = try SourceOpener.openTable(path: inputPath, options: options)
    var rows = 0
    while let row = try table.next() {
      precondition(row.cells.count == table.header.count, "a row not as wide as the header")
      rows += 1
    }
    _ = table.allWarnings
  } catch let error as LeadsheetError {
    let line = "\(error)"
    precondition(!line.contains("\n"), "a multi-line error: \(line)")
  } catch {
    fatalError("not a LeadsheetError: \(type(of: error)): \(error)")
  }
  return 0
}
