import CLeadsheetZlib
import LeadsheetCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a ZIP archive as a stream: entries deflated one after the other, constant memory.
///
/// Each entry has a local header with general-purpose bit 3 set (sizes and
/// CRC-32 follow the data in a data descriptor) and bit 11 (UTF-8 names), so
/// nothing is buffered or rewritten. The central directory follows the last
/// entry. ZIP64 is used when needed: an entry whose sizes or offset pass
/// 4 GiB gets a ZIP64 extra field in the central directory (and 64-bit sizes
/// in its data descriptor), and an archive with more than 65,535 entries or a
/// central directory past 4 GiB gets the ZIP64 end records.
final class ZIPStreamWriter {
  private struct Entry {
    var name: [UInt8]
    var offset: UInt64
    var crc: UInt = 0
    var compressed: UInt64 = 0
    var uncompressed: UInt64 = 0
  }

  private let file: AtomicFileWriter
  private let deflater: Deflater
  private let forceZIP64: Bool
  private var entries: [Entry] = []
  private var current: Entry?
  private var offset: UInt64 = 0
  private let dosTime: UInt16
  private let dosDate: UInt16

  /// Starts an archive written into `file`.
  ///
  /// - Parameters:
  ///   - file: Where the bytes go.
  ///   - level: The zlib level.
  ///   - forceZIP64: Writes ZIP64 records even for a small archive (for tests).
  init(file: AtomicFileWriter, level: Int, forceZIP64: Bool = false) throws {
    self.file = file
    self.deflater = try Deflater(level: level)
    self.forceZIP64 = forceZIP64
    var now = time(nil)
    var parts = tm()
    localtime_r(&now, &parts)
    dosTime = UInt16(parts.tm_hour << 11 | parts.tm_min << 5 | parts.tm_sec / 2)
    dosDate = UInt16(
      max(0, Int(parts.tm_year) - 80) << 9 | Int(parts.tm_mon + 1) << 5 | Int(parts.tm_mday))
  }

  /// Starts a new entry; the previous one must be ended.
  func beginEntry(_ name: String) throws {
    precondition(current == nil, "end the current entry first")
    let entry = Entry(name: Array(name.utf8), offset: offset)
    var h: [UInt8] = []
    h.le32(0x0403_4b50)
    h.le16(forceZIP64 ? 45 : 20)
    h.le16(0x0808)
    h.le16(8)
    h.le16(dosTime)
    h.le16(dosDate)
    h.le32(0)
    h.le32(forceZIP64 ? 0xFFFF_FFFF : 0)
    h.le32(forceZIP64 ? 0xFFFF_FFFF : 0)
    h.le16(UInt16(entry.name.count))
    h.le16(forceZIP64 ? 20 : 0)
    h.append(contentsOf: entry.name)
    if forceZIP64 {
      h.le16(1)
      h.le16(16)
      h.le64(0)
      h.le64(0)
    }
    try emit(h)
    current = entry
  }

