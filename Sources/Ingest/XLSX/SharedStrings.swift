import LeadsheetCore

/// The shared string table (`xl/sharedStrings.xml`), read whole into one
/// contiguous UTF-8 buffer.
///
/// Each `<si>` is one string: its `<t>` text, or its rich-text runs `<r><t>`
/// concatenated; phonetic runs (`<rPh>`) are skipped. An empty `<si/>` still
/// takes its index.
///
/// Memory: a million unique emails cost their bytes plus 4 bytes each, not a
/// Swift `String` object each (measured: 131 MB → 70 MB peak on a 1M-row
/// Excel-like sheet). A `String` is made when a cell asks for it and kept in
/// a small direct-mapped cache, so a string referenced by thousands of cells
/// (a company name, a status) is one shared `String` storage.
///
/// Past `memoryBudget` bytes of text (`IngestLimits.sharedStringsInMemory`),
/// the text moves to a temporary file read back through a memory mapping
/// (`SpilledBytes`), so that a workbook's size does not decide the memory
/// used; only the 4 bytes per string of `ends` stay. When no temporary file
/// can be made, the text stays in memory.
final class SharedStringTable {
  /// The strings' UTF-8 bytes, end to end (until spilled).
  private var blob: [UInt8] = []
  /// The bytes kept in `blob` before the text moves to `spill`.
  private let memoryBudget: Int
  /// The text, once past the budget.
  private var spill: SpilledBytes?
  /// Whether a spill was tried and failed (the text then stays in memory).
  private(set) var spillFailed = false
  /// The folder for the temporary file; `nil` for `TMPDIR` (tests set it).
  private let spillBase: String?
  /// Whether the text is in a temporary file.
  var spilled: Bool { spill != nil }
  /// The end offset of each string in `blob`.
  private var ends: [UInt32] = []
  private static let cacheSize = 4096
  // Raw pointers: no exclusivity checks on the hot path.
  private let cacheIndex: UnsafeMutablePointer<Int>
  private let cacheString: UnsafeMutablePointer<String>

  init(memoryBudget: Int = IngestLimits().sharedStringsInMemory, spillBase: String? = nil) {
    self.memoryBudget = max(0, memoryBudget)
    self.spillBase = spillBase
    cacheIndex = .allocate(capacity: Self.cacheSize)
    cacheIndex.initialize(repeating: -1, count: Self.cacheSize)
    cacheString = .allocate(capacity: Self.cacheSize)
    cacheString.initialize(repeating: "", count: Self.cacheSize)
  }

  deinit {
    cacheIndex.deallocate()
    cacheString.deinitialize(count: Self.cacheSize)
    cacheString.deallocate()
  }

  /// How many strings the table holds.
  var count: Int { ends.count }

  /// Appends a string's bytes.
  func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let total = Int(ends.last ?? 0) + bytes.count
    guard total <= Int(UInt32.max) else { return false }
    if spill == nil, !spillFailed, blob.count + bytes.count > memoryBudget {
      do {
        let spill = try SpilledBytes(base: spillBase)
        blob.withUnsafeBufferPointer { spill.append($0) }
        blob = []
        self.spill = spill
      } catch {
        spillFailed = true
      }
    }
    if let spill {
      spill.append(bytes)
    } else {
      blob.append(contentsOf: bytes)
    }
    ends.append(UInt32(total))
    return true
  }

  /// Ends the writing: a spilled table's file is written out and mapped.
  ///
  /// - Throws: `LeadsheetError(.storage)` when the temporary file could not be written or mapped.
  func finishWriting() throws {
    try spill?.finishWriting()
  }

  func reserveCapacity(_ n: Int) { ends.reserveCapacity(n) }

  /// Whether string `i` is empty.
  @inline(__always) func isEmpty(_ i: Int) -> Bool {
    ends[i] == (i == 0 ? 0 : ends[i - 1])
  }

  /// String `i` (0-based; the caller checks the range).
  @inline(__always) func string(_ i: Int) -> String {
    let slot = i & (Self.cacheSize - 1)
    if cacheIndex[slot] == i { return cacheString[slot] }
    let start = i == 0 ? 0 : Int(ends[i - 1])
    let end = Int(ends[i])
    let s: String
    if let spill {
      s = String(decoding: spill.bytes(start, end), as: UTF8.self)
    } else {
      s = blob.withUnsafeBufferPointer {
        String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
      }
    }
    cacheIndex[slot] = i
    cacheString[slot] = s
    return s
  }
}

/// Reads the shared string table with the SAX2 push parser.
final class SharedStrings: SAXPushParser {
  private let table: SharedStringTable
  private let limits: IngestLimits
  private let maxBytes: Int
  private let buffer = ByteBuffer()
  private var inSI = false
  private var tDepth = 0
  private var phonetic = 0

  /// Reads the table of `part`, or an empty one if the part is missing.
  ///
  /// - Throws: `LeadsheetError` for malformed XML, a DOCTYPE, or a string
  ///   longer than `limits.maxCellBytes`.
  static func read(
    archive: ZipArchive, part: String, limits: IngestLimits,
    buffers: XLSXBufferSizes = XLSXBufferSizes()
  ) throws -> SharedStringTable {
    guard let entry = archive.entry(part) else { return SharedStringTable() }
    let parser = try SharedStrings(
      stream: ZipEntryStream(archive: archive, entry: entry, limits: limits), limits: limits,
      buffers: buffers)
    try parser.parseAll()
    try parser.table.finishWriting()
    return parser.table
  }

  private init(stream: ZipEntryStream, limits: IngestLimits, buffers: XLSXBufferSizes) throws {
    self.limits = limits
    self.table = SharedStringTable(memoryBudget: limits.sharedStringsInMemory)
    self.maxBytes = limits.maxCellBytes
    try super.init(stream: stream, buffers: buffers)
  }

