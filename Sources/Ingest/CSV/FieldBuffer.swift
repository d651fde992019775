import LeadsheetCore

/// The decoded fields of the record being parsed: their UTF-8 bytes back to
/// back, and where each ends.
///
/// Part of `CSVParser` (a struct, so that the per-field appends need no
/// dynamic exclusivity checks), reused from record to record: it grows to the
/// widest record seen and stays there. The memory belongs to `storage`, which
/// frees it; the buffer must not be copied and used twice. `row(number:)` is a
/// `RawRow` view of it, valid until the next record is parsed.
struct FieldBuffer {
  /// Frees the buffer's memory when the parser goes.
  final class Storage {
    var bytes: UnsafeMutablePointer<UInt8>
    var ends: UnsafeMutablePointer<Int>

    init(byteCapacity: Int, endCapacity: Int) {
      bytes = .allocate(capacity: byteCapacity)
      ends = .allocate(capacity: endCapacity)
    }

    deinit {
      bytes.deallocate()
      ends.deallocate()
    }
  }

  private let storage: Storage
  private(set) var bytes: UnsafeMutablePointer<UInt8>
  private(set) var byteCount = 0
  private var byteCapacity: Int
  private(set) var ends: UnsafeMutablePointer<Int>
  /// Fields in the record so far.
  private(set) var count = 0
  private var endCapacity: Int

  init() {
    byteCapacity = 4096
    endCapacity = 64
    storage = Storage(byteCapacity: byteCapacity, endCapacity: endCapacity)
    bytes = storage.bytes
    ends = storage.ends
  }

  /// Forgets the fields, keeping the memory.
  @inline(__always)
  mutating func removeAll() {
    byteCount = 0
    count = 0
  }

  /// Appends bytes to the field being built.
  @inline(__always)
  mutating func append(_ field: UnsafeBufferPointer<UInt8>) {
    guard let base = field.baseAddress, field.count > 0 else { return }
    if byteCount + field.count > byteCapacity { grow(field.count) }
    (bytes + byteCount).update(from: base, count: field.count)
    byteCount += field.count
  }

  /// Appends the UTF-8 bytes of `text` to the field being built.
  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  /// Ends the field being built.
  @inline(__always)
  mutating func endField() {
    if count == endCapacity { growEnds() }
    ends[count] = byteCount
    count += 1
  }

  /// The bytes of field `i`.
  @inline(__always)
  func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
    let start = i == 0 ? 0 : ends[i - 1]
    return UnsafeBufferPointer(start: bytes + start, count: ends[i] - start)
  }

  /// The record as text cells.
  func cells() -> [Cell] {
    var cells: [Cell] = []
    cells.reserveCapacity(count)
    for i in 0..<count { cells.append(Cell(String(decoding: field(i), as: UTF8.self))) }
    return cells
  }

  /// A view of the record; valid until the buffer changes.
  func row(number: Int) -> RawRow {
    RawRow(
      number: number, bytes: UnsafeBufferPointer(start: bytes, count: byteCount),
      ends: UnsafeBufferPointer(start: ends, count: count), count: count)
  }

  /// Makes room for `extra` more bytes.
  @inline(never)
  private mutating func grow(_ extra: Int) {
    var capacity = byteCapacity * 2
    while capacity < byteCount + extra { capacity *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    bigger.moveInitialize(from: bytes, count: byteCount)
    bytes.deallocate()
    bytes = bigger
    storage.bytes = bigger
    byteCapacity = capacity
  }

  /// Makes room for more field ends.
  @inline(never)
  private mutating func growEnds() {
    let bigger = UnsafeMutablePointer<Int>.allocate(capacity: endCapacity * 2)
    bigger.moveInitialize(from: ends, count: count)
    ends.deallocate()
    ends = bigger
    storage.ends = bigger
    endCapacity *= 2
  }
}
