import LeadsheetCore

/// The compact binary form of a row's cells, stored in `rows.cells`.
///
/// Layout: one format byte (`1`), then for each cell its kind byte
/// (`Cell.Kind.rawValue`), the UTF-8 length as an unsigned LEB128 varint, and
/// the UTF-8 bytes. Round-trips exactly (any text, including NUL, newlines
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
      bytes.append(cell.kind.rawValue)
      var length = UInt(cell.text.utf8.count)
      while length >= 0x80 {
        bytes.append(UInt8(length & 0x7f) | 0x80)
        length >>= 7
      }
      bytes.append(UInt8(length))
      bytes.append(contentsOf: cell.text.utf8)
    }
    return bytes
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
      guard let kind = Cell.Kind(rawValue: bytes[i]) else { throw corrupt("unknown cell kind") }
      i += 1
      var length = 0
      var shift = 0
      while true {
        guard i < bytes.count, shift < 63 else { throw corrupt("truncated cell length") }
        let byte = bytes[i]
        i += 1
        length |= Int(byte & 0x7f) << shift
        if byte < 0x80 { break }
        shift += 7
      }
      guard length <= bytes.count - i else { throw corrupt("truncated cell text") }
      let text = String(
        decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<i + length]), as: UTF8.self)
      cells.append(Cell(text, kind: kind))
      i += length
    }
    return cells
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
