import LeadsheetCore

/// The compact binary form of a row's cells, stored in `rows.cells`.
///
/// Layout: one format byte (`1`), then for each cell its kind byte
/// (`Cell.Kind.rawValue`), the UTF-8 length as an unsigned LEB128 varint, and
/// the UTF-8 bytes. A cell with a `hiddenTime` sets bit 7 of its kind byte and
/// puts the milliseconds, as a varint, before the length (rows written before
/// `hiddenTime` existed never set that bit, so they read the same). Round-trips exactly (any text, including NUL, newlines
/// and 40,000-character cells); an empty row is the single format byte. A row
/// of short ASCII cells costs two bytes per cell beyond its text.
public enum CellCoding {
  /// The format byte written first.
  public static let formatVersion: UInt8 = 1

  /// Encodes cells.
  public static func encode(_ cells: [Cell]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(1 + cells.reduce(0) { $0 + $1.text.utf8.count + 2 })
    bytes.append(formatVersion)
    for cell in cells {
      if cell.hiddenTime != 0 {
        bytes.append(cell.kind.rawValue | hiddenTimeFlag)
        appendVarint(UInt(cell.hiddenTime), to: &bytes)
      } else {
        bytes.append(cell.kind.rawValue)
      }
      appendVarint(UInt(cell.text.utf8.count), to: &bytes)
      bytes.append(contentsOf: cell.text.utf8)
    }
    return bytes
  }

  /// Bit 7 of a kind byte: a `hiddenTime` varint follows.
  static let hiddenTimeFlag: UInt8 = 0x80

  private static func appendVarint(_ value: UInt, to bytes: inout [UInt8]) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(value & 0x7f) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  /// Decodes cells written by `encode(_:)`.
  ///
  /// - Throws: `LeadsheetError(.storage)` when the bytes are not in this format.
  public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> [Cell] {
    guard let version = bytes.first, version == formatVersion else {
      throw corrupt("unknown cell format")
    }
    var cells: [Cell] = []
    var i = 1
    while i < bytes.count {
      let kindByte = bytes[i]
      guard let kind = Cell.Kind(rawValue: kindByte & ~hiddenTimeFlag) else {
        throw corrupt("unknown cell kind")
      }
      i += 1
      var hiddenTime: UInt32 = 0
      if kindByte & hiddenTimeFlag != 0 {
        let ms = try varint(bytes, &i, "truncated hidden time")
        guard ms > 0, ms < 86_400_000 else { throw corrupt("hidden time out of range") }
        hiddenTime = UInt32(ms)
      }
      let length = try varint(bytes, &i, "truncated cell length")
      guard length >= 0, length <= bytes.count - i else { throw corrupt("truncated cell text") }
      let text = String(
        decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<i + length]), as: UTF8.self)
      cells.append(Cell(text, kind: kind, hiddenTime: hiddenTime))
      i += length
    }
    return cells
  }

  /// Reads an unsigned LEB128 varint at `i`, moving `i` past it.
  private static func varint(_ bytes: UnsafeRawBufferPointer, _ i: inout Int, _ what: String)
    throws -> Int
  {
    var value = 0
    var shift = 0
    while true {
      guard i < bytes.count, shift < 63 else { throw corrupt(what) }
      let byte = bytes[i]
      i += 1
      value |= Int(byte & 0x7f) << shift
      if byte < 0x80 { return value }
      shift += 7
    }
  }

  /// The cell at `column` (0-based), reading past the others without decoding
  /// their text; an empty cell when the row is shorter.
  ///
  /// - Throws: `LeadsheetError(.storage)` when the bytes are not in this format.
  public static func cell(at column: Int, in bytes: UnsafeRawBufferPointer) throws -> Cell {
    guard let version = bytes.first, version == formatVersion else {
      throw corrupt("unknown cell format")
    }
    var i = 1
    var index = 0
    while i < bytes.count {
      let kindByte = bytes[i]
      guard let kind = Cell.Kind(rawValue: kindByte & ~hiddenTimeFlag) else {
        throw corrupt("unknown cell kind")
      }
      i += 1
      var hiddenTime = 0
      if kindByte & hiddenTimeFlag != 0 {
        hiddenTime = try varint(bytes, &i, "truncated hidden time")
      }
      let length = try varint(bytes, &i, "truncated cell length")
      guard length >= 0, length <= bytes.count - i else { throw corrupt("truncated cell text") }
      if index == column {
        let text = String(
          decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<i + length]), as: UTF8.self)
        return Cell(text, kind: kind, hiddenTime: UInt32(clamping: hiddenTime))
      }
      i += length
      index += 1
    }
    return .empty
  }

  /// Decodes cells from an array (convenience for tests and tools).
  public static func decode(_ bytes: [UInt8]) throws -> [Cell] {
    try bytes.withUnsafeBytes { try decode($0) }
  }

  private static func corrupt(_ what: String) -> LeadsheetError {
    LeadsheetError(
      .storage, "corrupt row data in the job database: \(what)",
      hint: "the database is damaged: purge the job and ingest the file again")
  }
}
