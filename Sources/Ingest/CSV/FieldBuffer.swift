import LeadsheetCore

/// The decoded fields of the record being parsed: their UTF-8 bytes back to
/// back, and where each ends.
///
/// Owned by `CSVParser`, reused from record to record (it grows to the widest
/// record seen and stays there). `row(number:)` is a `RawRow` view of it,
/// valid until the next record is parsed.
final class FieldBuffer {
  private(set) var bytes: UnsafeMutablePointer<UInt8>
  private(set) var byteCount = 0
  private var byteCapacity: Int
  private(set) var ends: UnsafeMutablePointer<Int>
  /// Fields in the record so far.
  private(set) var count = 0
  private var endCapacity: Int

  init() {
    byteCapacity = 4096
    bytes = .allocate(capacity: byteCapacity)
    endCapacity = 64
    ends = .allocate(capacity: endCapacity)
  }

  deinit {
    bytes.deallocate()
    ends.deallocate()
  }

  /// Forgets the fields, keeping the memory.
  @inline(__always)
  func removeAll() {
    byteCount = 0
    count = 0
  }

  /// Appends bytes to the field being built.
  @inline(__always)
  func append(_ field: UnsafeBufferPointer<UInt8>) {
    guard let base = field.baseAddress, field.count > 0 else { return }
    reserve(field.count)
    (bytes + byteCount).update(from: base, count: field.count)
    byteCount += field.count
  }

  /// Appends the UTF-8 bytes of `text` to the field being built.
  func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  /// Ends the field being built.
  @inline(__always)
  func endField() {
    if count == endCapacity {
      let bigger = UnsafeMutablePointer<Int>.allocate(capacity: endCapacity * 2)
      bigger.moveInitialize(from: ends, count: count)
      ends.deallocate()
      ends = bigger
      endCapacity *= 2
    }
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

  private func reserve(_ extra: Int) {
    guard byteCount + extra > byteCapacity else { return }
    var capacity = byteCapacity * 2
    while capacity < byteCount + extra { capacity *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    bigger.moveInitialize(from: bytes, count: byteCount)
    bytes.deallocate()
    bytes = bigger
    byteCapacity = capacity
  }
}
