import CLibXML2
import LeadsheetCore

/// libxml2's SAX2 push parser over one ZIP part, inflated 64 KiB and parsed 4 KiB at a time.
///
/// Used for the parts that can be large (the worksheet, the shared strings):
/// no node tree is built and freed, which measured 2.4× faster than
/// `xmlTextReader` on a 280 MB sheet. Subclasses override `startElement`,
/// `endElement` and `characters`; names arrive as NUL-terminated local names
/// (no prefix), attributes as libxml2's 5-pointer records.
///
/// Security: `XML_PARSE_NONET`, no entity substitution, no DTD loading. A
/// DOCTYPE (the `internalSubset` callback comes before any entity can be
/// declared), an entity declaration or an entity reference stops the parser
/// and refuses the part.
class SAXPushParser {
  /// The inflating source.
  let stream: ZipEntryStream
  /// The file, for messages.
  let file: String
  /// The part, for messages.
  let part: String
  private var parser: xmlParserCtxtPtr?
  private let chunk: UnsafeMutablePointer<UInt8>
  /// Bytes inflated at a time.
  private let chunkSize: Int
  /// Bytes handed to libxml2 per `feed()`: small, so that a caller pulling
  /// rows never holds more than a few KiB worth of them (a row of 16,384
  /// cells takes ~400 KB as `Cell`s while its XML can take 40 bytes).
  private let pieceSize: Int
  /// Inflated bytes not yet parsed: `chunk[pending..<available]`.
  private var pending = 0
  private var available = 0
  /// The first error met in a callback; the parser is stopped on it.
  private var failure: LeadsheetError?
  /// `failure != nil`, as a plain flag the callbacks test cheaply.
  final var failed = false
  /// Set by `finishEarly()`: the rest of the part is not needed.
  private var doneEarly = false
  /// Whether the whole part has been parsed (or parsing stopped).
  private(set) final var finished = false

  /// Creates the parser over `stream`.
  ///
  /// - Parameters:
  ///   - stream: The part.
  ///   - buffers: Bytes inflated and bytes parsed at a time (tests vary them).
  /// - Throws: `LeadsheetError` when libxml2 cannot create the parser.
  init(stream: ZipEntryStream, buffers: XLSXBufferSizes = XLSXBufferSizes()) throws {
    self.stream = stream
    self.chunkSize = max(1, buffers.inflate)
    self.pieceSize = max(1, buffers.parse)
    self.file = stream.archive.path
    self.part = stream.entry.name
    self.chunk = .allocate(capacity: chunkSize)
    var sax = xmlSAXHandler()
    sax.initialized = 0xDEED_BEAF  // XML_SAX2_MAGIC
    sax.startElementNs = saxStartElement
    sax.endElementNs = saxEndElement
    sax.characters = saxCharacters
    sax.cdataBlock = saxCharacters
    sax.ignorableWhitespace = saxCharacters
    sax.internalSubset = saxSubset
    sax.externalSubset = saxSubset
    sax.entityDecl = saxEntityDecl
    sax.reference = saxReference
    let me = Unmanaged.passUnretained(self).toOpaque()
    guard let ctxt = xmlCreatePushParserCtxt(&sax, me, nil, 0, stream.entry.name) else {
      chunk.deallocate()
      throw LeadsheetError(
        .unreadable, file: file, location: .part(part), "libxml2 could not start parsing")
    }
    _ = xmlCtxtUseOptions(
      ctxt,
      Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
    self.parser = ctxt
  }

  deinit {
    if let parser { xmlFreeParserCtxt(parser) }
    chunk.deallocate()
  }

  /// An element starts. `attributes` holds `count` records of 5 pointers:
  /// local name, prefix, URI, value start, value end.
  func startElement(
    _ name: UnsafePointer<UInt8>, _ count: Int,
    _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
  ) {}

  /// An element ends.
  func endElement(_ name: UnsafePointer<UInt8>) {}

  /// Text (in pieces: one text node may come in several calls).
  func characters(_ p: UnsafePointer<UInt8>, _ n: Int) {}

  /// Parses the next few KiB of the part (inflating more when needed);
  /// `false` once the part is done.
  ///
  /// - Throws: `LeadsheetError` for malformed XML, a refusal or an error
  ///   raised by a callback, or a failure of the stream.
  final func feed() throws -> Bool {
    guard let parser, !finished else { return false }
    if pending == available {
      do {
        available = try stream.read(into: chunk, capacity: chunkSize)
        pending = 0
      } catch {
        finished = true
        throw error
      }
    }
    let n = min(available - pending, pieceSize)
    let rc = (chunk + pending).withMemoryRebound(to: CChar.self, capacity: max(n, 1)) {
      xmlParseChunk(parser, $0, Int32(n), n == 0 ? 1 : 0)
    }
    pending += n
    if let failure {
      finished = true
      throw failure
    }
    if rc != 0 && !doneEarly {
      finished = true
      var message: String?
      var line: Int?
      if let e = xmlCtxtGetLastError(UnsafeMutableRawPointer(parser)) {
        message = e.pointee.message.map { String(cString: $0) }
        line = Int(e.pointee.line)
      }
      throw DamagedXML.error(file: file, part: part, libxml2: message, line: line)
    }
    if n == 0 || doneEarly { finished = true }
    return !finished
  }

  /// Parses the whole part.
  final func parseAll() throws {
    while try feed() {}
  }

  /// Stops parsing with `error` (kept: the first one wins).
  final func stop(_ error: LeadsheetError) {
    if !failed {
      failure = error
      failed = true
    }
    if let parser { xmlStopParser(parser) }
  }

  /// Stops parsing without error: the rest of the part is not needed.
  final func finishEarly() {
    doneEarly = true
    if let parser { xmlStopParser(parser) }
  }

  /// Refuses a DOCTYPE or an entity.
  final func refuse() {
    stop(
      LeadsheetError(
        .refused, file: file, location: .part(part),
        "contains a DOCTYPE/entity declaration; refused for safety (XXE or entity expansion)",
        hint:
          "no spreadsheet application writes these: re-save the workbook from Excel or LibreOffice"
      ))
  }
}

// MARK: C callbacks (user data is the SAXPushParser, unretained)

private func saxStartElement(
  _ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?,
  _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, _ nbNamespaces: Int32,
  _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ nbAttributes: Int32,
  _ nbDefaulted: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
  guard let ctx, let localname else { return }
  Unmanaged<SAXPushParser>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
    $0.startElement(localname, Int(nbAttributes), attributes)
  }
}

