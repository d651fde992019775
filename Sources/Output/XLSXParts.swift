import Foundation

/// The fixed parts of a one-sheet workbook, and the sheet's opening and closing XML.
///
/// Cell styles (`s` attribute), indexes into `cellXfs` of `styles`:
/// 0 default, 1 bold header, 2 date `yyyy-mm-dd`, 3 date-time
/// `yyyy-mm-dd hh:mm:ss`, 4 time `hh:mm:ss`.
enum XLSXParts {
  /// Style index of header cells (bold).
  static let headerStyle = 1
  /// Style index of dates.
  static let dateStyle = 2
  /// Style index of date-times.
  static let dateTimeStyle = 3
  /// Style index of times.
  static let timeStyle = 4

  static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
  static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
  static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  static let pkgRelNS = "http://schemas.openxmlformats.org/package/2006/relationships"

  static let contentTypes =
    declaration + """
      <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
      <Default Extension="rels" \
      ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
      <Default Extension="xml" ContentType="application/xml"/>\
      <Override PartName="/xl/workbook.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
      <Override PartName="/xl/worksheets/sheet1.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
      <Override PartName="/xl/styles.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
      <Override PartName="/docProps/core.xml" \
      ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
      <Override PartName="/docProps/app.xml" \
      ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
      </Types>
      """

  static let rootRels =
    declaration + """
      <Relationships xmlns="\(pkgRelNS)">\
      <Relationship Id="rId1" Type="\(relNS)/officeDocument" Target="xl/workbook.xml"/>\
      <Relationship Id="rId2" \
      Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
      Target="docProps/core.xml"/>\
      <Relationship Id="rId3" Type="\(relNS)/extended-properties" Target="docProps/app.xml"/>\
      </Relationships>
      """

  static let workbookRels =
    declaration + """
      <Relationships xmlns="\(pkgRelNS)">\
      <Relationship Id="rId1" Type="\(relNS)/worksheet" Target="worksheets/sheet1.xml"/>\
      <Relationship Id="rId2" Type="\(relNS)/styles" Target="styles.xml"/>\
      </Relationships>
      """

  static let styles =
    declaration + """
      <styleSheet xmlns="\(mainNS)">\
      <numFmts count="3">\
      <numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>\
      <numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>\
      <numFmt numFmtId="166" formatCode="hh:mm:ss"/>\
      </numFmts>\
      <fonts count="2">\
      <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
      <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
      </fonts>\
      <fills count="2"><fill><patternFill patternType="none"/></fill>\
      <fill><patternFill patternType="gray125"/></fill></fills>\
      <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
      <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
      <cellXfs count="5">\
      <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
      <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
      <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
      <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
      <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
      </cellXfs>\
      <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
      </styleSheet>
      """

  static let app =
    declaration + """
      <Properties \
      xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
      <Application>leadsheet</Application></Properties>
      """

  /// `docProps/core.xml` with a creation time (`2024-03-01T09:30:00Z`).
  static func core(created: String) -> String {
    declaration + """
      <cp:coreProperties \
      xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
      xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
      <dc:creator>leadsheet</dc:creator>\
      <dcterms:created xsi:type="dcterms:W3CDTF">\(created)</dcterms:created>\
      <dcterms:modified xsi:type="dcterms:W3CDTF">\(created)</dcterms:modified>\
      </cp:coreProperties>
      """
  }

  /// `xl/workbook.xml`: one sheet, and the hidden `_xlnm._FilterDatabase` name
  /// Excel expects beside an autofilter.
  static func workbook(sheetName: String, filterRange: String) -> String {
    var name: [UInt8] = []
    XMLText.append(sheetName, to: &name, attribute: true)
    let escaped = String(decoding: name, as: UTF8.self)
    let quoted = "'" + escaped.replacingOccurrences(of: "'", with: "''") + "'"
    return declaration + """
      <workbook xmlns="\(mainNS)" xmlns:r="\(relNS)">\
      <bookViews><workbookView/></bookViews>\
      <sheets><sheet name="\(escaped)" sheetId="1" r:id="rId1"/></sheets>\
      <definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\
      \(quoted)!\(filterRange)</definedName></definedNames>\
      </workbook>
      """
  }

  /// Makes a sheet name Excel accepts: no `[]:*?/\`, not blank, no `'` at
  /// either end, at most 31 characters (UTF-16 units).
  static func validSheetName(_ name: String) -> String {
    var s = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 })
    s = s.trimmingCharacters(in: .whitespaces)
    while s.hasPrefix("'") { s.removeFirst() }
    while s.hasSuffix("'") { s.removeLast() }
    while s.utf16.count > 31 { s.removeLast() }
    s = s.trimmingCharacters(in: .whitespaces)
    return s.isEmpty ? "Sheet1" : s
  }
}
