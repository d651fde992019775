import Dispatch
import Foundation
import LeadsheetCore

/// A CSV file cut into parts at line breaks, so that several threads can read it at once.
///
/// The first part's table reads the header; each other part's table reads
/// every record of its bytes as data, with the same header. Cuts are made
/// just after a line feed near each `1/n` of the file; that is a record
/// boundary unless the line feed is inside a quoted field, so the line feed
/// is chosen by `RecordStartGuess` (the first after which the text reads as
/// clean records). That the cut is a boundary is checked,
/// not assumed: a part that ends inside a quoted field fails with an
/// unbalanced-quote error, so **when every part was read without an error,
/// every cut was a record boundary** and the parts together hold exactly the
/// rows, in order, that one `Table` over the whole file returns. (By
/// induction: the first part starts at the file's start; a part that starts
/// at a boundary and ends outside a quoted field ends at one.) When any part
/// fails, read the file again with `SourceOpener.openTable`, which gives the
/// real outcome (the rows, or the error with its true line).
///
/// Row numbers (`RawRow.number`) of later parts count from the part's start;
/// `warnings` puts them back on the file's lines.
///
///     let partition = try CSVPartition(path: path, options: options, parts: 2)
///     let counts = partition.readInParallel { _, table in
///       var n = 0
///       while try table.nextRaw() != nil { n += 1 }
///       return n
///     }
public final class CSVPartition: @unchecked Sendable {
  /// The file as the user named it.
  public let file: String
  /// What was detected: encoding, delimiter.
  public let info: SourceInfo
  /// The parts' tables, in file order; the first read the header.
  public let tables: [Table]
  /// The parts' byte ranges in the file.
  public let ranges: [Range<Int>]
  private let readers: [CSVReader]
  /// The reader that detected the encoding (the first part's, or another over the whole file).
  private let whole: CSVReader

  /// Detects the encoding and the delimiter, cuts the file, and reads the header.
  ///
  /// - Parameters:
  ///   - path: A CSV file.
  ///   - options: As for `SourceOpener.openTable`.
  ///   - parts: How many parts at most; fewer for a small file (each part at
  ///     least `minimumPartBytes`), and one for transcoded text (UTF-16,
  ///     UTF-32, iconv encodings: not cut).
  ///   - minimumPartBytes: The smallest part worth a thread of its own.
  ///   - guessesRecordStarts: Whether cuts are chosen by `RecordStartGuess`
  ///     (`false`, for tests: just after the first line feed).
  /// - Throws: `LeadsheetError` as `SourceOpener.openTable` (the header is read here).
  public init(
    path: String, options: IngestOptions, parts: Int, minimumPartBytes: Int = 4 << 20,
    guessesRecordStarts: Bool = true
  ) throws {
    let whole = try CSVReader(path: path, options: options)
    self.whole = whole
    file = path
    info = whole.info
    let size = Self.fileSize(path)
    var cuts: [Int] = []
    // Transcoded text (UTF-16, UTF-32, iconv encodings) is read in one piece:
    // a byte offset there is not a character boundary.
    let splittable = !whole.encoding.isTranscoded
    let wanted = min(max(1, parts), max(1, size / max(1, minimumPartBytes)))
    if splittable, wanted > 1, let handle = FileHandle(forReadingAtPath: path) {
      defer { try? handle.close() }
      var previous = whole.bomLength
      for k in 1..<wanted {
        let target = max(previous, whole.bomLength + (size - whole.bomLength) / wanted * k)
        guard
          let cut = guessesRecordStarts
            ? Self.recordStart(
              after: target, in: handle, size: size, delimiter: whole.delimiter)
            : Self.lineStart(after: target, in: handle, size: size),
          cut > previous,
          cut < size
        else { break }
        cuts.append(cut)
        previous = cut
      }
    }
    if cuts.isEmpty {
      readers = [whole]
      ranges = [whole.bomLength..<size]
    } else {
      let bounds = [whole.bomLength] + cuts + [size]
      ranges = (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }
      readers = try ranges.map {
        try CSVReader(
          source: try FileRangeByteSource(path: path, range: $0), like: whole, options: options)
      }
    }
    let first = try Table(reader: readers[0], file: path, headerRow: options.headerRow)
    tables = [first] + readers.dropFirst().map { Table(continuing: first, reader: $0) }
  }

