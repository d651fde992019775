import LeadsheetCore
import SystemIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One file inside a ZIP archive, as its central directory describes it.
struct ZipEntry {
  /// The entry's path inside the archive (`xl/worksheets/sheet1.xml`), with any
  /// backslash a Windows tool wrote taken as `/`.
  var name: String
  /// 0 (stored) or 8 (deflate); anything else is refused when read.
  var method: UInt16
  /// General-purpose flags (bit 0: encrypted).
  var flags: UInt16
  /// Size of the compressed data, in bytes.
  var compressedSize: Int64
  /// Declared size once inflated, in bytes (it may lie; the stream counts).
  var uncompressedSize: Int64
  /// Offset of the entry's local header from the start of the file.
  var localHeaderOffset: Int64
}

/// A read-only ZIP archive: the central directory, read once, and a file
/// descriptor to read entries from.
///
/// Supports what XLSX writers produce: stored and deflate entries, data
/// descriptors (sizes come from the central directory), ZIP64 sizes and
/// offsets. Multi-disk archives and encryption are refused.
final class ZipArchive {
  /// The file name as the user gave it, for messages.
  let path: String
  /// Entries by folded name (`ZipArchive.fold`: backslash taken as `/`, letters
  /// compared ignoring case, as Excel, calamine and POI find parts).
  private(set) var entries: [String: ZipEntry] = [:]
  /// The open file.
  private let fd: Int32
  /// Size of the file in bytes.
  let fileSize: Int64
  /// Bytes inflated so far from all entries, checked against the limit.
  var inflatedTotal: Int64 = 0

