import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

/// Bytes in memory, handed out in pieces whose sizes follow `pieces` (cycled).
final class MemoryByteSource: ByteSource {
  let bytes: [UInt8]
  let pieces: [Int]
  private var offset = 0
  private var turn = 0
  /// How many bytes were handed out so far.
  var delivered: Int { offset }

  init(_ bytes: [UInt8], pieces: [Int] = [Int.max]) {
    self.bytes = bytes
    self.pieces = pieces.isEmpty ? [Int.max] : pieces
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let want = pieces[turn % pieces.count]
    turn += 1
    let n = min(want, buffer.count, bytes.count - offset)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { src in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<offset + n]))
    }
    offset += n
    return n
  }
}

/// An endless source repeating one byte pattern: a file far larger than any buffer.
final class EndlessByteSource: ByteSource {
  let prefix: [UInt8]
  let filler: UInt8
  private(set) var delivered = 0

  init(prefix: [UInt8], filler: UInt8) {
    self.prefix = prefix
    self.filler = filler
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    for i in 0..<buffer.count {
      let k = delivered + i
      buffer[i] = k < prefix.count ? prefix[k] : filler
    }
    delivered += buffer.count
    return buffer.count
  }
}

/// A small deterministic random generator (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A parsed file: its info, rows (line number and texts) and warnings.
struct Parsed: Equatable {
  var info: SourceInfo
  var rows: [Row]
  var warnings: [IngestWarning]

  struct Row: Equatable, CustomStringConvertible {
    var line: Int
    var cells: [String]
    var description: String { "\(line): \(cells)" }
  }

  var texts: [[String]] { rows.map(\.cells) }
  var lines: [Int] { rows.map(\.line) }
}

/// Reads `bytes` through `CSVReader` with the given piece sizes.
func parse(
  _ bytes: [UInt8], options: IngestOptions = IngestOptions(), pieces: [Int] = [Int.max],
  chunkSize: Int = 1 << 20, sampleSize: Int = 1 << 20
) throws -> Parsed {
  let reader = try CSVReader(
    source: MemoryByteSource(bytes, pieces: pieces), file: "t.csv", options: options,
    chunkSize: chunkSize, sampleSize: sampleSize)
  var rows: [Parsed.Row] = []
  while let row = try reader.next() {
    rows.append(Parsed.Row(line: row.number, cells: row.cells.map(\.text)))
  }
  return Parsed(info: reader.info, rows: rows, warnings: reader.warnings)
}

/// Reads a string's UTF-8 bytes through `CSVReader`.
func parse(_ text: String, options: IngestOptions = IngestOptions()) throws -> Parsed {
  try parse(Array(text.utf8), options: options)
}

/// The error `body` throws, which must be a `LeadsheetError`.
func leadsheetError(_ body: () throws -> Void) -> LeadsheetError? {
  do {
    try body()
    return nil
  } catch let error as LeadsheetError {
    return error
  } catch {
    return nil
  }
}

/// The folder of this test process's temporary files, removed when the process exits.
private let temporaryRoot: URL = {
  let root = FileManager.default.temporaryDirectory
    .appendingPathComponent("leadsheet-ingest-tests-\(getpid())")
  try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  atexit {
    try? FileManager.default.removeItem(
      at: FileManager.default.temporaryDirectory
        .appendingPathComponent("leadsheet-ingest-tests-\(getpid())"))
  }
  return root
}()

/// A temporary file holding `bytes` (in a folder of its own under a folder
/// removed when the tests exit; the caller may remove it sooner).
func temporaryFile(_ bytes: [UInt8], name: String = "leads.csv") throws -> String {
  let dir = temporaryRoot.appendingPathComponent(UUID().uuidString)
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  let url = dir.appendingPathComponent(name)
  try Data(bytes).write(to: url)
  return url.path
}

/// `text` encoded as UTF-16 with a byte-order mark.
func utf16(_ text: String, bigEndian: Bool, bom: Bool = true) -> [UInt8] {
  var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
  for unit in text.utf16 {
    let hi = UInt8(unit >> 8)
    let lo = UInt8(unit & 0xFF)
    out += bigEndian ? [hi, lo] : [lo, hi]
  }
  return out
}