  /// Adds uncompressed bytes to the current entry.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard bytes.count > 0 else { return }
    current!.crc = crc32(
      current!.crc, bytes.baseAddress!.assumingMemoryBound(to: Bytef.self), UInt32(bytes.count))
    current!.uncompressed += UInt64(bytes.count)
    try deflater.deflate(bytes, finish: false) { try self.emitCompressed($0) }
  }

  /// Adds uncompressed bytes to the current entry.
  func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Ends the current entry: flushes the deflate stream and writes the data descriptor.
  func endEntry() throws {
    try deflater.deflate(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) {
      try self.emitCompressed($0)
    }
    var entry = current!
    current = nil
    var d: [UInt8] = []
    d.le32(0x0807_4b50)
    d.le32(UInt32(entry.crc))
    if forceZIP64 || entry.compressed >= 0xFFFF_FFFF || entry.uncompressed >= 0xFFFF_FFFF {
      d.le64(entry.compressed)
      d.le64(entry.uncompressed)
    } else {
      d.le32(UInt32(entry.compressed))
      d.le32(UInt32(entry.uncompressed))
    }
    try emit(d)
    entry.crc &= 0xFFFF_FFFF
    entries.append(entry)
  }

  /// Writes a whole entry at once.
  func addEntry(_ name: String, _ content: String) throws {
    try beginEntry(name)
    try write(Array(content.utf8))
    try endEntry()
  }

  /// Writes the central directory and the end records.
  func finish() throws {
    precondition(current == nil, "end the current entry first")
    let start = offset
    var cd: [UInt8] = []
    for e in entries {
      var extra: [UInt8] = []
      let bigU = forceZIP64 || e.uncompressed >= 0xFFFF_FFFF
      let bigC = forceZIP64 || e.compressed >= 0xFFFF_FFFF
      let bigO = forceZIP64 || e.offset >= 0xFFFF_FFFF
      if bigU { extra.le64(e.uncompressed) }
      if bigC { extra.le64(e.compressed) }
      if bigO { extra.le64(e.offset) }
      if !extra.isEmpty {
        var x: [UInt8] = []
        x.le16(1)
        x.le16(UInt16(extra.count))
        extra = x + extra
      }
      let zip64 = !extra.isEmpty
      cd.le32(0x0201_4b50)
      cd.le16(zip64 ? 45 : 20)
      cd.le16(zip64 ? 45 : 20)
      cd.le16(0x0808)
      cd.le16(8)
      cd.le16(dosTime)
      cd.le16(dosDate)
      cd.le32(UInt32(e.crc))
      cd.le32(bigC ? 0xFFFF_FFFF : UInt32(e.compressed))
      cd.le32(bigU ? 0xFFFF_FFFF : UInt32(e.uncompressed))
      cd.le16(UInt16(e.name.count))
      cd.le16(UInt16(extra.count))
      cd.le16(0)
      cd.le16(0)
      cd.le16(0)
      cd.le32(0)
      cd.le32(bigO ? 0xFFFF_FFFF : UInt32(e.offset))
      cd.append(contentsOf: e.name)
      cd.append(contentsOf: extra)
    }
    try emit(cd)
    let size = UInt64(cd.count)
    let count = UInt64(entries.count)
    var end: [UInt8] = []
    let zip64 = forceZIP64 || count > 0xFFFF || start >= 0xFFFF_FFFF || size >= 0xFFFF_FFFF
    if zip64 {
      let recordOffset = offset
      end.le32(0x0606_4b50)
      end.le64(44)
      end.le16(45)
      end.le16(45)
      end.le32(0)
      end.le32(0)
      end.le64(count)
      end.le64(count)
      end.le64(size)
      end.le64(start)
      end.le32(0x0706_4b50)
      end.le32(0)
      end.le64(recordOffset)
      end.le32(1)
    }
    end.le32(0x0605_4b50)
    end.le16(0)
    end.le16(0)
    end.le16(zip64 ? 0xFFFF : UInt16(count))
    end.le16(zip64 ? 0xFFFF : UInt16(count))
    end.le32(zip64 ? 0xFFFF_FFFF : UInt32(size))
    end.le32(zip64 ? 0xFFFF_FFFF : UInt32(start))
    end.le16(0)
    try emit(end)
  }

  private func emit(_ bytes: [UInt8]) throws {
    try file.write(bytes)
    offset += UInt64(bytes.count)
  }

  private func emitCompressed(_ bytes: UnsafeRawBufferPointer) throws {
    try file.write(bytes)
    offset += UInt64(bytes.count)
    current!.compressed += UInt64(bytes.count)
  }
}

extension [UInt8] {
  mutating func le16(_ v: UInt16) {
    append(UInt8(v & 0xFF))
    append(UInt8(v >> 8))
  }

  mutating func le32(_ v: UInt32) {
    for i in 0..<4 { append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) }
  }

  mutating func le64(_ v: UInt64) {
    for i in 0..<8 { append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) }
  }
}
