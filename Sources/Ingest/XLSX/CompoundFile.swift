/// What an OLE2 compound file holds, read from its directory.
///
/// Two kinds of spreadsheet arrive as OLE2 (`D0 CF 11 E0 A1 B1 1A E1`): a
/// legacy Excel 97–2003 `.xls` (a `Workbook` stream, `Book` for Excel 5) and
/// an encrypted `.xlsx` (an `EncryptionInfo` stream beside the
/// `EncryptedPackage`). Both are refused, with different advice, so the
/// directory is read just far enough to tell them apart.
///
/// The reading is minimal and bounded: the 512-byte header, the FAT entries
/// that the directory chain needs, and at most `maxDirectorySectors`
/// directory sectors, each read once (a chain that loops or leaves the file
/// ends the walk), in at most `maxReads` reads. Nothing else of the file is read.
enum CompoundFile {
  /// The signature of every OLE2 compound file.
  static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
  /// The most directory sectors read (4 MiB of directory at 4 KiB sectors,
  /// 32,768 entries; real workbooks have a handful).
  static let maxDirectorySectors = 1024
  /// The most DIFAT sectors followed to find one FAT sector (64 × 127 FAT
  /// sectors cover 530 MB even at 512-byte sectors).
  static let maxDIFATSectors = 64
  /// The most reads in all: a hostile chain costs milliseconds, not minutes.
  static let maxReads = 4096

  /// What the compound file is.
  enum Kind: Equatable, Sendable {
    /// An encrypted Office document: it has an `EncryptionInfo` stream.
    case encryptedPackage
    /// A legacy `.xls` workbook: a `Workbook` (BIFF8) or `Book` (BIFF5) stream.
    case legacyWorkbook
    /// Another OLE2 document (`.doc`, `.msg`…): neither stream.
    case other
    /// The header or the directory is damaged or cut short.
    case unreadable
  }

  /// Reads the directory through `read` and says what the file is.
  ///
  /// - Parameters:
  ///   - size: The file's size in bytes.
  ///   - read: Returns the bytes at an offset (fewer at the end of the file),
  ///     or `nil` on a read error.
  static func classify(size: Int64, read unbounded: (Int64, Int) -> [UInt8]?) -> Kind {
    var reads = 0
    func read(_ offset: Int64, _ count: Int) -> [UInt8]? {
      reads += 1
      return reads <= maxReads ? unbounded(offset, count) : nil
    }
    guard size >= 512, let header = read(0, 512), header.count == 512,
      header.starts(with: signature)
    else { return .unreadable }
    let shift = Int(header.u16(0x1E))
    guard shift == 9 || shift == 12 else { return .unreadable }
    let sectorSize = 1 << shift
    let perSector = sectorSize / 4
    let fatSectors = Int(header.u32(0x2C))
    let firstDirectory = header.u32(0x30)
    let firstDIFAT = header.u32(0x44)

    /// The file offset of sector `s`, when the whole sector lies inside the file.
    func offset(_ s: UInt32) -> Int64? {
      guard s < 0xFFFF_FFFA else { return nil }
      let start = (Int64(s) + 1) * Int64(sectorSize)
      return start + Int64(sectorSize) <= size ? start : nil
    }
    /// The sector holding FAT sector number `index` (from the header or the DIFAT chain).
    func fatSector(_ index: Int) -> UInt32? {
      guard index < fatSectors else { return nil }
      if index < 109 { return header.u32(0x4C + 4 * index) }
      var remaining = index - 109
      var difat = firstDIFAT
      var steps = 0
      while steps < maxDIFATSectors, let at = offset(difat) {
        steps += 1
        if remaining < perSector - 1 {
          guard let b = read(at + Int64(4 * remaining), 4), b.count == 4 else { return nil }
          return b.u32(0)
        }
        remaining -= perSector - 1
        guard let b = read(at + Int64(sectorSize - 4), 4), b.count == 4 else { return nil }
        difat = b.u32(0)
      }
      return nil
    }
    /// The sector after `s` in its chain, from the FAT.
    func next(_ s: UInt32) -> UInt32? {
      guard let fat = fatSector(Int(s) / perSector), let at = offset(fat),
        let b = read(at + Int64(4 * (Int(s) % perSector)), 4), b.count == 4
      else { return nil }
      return b.u32(0)
    }

    var names: Set<String> = []
    var sector = firstDirectory
    var seen: Set<UInt32> = []
    while seen.count < maxDirectorySectors, !seen.contains(sector), let at = offset(sector) {
      seen.insert(sector)
      guard let bytes = read(at, sectorSize), bytes.count == sectorSize else {
        return .unreadable
      }
      for entry in stride(from: 0, to: sectorSize, by: 128) {
        let type = bytes[entry + 0x42]
        let length = Int(bytes.u16(entry + 0x40))
        guard type == 1 || type == 2, length >= 2, length <= 64, length % 2 == 0 else { continue }
        var units: [UInt16] = []
        for k in stride(from: 0, to: length - 2, by: 2) { units.append(bytes.u16(entry + k)) }
        names.insert(String(decoding: units, as: UTF16.self).lowercased())
      }
      guard let following = next(sector) else { break }
      sector = following
    }
    if seen.isEmpty { return .unreadable }
    if names.contains("encryptioninfo") { return .encryptedPackage }
    if names.contains("workbook") || names.contains("book") { return .legacyWorkbook }
    return .other
  }
}