private func saxEndElement(
  _ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?,
  _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?
) {
  guard let ctx, let localname else { return }
  Unmanaged<SAXPushParser>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.endElement(localname) }
}

private func saxCharacters(
  _ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32
) {
  guard let ctx, let ch, len > 0 else { return }
  Unmanaged<SAXPushParser>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
    $0.characters(ch, Int(len))
  }
}

private func saxSubset(
  _ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?,
  _ externalID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?
) {
  guard let ctx else { return }
  Unmanaged<SAXPushParser>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.refuse() }
}

private func saxEntityDecl(
  _ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ type: Int32,
  _ publicID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?,
  _ content: UnsafeMutablePointer<xmlChar>?
) {
  guard let ctx else { return }
  Unmanaged<SAXPushParser>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.refuse() }
}

private func saxReference(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?) {
  guard let ctx else { return }
  Unmanaged<SAXPushParser>.fromOpaque(ctx)._withUnsafeGuaranteedRef { $0.refuse() }
}

/// How many bytes the XLSX reader inflates and parses at a time.
struct XLSXBufferSizes: Sendable {
  /// Bytes inflated per read of a part.
  var inflate = 64 * 1024
  /// Bytes handed to libxml2 per feed.
  var parse = 4 * 1024
}

/// A growable byte buffer with a stable address, reused across cells.
final class ByteBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 256) {
    self.capacity = capacity
    self.base = .allocate(capacity: capacity)
  }

  deinit { base.deallocate() }

  /// The bytes, valid until the next change.
  @inline(__always) var bytes: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: base, count: count)
  }

  @inline(__always) func removeAll() { count = 0 }

  @inline(__always) func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
    if count + n > capacity {
      var newCapacity = capacity * 2
      while newCapacity < count + n { newCapacity *= 2 }
      let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      newBase.update(from: base, count: count)
      base.deallocate()
      base = newBase
      capacity = newCapacity
    }
    (base + count).update(from: p, count: n)
    count += n
  }
}