  /// Opens `path` and reads its central directory.
  ///
  /// - Throws: `LeadsheetError` when the file cannot be read or is not a
  ///   complete ZIP archive.
  init(path: String) throws {
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
      throw LeadsheetError(.unreadable, file: path, "cannot be opened", hint: "check the path")
    }
    self.fd = fd
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      close(fd)
      throw LeadsheetError(.unreadable, file: path, "cannot be read")
    }
    self.fileSize = Int64(st.st_size)
    do {
      try readCentralDirectory()
    } catch {
      close(fd)
      throw error
    }
  }

  deinit { close(fd) }

  private func malformed(_ message: String) -> LeadsheetError {
    LeadsheetError(
      .malformed, file: path, "not a valid XLSX file: \(message)",
      hint: "re-export it from the spreadsheet application")
  }

  /// Reads exactly `count` bytes at `offset`, or fewer at the end of the file.
  func read(at offset: Int64, count: Int) throws -> [UInt8] {
    guard count > 0 else { return [] }
    var buffer = [UInt8](repeating: 0, count: count)
    let got = try buffer.withUnsafeMutableBytes { raw in
      try read(at: offset, into: raw.baseAddress!, count: count)
    }
    if got < count { buffer.removeSubrange(got...) }
    return buffer
  }

  /// Reads up to `count` bytes at `offset` into `into`; returns how many were read.
  func read(at offset: Int64, into: UnsafeMutableRawPointer, count: Int) throws -> Int {
    do {
      return try SystemCalls.readFully(
        fd, into: UnsafeMutableRawBufferPointer(start: into, count: count), at: offset)
    } catch {
      throw LeadsheetError(.unreadable, file: path, "read error (\(error))")
    }
  }

  private func readCentralDirectory() throws {
    // End of central directory: 22 bytes plus a comment of up to 65,535 bytes.
    guard fileSize >= 22 else { throw malformed("too short to be a ZIP archive") }
    let tailSize = Int(min(fileSize, 22 + 65_535))
    let tailStart = fileSize - Int64(tailSize)
    let tail = try read(at: tailStart, count: tailSize)
    // The last signature whose comment length reaches the end of the file
    // (a comment may itself contain the signature bytes).
    var eocd = -1
    var i = tail.count - 22
    while i >= 0 {
      if tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 0x05 && tail[i + 3] == 0x06 {
        if eocd < 0 { eocd = i }
        if i + 22 + Int(tail.u16(i + 20)) == tail.count {
          eocd = i
          break
        }
      }
      i -= 1
    }
    guard eocd >= 0 else {
      throw malformed("no end of central directory (the file is truncated or not a ZIP)")
    }
    let disk = tail.u16(eocd + 4)
    let cdDisk = tail.u16(eocd + 6)
    var count = Int64(tail.u16(eocd + 10))
    var cdSize = Int64(tail.u32(eocd + 12))
    var cdOffset = Int64(tail.u32(eocd + 16))
    // ZIP64: a locator sits just before the EOCD record.
    let needs64 = count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF
    let locatorPos = tailStart + Int64(eocd) - 20
    if locatorPos >= 0 {
      let loc = try read(at: locatorPos, count: 20)
      if loc.count == 20 && loc.u32(0) == 0x0706_4B50 {
        let eocd64Offset = Int64(bitPattern: loc.u64(8))
        let rec = try read(at: eocd64Offset, count: 56)
        guard rec.count == 56, rec.u32(0) == 0x0606_4B50 else {
          throw malformed("broken ZIP64 end of central directory")
        }
        count = Int64(bitPattern: rec.u64(32))
        cdSize = Int64(bitPattern: rec.u64(40))
        cdOffset = Int64(bitPattern: rec.u64(48))
      } else if needs64 {
        throw malformed("ZIP64 archive without its locator")
      }
    }
    guard disk == 0 && cdDisk == 0 || needs64 else {
      throw malformed("multi-disk archives are not supported")
    }
    // Compared without adding: ZIP64 fields are 64-bit and a hostile file fills them.
    guard cdOffset >= 0, cdSize >= 0, cdOffset <= fileSize, cdSize <= fileSize - cdOffset,
      count >= 0,
      count <= cdSize / 46 + 1
    else { throw malformed("the central directory lies outside the file (truncated?)") }
    let cd = try read(at: cdOffset, count: Int(cdSize))
    var p = 0
    var rawNames: [String: String] = [:]
    for _ in 0..<count {
      guard p + 46 <= cd.count, cd.u32(p) == 0x0201_4B50 else {
        throw malformed("broken central directory")
      }
      let flags = cd.u16(p + 8)
      let method = cd.u16(p + 10)
      var csize = Int64(cd.u32(p + 20))
      var usize = Int64(cd.u32(p + 24))
      let nameLen = Int(cd.u16(p + 28))
      let extraLen = Int(cd.u16(p + 30))
      let commentLen = Int(cd.u16(p + 32))
      var offset = Int64(cd.u32(p + 42))
      guard p + 46 + nameLen + extraLen + commentLen <= cd.count else {
        throw malformed("broken central directory")
      }
      // Some Windows tools write `xl\workbook.xml`: a backslash is a `/` (never valid in a
      // part name).
      let rawName = String(decoding: cd[(p + 46)..<(p + 46 + nameLen)], as: UTF8.self)
      var nameBytes = Array(cd[(p + 46)..<(p + 46 + nameLen)])
      for k in nameBytes.indices where nameBytes[k] == 0x5C { nameBytes[k] = 0x2F }
      let name = String(decoding: nameBytes, as: UTF8.self)
      // ZIP64 extended information: only the fields whose 32-bit value is saturated.
      var e = p + 46 + nameLen
      let extraEnd = e + extraLen
      while e + 4 <= extraEnd {
        let id = cd.u16(e)
        let size = Int(cd.u16(e + 2))
        var q = e + 4
        let end = min(q + size, extraEnd)
        if id == 0x0001 {
          if usize == 0xFFFF_FFFF && q + 8 <= end {
            usize = Int64(bitPattern: cd.u64(q))
            q += 8
          }
          if csize == 0xFFFF_FFFF && q + 8 <= end {
            csize = Int64(bitPattern: cd.u64(q))
            q += 8
          }
          if offset == 0xFFFF_FFFF && q + 8 <= end { offset = Int64(bitPattern: cd.u64(q)) }
        }
        e += 4 + size
      }
      // Sizes and offsets beyond the file are lies; refusing them here also keeps every
      // later sum and product (offset + size, size × ratio) far from overflowing.
      guard offset >= 0, offset < fileSize, csize >= 0, csize <= fileSize, usize >= 0 else {
        throw malformed("broken central directory (\(name): sizes or offset beyond the file)")
      }
      let key = Self.fold(name)
      if let other = rawNames[key] {
        throw LeadsheetError(
          .malformed, file: path,
          "the workbook is ambiguous: the ZIP entries '\(other)' and '\(rawName)' name the same"
            + " part (names compare ignoring case, with a backslash taken as /)",
          hint: "re-save the workbook in Excel or LibreOffice")
      }
      rawNames[key] = rawName
      entries[key] = ZipEntry(
        name: name, method: method, flags: flags, compressedSize: csize,
        uncompressedSize: usize, localHeaderOffset: offset)
      p += 46 + nameLen + extraLen + commentLen
    }
  }

  /// The key of a part name in `entries`: a backslash taken as `/`, lowercased.
  static func fold(_ name: String) -> String {
    var bytes = Array(name.utf8)
    for k in bytes.indices where bytes[k] == 0x5C { bytes[k] = 0x2F }
    return String(decoding: bytes, as: UTF8.self).lowercased()
  }

  /// The entry of part `name`, compared as `fold` does, or `nil`.
  func entry(_ name: String) -> ZipEntry? { entries[Self.fold(name)] }

  /// The offset of an entry's data, past its local header.
  ///
  /// - Throws: `LeadsheetError` when the local header is missing or the data
  ///   runs past the end of the file.
  func dataOffset(of entry: ZipEntry) throws -> Int64 {
    let header = try read(at: entry.localHeaderOffset, count: 30)
    guard header.count == 30, header.u32(0) == 0x0403_4B50 else {
      throw LeadsheetError(
        .malformed, file: path, location: .part(entry.name),
        "broken ZIP local header", hint: "re-export the file")
    }
    let start = entry.localHeaderOffset + 30 + Int64(header.u16(26)) + Int64(header.u16(28))
    guard entry.compressedSize >= 0, start + entry.compressedSize <= fileSize else {
      throw LeadsheetError(
        .malformed, file: path, location: .part(entry.name),
        "the part runs past the end of the file (truncated?)", hint: "re-export the file")
    }
    return start
  }
}

extension Array where Element == UInt8 {
  @inline(__always) func u16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
  @inline(__always) func u32(_ i: Int) -> UInt32 {
    UInt32(self[i]) | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2]) << 16
      | UInt32(self[i + 3]) << 24
  }
  @inline(__always) func u64(_ i: Int) -> UInt64 {
    UInt64(u32(i)) | UInt64(u32(i + 4)) << 32
  }
}