  override func startElement(
    _ name: UnsafePointer<UInt8>, _ count: Int,
    _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
  ) {
    if failed { return }
    if xmlNameIs(name, "si") {
      buffer.removeAll()
      inSI = true
      tDepth = 0
      phonetic = 0
    } else if inSI && xmlNameIs(name, "t") {
      tDepth += 1
    } else if inSI && xmlNameIs(name, "rPh") {
      phonetic += 1
    } else if xmlNameIs(name, "sst"), let attributes {
      for i in 0..<count {
        guard let a = attributes[5 * i], xmlNameIs(a, "uniqueCount"),
          let start = attributes[5 * i + 3], let end = attributes[5 * i + 4]
        else { continue }
        if let n = SheetReader.integer(UnsafeBufferPointer(start: start, count: end - start)) {
          table.reserveCapacity(min(n, 1 << 20))
        }
      }
    }
  }

  override func endElement(_ name: UnsafePointer<UInt8>) {
    if failed { return }
    if xmlNameIs(name, "si") {
      inSI = false
      add(buffer.bytes)
    } else if xmlNameIs(name, "t") {
      tDepth = max(0, tDepth - 1)
    } else if xmlNameIs(name, "rPh") {
      phonetic = max(0, phonetic - 1)
    }
  }

  override func characters(_ p: UnsafePointer<UInt8>, _ n: Int) {
    guard tDepth > 0 && phonetic == 0 && !failed else { return }
    buffer.append(p, n)
    if buffer.count > maxBytes {
      stop(tooLong(limits, file: file, location: .part(part), what: "shared string \(table.count)"))
    }
  }

  private func add(_ bytes: UnsafeBufferPointer<UInt8>) {
    var ok: Bool
    if bytes.count > limits.maxCellBytes || (bytes.count >= 7 && bytes.contains(0x5F)) {
      do {
        var s = try cellString(
          bytes, limits: limits, file: file, location: .part(part),
          what: "shared string \(table.count)")
        ok = s.withUTF8 { table.append($0) }
      } catch let e as LeadsheetError {
        stop(e)
        return
      } catch {
        return
      }
    } else {
      ok = table.append(bytes)
    }
    if !ok {
      stop(
        LeadsheetError(
          .refused, file: file, location: .part(part),
          "the shared strings exceed 4 GiB; refused", hint: "save the list as CSV"))
    }
  }
}

/// The error for a cell longer than the limit.
func tooLong(_ limits: IngestLimits, file: String, location: SourceLocation, what: String)
  -> LeadsheetError
{
  LeadsheetError(
    .refused, file: file, location: location,
    "\(what) is longer than \(limits.maxCellBytes) bytes, the limit; refused",
    hint: "check how the file was made, or raise the limit with --max-cell-bytes")
}

/// Decodes cell text bytes: UTF-8, then OOXML's `_xHHHH_` escapes; checks the length.
///
/// - Throws: `LeadsheetError(.refused)` when longer than `limits.maxCellBytes`
///   UTF-8 bytes (a guard against garbage; Excel's 32,767 characters are the
///   XLSX writer's business).
func cellString(
  _ bytes: UnsafeBufferPointer<UInt8>, limits: IngestLimits, file: String,
  location: @autoclosure () -> SourceLocation, what: @autoclosure () -> String
) throws -> String {
  var s = String(decoding: bytes, as: UTF8.self)
  if bytes.count > limits.maxCellBytes {
    throw tooLong(limits, file: file, location: location(), what: what())
  }
  if bytes.count >= 7 && bytes.contains(0x5F) { s = decodeOOXMLEscapes(s) }
  return s
}

/// `cellString` over an array.
func cellString(
  _ bytes: [UInt8], limits: IngestLimits, file: String,
  location: @autoclosure () -> SourceLocation, what: @autoclosure () -> String
) throws -> String {
  try bytes.withUnsafeBufferPointer {
    try cellString($0, limits: limits, file: file, location: location(), what: what())
  }
}

/// Replaces `_xHHHH_` escapes (how OOXML writes control characters such as
/// `_x000D_` for a carriage return) by their character; `_x005F_` escapes `_`.
func decodeOOXMLEscapes(_ s: String) -> String {
  let u = Array(s.utf8)
  guard u.count >= 7 else { return s }
  var out: [UInt8] = []
  out.reserveCapacity(u.count)
  var i = 0
  var changed = false
  func hex(_ c: UInt8) -> UInt32? {
    switch c {
    case 0x30...0x39: return UInt32(c - 0x30)
    case 0x41...0x46: return UInt32(c - 0x41 + 10)
    case 0x61...0x66: return UInt32(c - 0x61 + 10)
    default: return nil
    }
  }
  while i < u.count {
    if u[i] == 0x5F, i + 6 < u.count, u[i + 1] == 0x78 || u[i + 1] == 0x58, u[i + 6] == 0x5F,
      let a = hex(u[i + 2]), let b = hex(u[i + 3]), let c = hex(u[i + 4]), let d = hex(u[i + 5]),
      let scalar = Unicode.Scalar(a << 12 | b << 8 | c << 4 | d)
    {
      out.append(contentsOf: Array(String(Character(scalar)).utf8))
      i += 7
      changed = true
      continue
    }
    out.append(u[i])
    i += 1
  }
  return changed ? String(decoding: out, as: UTF8.self) : s
}

extension String {
  /// The string without leading and trailing spaces, tabs and newlines.
  func trimmingWhitespace() -> String {
    let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    guard let a = firstIndex(where: { !ws($0) }), let b = lastIndex(where: { !ws($0) }) else {
      return ""
    }
    return String(self[a...b])
  }
}