  /// Runs `body` on every part's index and table, each on a thread of its
  /// own, and returns what each returned or threw, in part order.
  public func readInParallel<T>(_ body: @Sendable (Int, Table) throws -> T) -> [Result<
    T, any Error
  >] {
    let results = ResultSlots<T>(count: tables.count)
    let tables = UncheckedBox(self.tables)
    DispatchQueue.concurrentPerform(iterations: tables.value.count) { i in
      results.set(i, Result { try body(i, tables.value[i]) })
    }
    return results.values
  }

  /// The warnings of all parts, as one `Table` over the file would report
  /// them (counts summed, first lines on the file's lines); read after every
  /// part was read to its end without an error.
  public var warnings: [IngestWarning] {
    // One part (a UTF-16 file among them): exactly its table's, replaced code units included.
    if tables.count == 1 { return tables[0].allWarnings }
    var offset = 0
    var invalidCount = 0
    var invalidFirst: Int?
    var merged = Table.Warnings()
    for (reader, table) in zip(readers, tables) {
      let invalid = reader.invalidUTF8
      invalidCount += invalid.count
      if invalidFirst == nil, let line = invalid.firstLine { invalidFirst = line + offset }
      let w = table.warnings
      merged.paddedRows += w.paddedRows
      merged.cutRows += w.cutRows
      merged.blankRows += w.blankRows
      if merged.firstPaddedRow == nil, let row = w.firstPaddedRow {
        merged.firstPaddedRow = row + offset
      }
      if merged.firstCutRow == nil, let row = w.firstCutRow { merged.firstCutRow = row + offset }
      offset += reader.lineBreaksRead
    }
    var result: [IngestWarning] = []
    if let w = whole.encodingWarning { result.append(w) }
    if let w = CSVReader.invalidUTF8Warning(count: invalidCount, firstLine: invalidFirst) {
      result.append(w)
    }
    return result + merged.ingestWarnings
  }

  /// The size of the file in bytes (0 when it cannot be read: the reader has already said why).
  static func fileSize(_ path: String) -> Int {
    var st = stat()
    guard stat(path, &st) == 0 else { return 0 }
    return Int(st.st_size)
  }

  /// The offset just past a line feed at or after `offset` that looks like a
  /// record boundary (`RecordStartGuess`, within the next MiB), else just past
  /// the first line feed; `nil` when there is none.
  static func recordStart(after offset: Int, in handle: FileHandle, size: Int, delimiter: UInt8)
    -> Int?
  {
    guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
      let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty
    else { return nil }
    let guess = data.withUnsafeBytes { raw in
      RecordStartGuess.cut(
        in: raw.bindMemory(to: UInt8.self), delimiter: delimiter,
        atFileEnd: offset + data.count >= size)
    }
    if let guess { return offset + guess }
    return lineStart(after: offset + data.count, in: handle, size: size)
  }

  /// The offset just past the first line feed at or after `offset`, or `nil` when there is none.
  static func lineStart(after offset: Int, in handle: FileHandle, size: Int) -> Int? {
    var position = offset
    while position < size {
      guard (try? handle.seek(toOffset: UInt64(position))) != nil,
        let data = try? handle.read(upToCount: 64 << 10), !data.isEmpty
      else { return nil }
      if let lf = data.firstIndex(of: 0x0A) { return position + (lf - data.startIndex) + 1 }
      position += data.count
    }
    return nil
  }
}

/// A value handed to other threads that the caller promises to use safely.
private struct UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// One result slot per thread, filled under a lock.
private final class ResultSlots<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<T, any Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ result: Result<T, any Error>) {
    lock.withLock { slots[i] = result }
  }

  var values: [Result<T, any Error>] { lock.withLock { slots.map { $0! } } }
}
