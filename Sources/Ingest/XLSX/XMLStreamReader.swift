import CLibXML2
import Foundation
import LeadsheetCore

/// Node types of `xmlTextReaderNodeType`.
enum XMLNode {
  static let element: Int32 = 1
  static let attribute: Int32 = 2
  static let text: Int32 = 3
  static let cdata: Int32 = 4
  static let entityReference: Int32 = 5
  static let entity: Int32 = 6
  static let documentType: Int32 = 10
  static let whitespace: Int32 = 13
  static let significantWhitespace: Int32 = 14
  static let endElement: Int32 = 15
  static let endEntity: Int32 = 16
}

/// A pull parser over one ZIP part: libxml2's `xmlTextReader` fed by a read
/// callback that inflates the part on demand.
///
/// Parsed with `XML_PARSE_NONET` and without entity substitution, DTD loading
/// or XInclude. A DOCTYPE or an entity reference anywhere refuses the part:
/// no spreadsheet writer emits them, and they are how XXE and billion-laughs
/// attacks start.
final class XMLStreamReader {
  /// The libxml2 reader (not Sendable: it stays inside this object).
  let reader: OpaquePointer
  /// The inflating source; kept alive as long as the reader.
  let stream: ZipEntryStream
  /// The part's name, for messages.
  let part: String
  /// The file, for messages.
  let file: String
  /// The first XML error libxml2 reported, and its line.
  fileprivate var xmlError: String?
  fileprivate var xmlErrorLine: Int?
  /// The node type after the last `read()`.
  private(set) var nodeType: Int32 = 0

  /// Options: no network, no entity substitution, no DTD, no XInclude.
  static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue)

  /// Starts parsing `stream`.
  ///
  /// - Throws: `LeadsheetError` when libxml2 cannot create the reader.
  init(stream: ZipEntryStream) throws {
    self.stream = stream
    self.part = stream.entry.name
    self.file = stream.archive.path
    let context = Unmanaged.passUnretained(stream).toOpaque()
    let readCallback: xmlInputReadCallback = { ctx, buffer, len in
      guard let ctx, let buffer, len > 0 else { return 0 }
      let stream = Unmanaged<ZipEntryStream>.fromOpaque(ctx).takeUnretainedValue()
      let out = UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
      do {
        return Int32(try stream.read(into: out, capacity: Int(len)))
      } catch {
        return -1
      }
    }
    guard
      let r = xmlReaderForIO(
        readCallback, nil, context, stream.entry.name, nil, Self.options)
    else {
      throw LeadsheetError(
        .unreadable, file: stream.archive.path, location: .part(stream.entry.name),
        "libxml2 could not start reading")
    }
    self.reader = r
    let errorCallback: xmlTextReaderErrorFunc = { arg, msg, _, locator in
      guard let arg, let msg else { return }
      let me = Unmanaged<XMLStreamReader>.fromOpaque(arg).takeUnretainedValue()
      if me.xmlError == nil {
        me.xmlError = String(cString: msg).trimmingCharacters(in: .whitespacesAndNewlines)
        if let locator { me.xmlErrorLine = Int(xmlTextReaderLocatorLineNumber(locator)) }
      }
    }
    xmlTextReaderSetErrorHandler(r, errorCallback, Unmanaged.passUnretained(self).toOpaque())
  }

  deinit {
    xmlFreeTextReader(reader)
  }

  /// Moves to the next node; `false` at the end of the document.
  ///
  /// - Throws: `LeadsheetError` for malformed XML, a DOCTYPE or entity, or a
  ///   failure of the underlying stream (corrupt data, ZIP bomb).
  @inline(__always)
  func read() throws -> Bool {
    let rc = xmlTextReaderRead(reader)
    if rc == 1 {
      nodeType = xmlTextReaderNodeType(reader)
      if nodeType == XMLNode.documentType || nodeType == XMLNode.entityReference
        || nodeType == XMLNode.entity
      {
        throw refusal()
      }
      return true
    }
    if rc == 0 { return false }
    throw failure()
  }

  private func refusal() -> LeadsheetError {
    LeadsheetError(
      .refused, file: file, location: .part(part),
      "contains a DOCTYPE/entity declaration; refused for safety (XXE or entity expansion)",
      hint:
        "no spreadsheet application writes these: re-save the workbook from Excel or LibreOffice")
  }

  private func failure() -> LeadsheetError {
    if let e = stream.error { return e }
    let message = xmlError ?? ""
    if message.contains("Entity") || message.contains("entity") || message.contains("DOCTYPE") {
      return refusal()
    }
    return DamagedXML.error(file: file, part: part, libxml2: xmlError, line: xmlErrorLine)
  }

  /// The current node's local name (no prefix), owned by libxml2 until the next read.
  @inline(__always) var localName: UnsafePointer<UInt8>? { xmlTextReaderConstLocalName(reader) }
  /// The current node's namespace URI, if any.
  @inline(__always) var namespaceURI: UnsafePointer<UInt8>? {
    xmlTextReaderConstNamespaceUri(reader)
  }
  /// The current text or attribute value, owned by libxml2 until the next move.
  @inline(__always) var value: UnsafePointer<UInt8>? { xmlTextReaderConstValue(reader) }
  /// Whether the current element is written `<x/>`.
  @inline(__always) var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
  /// Moves to the current element's next attribute; `false` when none is left.
  @inline(__always) func moveToNextAttribute() -> Bool {
    xmlTextReaderMoveToNextAttribute(reader) == 1
  }
  /// Returns from the attributes to their element.
  @inline(__always) func moveToElement() { _ = xmlTextReaderMoveToElement(reader) }

  /// The current node's local name as a Swift string (for small parts only).
  var name: String { localName.map { String(cString: $0) } ?? "" }
  /// The current value as a Swift string (for small parts only).
  var valueString: String { value.map { String(cString: $0) } ?? "" }

  /// The current element's attributes as local name → value, with namespace URIs
  /// (for small parts only; the sheet loop reads bytes instead).
  func attributes() -> [(name: String, namespace: String?, value: String)] {
    var result: [(String, String?, String)] = []
    while moveToNextAttribute() {
      result.append((name, namespaceURI.map { String(cString: $0) }, valueString))
    }
    moveToElement()
    return result
  }
}

/// Compares a NUL-terminated libxml2 string with ASCII bytes.
@inline(__always)
func xmlNameIs(_ p: UnsafePointer<UInt8>?, _ s: StaticString) -> Bool {
  guard let p else { return false }
  let q = s.utf8Start
  let n = s.utf8CodeUnitCount
  for i in 0..<n where p[i] != q[i] { return false }
  return p[n] == 0
}
