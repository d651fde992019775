import LeadsheetCore

/// The streaming loop over one worksheet's `<sheetData>`, a row per call.
///
/// Element and attribute names are compared as bytes (no Swift strings in
/// the loop); the `r` references and numbers are parsed from bytes. Rows
/// without a valued cell are not returned, and a row ends at its last valued
/// cell, so formatted-but-empty cells far away cost nothing.
final class SheetReader {
  private let xml: XMLStreamReader
  private let strings: [String]
  private let styles: [NumberStyle]
  private let date1904: Bool
  private let limits: IngestLimits
  private let sheetName: String
  private let file: String
  private var lastRow = 0
  private var done = false
  private var vbuf: [UInt8] = []
  private var tbuf: [UInt8] = []
  /// Formula cells without a cached value, and the first of them.
  private(set) var formulasWithoutValue = 0
  private(set) var firstFormulaWithoutValue: String?

  /// Cell types of the `t` attribute.
  private enum CellType {
    case number, shared, boolean, error, formulaString, inlineString, date
  }

  init(
    xml: XMLStreamReader, strings: [String], styles: [NumberStyle], date1904: Bool,
    limits: IngestLimits, sheetName: String
  ) {
    self.xml = xml
    self.strings = strings
    self.styles = styles
    self.date1904 = date1904
    self.limits = limits
    self.sheetName = sheetName
    self.file = xml.file
    vbuf.reserveCapacity(256)
    tbuf.reserveCapacity(256)
  }

  private func location(_ col: Int, _ row: Int) -> SourceLocation {
    .cell(sheet: sheetName, reference: SourceLocation.columnLetters(col) + String(row))
  }

  /// The next row with at least one valued cell, or `nil` after `</sheetData>`.
  ///
  /// - Throws: `LeadsheetError` for malformed XML, a DOCTYPE, a broken limit
  ///   or a shared-string index out of range.
  func next() throws -> SourceRow? {
    if done { return nil }
    var cells: [Cell] = []
    var rowNumber = 0
    var lastCol = -1
    // The current cell.
    var col = 0
    var type = CellType.number
    var style = 0
    var hasValue = false
    var hasInline = false
    var hasFormula = false
    var capture = 0  // 1: <v> text, 2: <is><t> text
    var inInline = false
    var phonetic = 0
    let xml = self.xml
    while try xml.read() {
      switch xml.nodeType {
      case XMLNode.element:
        guard let name = xml.localName else { continue }
        let empty = xml.isEmptyElement
        switch name[0] {
        case 0x63 where name[1] == 0:  // c
          col = lastCol + 1
          type = .number
          style = 0
          hasValue = false
          hasInline = false
          hasFormula = false
          while xml.moveToNextAttribute() {
            guard let a = xml.localName, let v = xml.value else { continue }
            if a[1] != 0 { continue }
            switch a[0] {
            case 0x72:  // r
              if let c = Self.column(v) { col = c }
            case 0x74:  // t
              type = Self.cellType(v)
            case 0x73:  // s
              style = Self.integer(v) ?? 0
            default: break
            }
          }
          lastCol = col
          if col >= limits.maxColumns {
            throw LeadsheetError(
              .refused, file: file, location: location(col, rowNumber),
              "more than \(limits.maxColumns) columns; refused")
          }
          if empty { continue }
        case 0x76 where name[1] == 0:  // v
          if !empty {
            capture = 1
            vbuf.removeAll(keepingCapacity: true)
            hasValue = true
          }
        case 0x66 where name[1] == 0:  // f
          hasFormula = true
        case 0x74 where name[1] == 0:  // t
          if inInline && phonetic == 0 && !empty { capture = 2 }
        case 0x69 where name[1] == 0x73 && name[2] == 0:  // is
          if !empty {
            inInline = true
            hasInline = true
            tbuf.removeAll(keepingCapacity: true)
          }
        case 0x72 where name[1] == 0x50 && name[2] == 0x68 && name[3] == 0:  // rPh
          if !empty { phonetic += 1 }
        case 0x72 where xmlNameIs(name, "row"):
          var number = lastRow + 1
          while xml.moveToNextAttribute() {
            guard let a = xml.localName, let v = xml.value else { continue }
            if a[0] == 0x72 && a[1] == 0, let n = Self.integer(v), n > 0 { number = n }
          }
          rowNumber = number
          lastRow = number
          lastCol = -1
          cells = []
          if empty { continue }
        case 0x73 where xmlNameIs(name, "sheetData"):
          if empty {
            done = true
            return nil
          }
        default:
          break
        }
      case XMLNode.text, XMLNode.cdata, XMLNode.whitespace, XMLNode.significantWhitespace:
        guard capture != 0, let v = xml.value else { continue }
        if capture == 1 {
          appendCString(v, to: &vbuf)
          if vbuf.count > 3 * limits.maxCellLength + 3 {
            throw tooLong(limits, file: file, location: location(col, rowNumber), what: "the cell")
          }
        } else {
          appendCString(v, to: &tbuf)
          if tbuf.count > 3 * limits.maxCellLength + 3 {
            throw tooLong(limits, file: file, location: location(col, rowNumber), what: "the cell")
          }
        }
      case XMLNode.endElement:
        guard let name = xml.localName else { continue }
        switch name[0] {
        case 0x63 where name[1] == 0:  // </c>
          capture = 0
          if let cell = try makeCell(
            type: type, style: style, hasValue: hasValue, hasInline: hasInline, col: col,
            row: rowNumber)
          {
            if col == cells.count {
              cells.append(cell)
            } else if col > cells.count {
              cells.reserveCapacity(col + 1)
              while cells.count < col { cells.append(Cell.empty) }
              cells.append(cell)
            } else {
              cells[col] = cell
            }
          } else if hasFormula {
            formulasWithoutValue += 1
            if firstFormulaWithoutValue == nil {
              firstFormulaWithoutValue = location(col, rowNumber).description
            }
          }
        case 0x76 where name[1] == 0, 0x74 where name[1] == 0:  // </v> </t>
          capture = 0
        case 0x69 where name[1] == 0x73 && name[2] == 0:  // </is>
          inInline = false
        case 0x72 where name[1] == 0x50 && name[2] == 0x68 && name[3] == 0:  // </rPh>
          phonetic = max(0, phonetic - 1)
        case 0x72 where xmlNameIs(name, "row"):
          if !cells.isEmpty { return SourceRow(number: rowNumber, cells: cells) }
        case 0x73 where xmlNameIs(name, "sheetData"):
          done = true
          return cells.isEmpty ? nil : SourceRow(number: rowNumber, cells: cells)
        default:
          break
        }
      default:
        break
      }
    }
    done = true
    return cells.isEmpty ? nil : SourceRow(number: rowNumber, cells: cells)
  }

