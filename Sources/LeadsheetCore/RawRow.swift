/// One record of a CSV file as the UTF-8 bytes of its fields, read in place.
///
/// The fast path of `inspect` reads rows this way: no `String` and no `Cell`
/// is made for a field unless something needs one. The bytes are always
/// valid UTF-8 and equal to the `Cell.text` the same field would have had
/// (a field of a UTF-8 file that is not valid UTF-8 is already re-encoded from
/// Windows-1252, as `CSVReader` does for cells).
///
/// A `RawRow` is a view into the reader's buffers: it is valid only until the
/// next row is read, and must not be kept.
///
///     while let row = try table.nextRaw() {
///       let company = row.field(3)      // UnsafeBufferPointer<UInt8>, empty past `count`
///     }
public struct RawRow {
  /// Where the record starts (see `SourceRow.number`).
  public var number: Int
  /// The fields' bytes, back to back.
  public let bytes: UnsafeBufferPointer<UInt8>
  /// The end offset in `bytes` of each field; field `i` starts where field `i - 1` ends.
  public let ends: UnsafeBufferPointer<Int>
  /// Fields in the row; `field(_:)` reads the ones past it as empty (a padded row).
  public var count: Int

  /// Creates a view; `ends` must be non-decreasing offsets into `bytes`.
  @inlinable
  public init(
    number: Int, bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>, count: Int
  ) {
    self.number = number
    self.bytes = bytes
    self.ends = ends
    self.count = min(count, ends.count)
  }

  /// The bytes of field `column`; empty for a column past `count`.
  @inlinable @inline(__always)
  public func field(_ column: Int) -> UnsafeBufferPointer<UInt8> {
    guard column >= 0, column < count, let base = bytes.baseAddress else {
      return UnsafeBufferPointer(start: nil, count: 0)
    }
    let start = column == 0 ? 0 : ends[column - 1]
    return UnsafeBufferPointer(start: base + start, count: ends[column] - start)
  }

  /// The text of field `column` (empty past `count`).
  public func text(_ column: Int) -> String {
    String(decoding: field(column), as: UTF8.self)
  }

  /// Whether field `column` holds nothing but whitespace, exactly as `Cell.isBlank`.
  @inlinable @inline(__always)
  public func isBlank(_ column: Int) -> Bool {
    RawRow.isBlank(field(column))
  }

  /// Whether UTF-8 bytes hold nothing but whitespace, exactly as `Cell.isBlank`.
  ///
  /// A text that starts with a non-ASCII scalar whose lead byte no whitespace
  /// scalar has (whitespace starts with an ASCII byte, C2, E1, E2 or E3) is
  /// not blank, as its first character starts with that scalar: names in
  /// most scripts are decided at their first byte, without a `String`.
  @inlinable
  public static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for (i, b) in bytes.enumerated() {
      switch b {
      case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: continue
      case 0..<0x80: return false
      case 0xC2, 0xE1, 0xE2, 0xE3: return isBlankText(bytes)
      default: return i == 0 ? false : isBlankText(bytes)
      }
    }
    return true
  }

  /// `isBlank` by characters, for text with non-ASCII bytes.
  @usableFromInline
  static func isBlankText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace)
  }

  /// Whether every field is blank (`SourceRow.isBlank`).
  public var isBlank: Bool {
    for column in 0..<count where !isBlank(column) { return false }
    return true
  }

  /// The row as cells, `width` wide: text cells, padded with empty ones or cut.
  public func cells(width: Int) -> [Cell] {
    (0..<max(0, width)).map { Cell(text($0)) }
  }
}
