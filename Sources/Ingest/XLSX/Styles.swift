import LeadsheetCore

/// How a number format shows a number: as a number, or as a date/time.
enum NumberStyle: UInt8, Sendable {
  /// Not a date: rendered as a number.
  case number
  /// A calendar date (`2024-03-01`).
  case date
  /// A time of day (`09:30:00`).
  case time
  /// A date and a time (`2024-03-01T09:30:00`).
  case dateTime
  /// A duration in hours (`[h]:mm:ss` → `36:30:00`).
  case elapsed

  /// The style of a built-in number format id (ECMA-376 §18.8.30, with the
  /// East Asian ids Excel maps to dates and times).
  static func builtin(_ id: Int) -> NumberStyle {
    switch id {
    case 14...17, 27...31, 36, 50...54, 57, 58: return .date
    case 18...21, 32...35, 45, 47, 55, 56: return .time
    case 22: return .dateTime
    case 46: return .elapsed
    default: return .number
    }
  }

  /// Classifies a custom format code by its date and time letters.
  ///
  /// Letters inside quotes, after a backslash, after `_` or `*`, and inside
  /// brackets (`[Red]`, `[$-409]`) do not count, except the elapsed-time
  /// brackets `[h]`, `[mm]`, `[ss]`. Only the first section (before `;`) is read.
  /// `m` is minutes next to `h` or `s`, else months.
  static func classify(_ code: String) -> NumberStyle {
    let u = Array(code.utf8)
    var letters: [UInt8] = []
    var elapsed = false
    var i = 0
    while i < u.count {
      let c = u[i]
      switch c {
      case 0x22:  // "text"
        i += 1
        while i < u.count && u[i] != 0x22 { i += 1 }
      case 0x5C, 0x5F, 0x2A:  // \x _x *x
        i += 1
      case 0x5B:  // [...]
        var j = i + 1
        var inner: [UInt8] = []
        while j < u.count && u[j] != 0x5D {
          inner.append(u[j] | 0x20)
          j += 1
        }
        if !inner.isEmpty,
          inner.allSatisfy({ $0 == 0x68 }) || inner.allSatisfy({ $0 == 0x6D })
            || inner.allSatisfy({ $0 == 0x73 })
        {
          elapsed = true
          letters.append(inner[0])
        }
        i = j
      case 0x3B:  // ; ends the first section
        i = u.count
        continue
      default:
        let l = c | 0x20
        // AM/PM and A/P are markers, not letters of the format.
        if l == 0x61, i + 4 < u.count, u[i + 1] | 0x20 == 0x6D, u[i + 2] == 0x2F,
          u[i + 3] | 0x20 == 0x70, u[i + 4] | 0x20 == 0x6D
        {
          i += 5
          continue
        }
        if l == 0x61, i + 2 < u.count, u[i + 1] == 0x2F, u[i + 2] | 0x20 == 0x70 {
          i += 3
          continue
        }
        if c >= 0x41 && c <= 0x5A || c >= 0x61 && c <= 0x7A { letters.append(l) }
      }
      i += 1
    }
    var date = false
    var time = false
    for (k, l) in letters.enumerated() {
      switch l {
      case 0x79, 0x64: date = true  // y d
      case 0x68, 0x73: time = true  // h s
      case 0x6D:  // m: minutes after h or before s, else month
        let prev = letters[..<k].last(where: { $0 != 0x6D })
        let next = letters[(k + 1)...].first(where: { $0 != 0x6D })
        if prev == 0x68 || next == 0x73 { time = true } else { date = true }
      default: break
      }
    }
    if elapsed { return .elapsed }
    if date && time { return .dateTime }
    if date { return .date }
    if time { return .time }
    return .number
  }
}

/// The number style of each cell format (`xl/styles.xml`, `cellXfs`), by `s` index.
enum Styles {
  /// Reads the cell formats' number styles.
  ///
  /// - Throws: `LeadsheetError` for malformed XML or a DOCTYPE.
  static func read(archive: ZipArchive, part: String, limits: IngestLimits) throws -> [NumberStyle]
  {
    guard let entry = archive.entry(part) else { return [] }
    let xml = try XMLStreamReader(
      stream: ZipEntryStream(archive: archive, entry: entry, limits: limits))
    var custom: [Int: NumberStyle] = [:]
    var xfs: [Int] = []
    var inCellXfs = false
    // Only `<numFmts>` defines the cell formats' number formats: a `<numFmt>` inside
    // `<dxfs>` (a conditional or pivot format) may reuse an id, even a built-in one
    // (14), for something else, and must not change how cells read.
    var inNumFmts = false
    while try xml.read() {
      if xml.nodeType == XMLNode.endElement {
        if xmlNameIs(xml.localName, "cellXfs") { inCellXfs = false }
        if xmlNameIs(xml.localName, "numFmts") { inNumFmts = false }
        continue
      }
      guard xml.nodeType == XMLNode.element else { continue }
      let name = xml.localName
      if xmlNameIs(name, "numFmts") {
        inNumFmts = !xml.isEmptyElement
      } else if inNumFmts && xmlNameIs(name, "numFmt") {
        var id: Int?
        var code = ""
        for a in xml.attributes() {
          if a.name == "numFmtId" { id = Int(a.value) }
          if a.name == "formatCode" { code = a.value }
        }
        if let id { custom[id] = NumberStyle.classify(code) }
      } else if xmlNameIs(name, "cellXfs") {
        inCellXfs = !xml.isEmptyElement
      } else if inCellXfs && xmlNameIs(name, "xf") {
        var id = 0
        for a in xml.attributes() where a.name == "numFmtId" { id = Int(a.value) ?? 0 }
        xfs.append(id)
      }
    }
    return xfs.map { custom[$0] ?? NumberStyle.builtin($0) }
  }
}