  /// The cell's value, or `nil` when it has none (`<c/>`, `<v/>`, a formula without cache).
  private func makeCell(
    type: CellType, style: Int, hasValue: Bool, hasInline: Bool, col: Int, row: Int
  ) throws -> Cell? {
    if type == .inlineString && hasInline {
      if tbuf.isEmpty { return nil }
      return Cell(
        try cellString(tbuf, limits: limits, file: file, location: location(col, row), what: "the cell"))
    }
    guard hasValue, !vbuf.isEmpty else { return nil }
    switch type {
    case .number:
      let kind = style < styles.count ? styles[style] : .number
      return vbuf.withUnsafeBufferPointer { b -> Cell in
        if kind != .number, let x = NumberRendering.parseDouble(b),
          let text = NumberRendering.date(x, style: kind, date1904: date1904)
        {
          return Cell(text, kind: .date)
        }
        if let text = NumberRendering.number(b) { return Cell(text, kind: .number) }
        return Cell(String(decoding: b, as: UTF8.self))
      }
    case .shared:
      guard let i = vbuf.withUnsafeBufferPointer({ Self.integer($0) }), i >= 0, i < strings.count else {
        throw LeadsheetError(
          .malformed, file: file, location: location(col, row),
          "refers to shared string \(String(decoding: vbuf, as: UTF8.self)), but the workbook has \(strings.count)",
          hint: "re-export the file")
      }
      let s = strings[i]
      return s.isEmpty ? nil : Cell(s)
    case .boolean:
      let truthy = vbuf == [0x31] || vbuf.elementsEqual("true".utf8) || vbuf.elementsEqual("TRUE".utf8)
      return Cell(truthy ? "TRUE" : "FALSE", kind: .boolean)
    case .error:
      return Cell(String(decoding: vbuf, as: UTF8.self), kind: .error)
    case .formulaString, .inlineString:
      return Cell(
        try cellString(vbuf, limits: limits, file: file, location: location(col, row), what: "the cell"))
    case .date:
      return Cell(Self.isoDate(String(decoding: vbuf, as: UTF8.self)), kind: .date)
    }
  }

  /// Normalizes an ISO 8601 `t="d"` value: no `Z`, no zero fraction of a second.
  static func isoDate(_ s: String) -> String {
    var s = s.trimmingWhitespace()
    if s.hasSuffix("Z") { s.removeLast() }
    if let dot = s.lastIndex(of: "."), s.contains("T"),
      s[s.index(after: dot)...].allSatisfy({ $0 == "0" })
    {
      s = String(s[..<dot])
    }
    return s
  }

  @inline(__always)
  private static func cellType(_ v: UnsafePointer<UInt8>) -> CellType {
    switch v[0] {
    case 0x73: return v[1] == 0 ? .shared : .formulaString  // s, str
    case 0x62: return .boolean  // b
    case 0x65: return .error  // e
    case 0x69: return .inlineString  // inlineStr
    case 0x64: return .date  // d
    default: return .number  // n
    }
  }

  /// The 0-based column of an A1 reference (`B12` → 1), or `nil`.
  @inline(__always)
  static func column(_ v: UnsafePointer<UInt8>) -> Int? {
    var i = 0
    var col = 0
    while true {
      let c = v[i] | 0x20
      guard c >= 0x61 && c <= 0x7A else { break }
      col = col * 26 + Int(c - 0x60)
      i += 1
      if i > 3 { return nil }
    }
    return i == 0 ? nil : col - 1
  }

  /// A non-negative decimal integer from a NUL-terminated string, or `nil`.
  @inline(__always)
  static func integer(_ v: UnsafePointer<UInt8>) -> Int? {
    var i = 0
    var n = 0
    while v[i] &- 0x30 < 10 {
      n = n &* 10 &+ Int(v[i] &- 0x30)
      i += 1
      if i > 18 { return nil }
    }
    return i == 0 || v[i] != 0 ? nil : n
  }

  /// A non-negative decimal integer from bytes, or `nil`.
  static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
    guard b.count > 0 && b.count <= 18 else { return nil }
    var n = 0
    for c in b {
      guard c &- 0x30 < 10 else { return nil }
      n = n * 10 + Int(c &- 0x30)
    }
    return n
  }
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
