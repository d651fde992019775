import LeadsheetCore

/// Relationship namespaces, transitional and Strict.
enum OOXMLNamespace {
  static let relationships = [
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
  ]
}

/// What `xl/workbook.xml` and its relationships say: the sheets in order,
/// where their parts are, and the date system.
struct Workbook {
  /// One sheet of the workbook.
  struct Sheet {
    /// The name on the tab.
    var name: String
    /// `visible`, `hidden` or `veryHidden`.
    var state: String
    /// The sheet's part (`xl/worksheets/sheet1.xml`), `nil` if unresolved.
    var part: String?
    /// What kind of sheet it is, from its relationship type.
    var kind: Kind

    /// Whether the sheet shows as a tab.
    var isVisible: Bool { state != "hidden" && state != "veryHidden" }
    /// Whether the part is a chart sheet (no cells).
    var isChart: Bool { kind == .chart }
  }

  /// The kinds of sheet a workbook lists among its tabs.
  enum Kind: Equatable {
    /// A worksheet (`…/relationships/worksheet`): cells, the one the reader is for.
    case worksheet
    /// A chart sheet (`…/chartsheet`): a chart, no cells.
    case chart
    /// An Excel 5 dialog sheet (`…/dialogsheet`): form controls, no list.
    case dialog
    /// An Excel 4 macro sheet (`…/xlMacrosheet`, `…/xlIntlMacrosheet`): macro formulas.
    case macro

    /// The kind a relationship type names; anything unknown is taken as a worksheet.
    init(relationshipType type: String) {
      if type.hasSuffix("/chartsheet") {
        self = .chart
      } else if type.hasSuffix("/dialogsheet") {
        self = .dialog
      } else if type.hasSuffix("/xlMacrosheet") || type.hasSuffix("/xlIntlMacrosheet") {
        self = .macro
      } else {
        self = .worksheet
      }
    }

    /// How messages name it: `a chart sheet`.
    var description: String {
      switch self {
      case .worksheet: return "a worksheet"
      case .chart: return "a chart sheet"
      case .dialog: return "a dialog sheet"
      case .macro: return "a macro sheet"
      }
    }
  }

  /// The sheets in tab order.
  var sheets: [Sheet] = []
  /// Whether dates count from 1904-01-01 (old Mac Excel) instead of 1900.
  var date1904 = false
  /// The shared strings part, if any.
  var sharedStringsPart: String?
  /// The styles part, if any.
  var stylesPart: String?

  /// Reads the workbook part and its relationships.
  ///
  /// - Throws: `LeadsheetError` when there is no workbook part or it is unreadable.
  init(archive: ZipArchive, limits: IngestLimits) throws {
    var workbookPart = "xl/workbook.xml"
    if let rels = try Self.relationships(archive: archive, of: "", limits: limits) {
      if let target = rels.first(where: { $0.type.hasSuffix("/officeDocument") })?.target {
        workbookPart = target
      }
    }
    if workbookPart.lowercased().hasSuffix(".bin") {
      throw LeadsheetError(
        .unsupported, file: archive.path, "binary workbooks (.xlsb) are not supported",
        hint: "save the workbook as .xlsx or CSV")
    }
    guard let workbookName = archive.resolve(workbookPart) else {
      throw LeadsheetError(
        .malformed, file: archive.path, "not an Excel workbook: no \(workbookPart) inside the ZIP",
        hint: "export the list as .xlsx or CSV")
    }
    var sheetIDs: [(name: String, state: String, id: String?)] = []
    let xml = try XMLStreamReader(
      stream: ZipEntryStream(
        archive: archive, entry: archive.entry(workbookName)!, limits: limits))
    while try xml.read() {
      guard xml.nodeType == XMLNode.element else { continue }
      if xmlNameIs(xml.localName, "sheet") {
        var name = ""
        var state = "visible"
        var id: String?
        for a in xml.attributes() {
          if a.namespace == nil && a.name == "name" { name = a.value }
          if a.namespace == nil && a.name == "state" { state = a.value }
          if a.name == "id", let ns = a.namespace, OOXMLNamespace.relationships.contains(ns) {
            id = a.value
          }
        }
        sheetIDs.append((name, state, id))
      } else if xmlNameIs(xml.localName, "workbookPr") {
        for a in xml.attributes() where a.name == "date1904" {
          date1904 = a.value == "1" || a.value == "true"
        }
      }
    }
    let rels =
      try Self.relationships(archive: archive, of: workbookName, limits: limits) ?? []
    let byID = Dictionary(rels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    for s in sheetIDs {
      let rel = s.id.flatMap { byID[$0] }
      sheets.append(
        Sheet(
          name: s.name, state: s.state, part: rel.flatMap { archive.resolve($0.target) },
          kind: rel.map { Kind(relationshipType: $0.type) } ?? .worksheet))
    }
    sharedStringsPart =
      rels.first(where: { $0.type.hasSuffix("/sharedStrings") })
      .flatMap { archive.resolve($0.target) } ?? archive.resolve("xl/sharedStrings.xml")
    stylesPart =
      rels.first(where: { $0.type.hasSuffix("/styles") })
      .flatMap { archive.resolve($0.target) } ?? archive.resolve("xl/styles.xml")
  }

  /// One relationship, its target resolved to a part name.
  struct Relationship {
    var id: String
    var type: String
    var target: String
  }

  /// Reads the relationships of `part` (`""` for the package), or `nil` if it has none.
  static func relationships(archive: ZipArchive, of part: String, limits: IngestLimits) throws
    -> [Relationship]?
  {
    let dir = part.split(separator: "/", omittingEmptySubsequences: false).dropLast()
      .joined(separator: "/")
    let file = part.split(separator: "/").last.map(String.init) ?? ""
    let relsName = (dir.isEmpty ? "" : dir + "/") + "_rels/" + file + ".rels"
    guard let entry = archive.entry(relsName) else {
      return nil
    }
    let xml = try XMLStreamReader(
      stream: ZipEntryStream(archive: archive, entry: entry, limits: limits))
    var result: [Relationship] = []
    while try xml.read() {
      guard xml.nodeType == XMLNode.element, xmlNameIs(xml.localName, "Relationship") else {
        continue
      }
      var id = ""
      var type = ""
      var target = ""
      var external = false
      for a in xml.attributes() {
        switch a.name {
        case "Id": id = a.value
        case "Type": type = a.value
        case "Target": target = a.value
        case "TargetMode": external = a.value == "External"
        default: break
        }
      }
      if external { continue }
      result.append(Relationship(id: id, type: type, target: resolvePath(target, from: dir)))
    }
    return result
  }

  /// Resolves a relationship target against the folder of its source part.
  ///
  /// `resolvePath("worksheets/sheet1.xml", from: "xl")` → `xl/worksheets/sheet1.xml`;
  /// `"/xl/styles.xml"` is absolute; `..` climbs. A backslash is a `/`
  /// (`worksheets\sheet1.xml`, as some Windows tools write).
  static func resolvePath(_ target: String, from dir: String) -> String {
    let target = target.contains("\\") ? String(target.map { $0 == "\\" ? "/" : $0 }) : target
    var parts: [Substring] = target.hasPrefix("/") ? [] : dir.split(separator: "/")
    for seg in target.split(separator: "/") {
      if seg == "." { continue }
      if seg == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(seg)
    }
    return parts.joined(separator: "/")
  }
}

extension ZipArchive {
  /// The name of the entry matching `name` ignoring case, with a backslash
  /// taken as `/` (as Excel finds parts), else `nil`.
  func resolve(_ name: String) -> String? { entry(name)?.name }
}
