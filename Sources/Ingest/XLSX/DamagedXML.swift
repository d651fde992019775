import LeadsheetCore

/// The error for a workbook part that is not well-formed XML.
///
/// libxml2's own words ("Document is empty", "Start tag expected, '<' not
/// found") mean little to a user holding a spreadsheet: the message names the
/// part and the line, says the workbook is damaged, and says in plain words
/// what libxml2 found, keeping its words in brackets for a bug report.
///
///     leads.xlsx: xl/worksheets/sheet1.xml: the workbook is damaged: invalid XML at line 1:
///     text before the first element [libxml2: Document is empty] (re-save it in Excel or …)
enum DamagedXML {
  /// The error for `part` of `file`, from libxml2's message and line.
  ///
  /// - Parameters:
  ///   - file: The workbook, as the user named it.
  ///   - part: The part (`xl/worksheets/sheet1.xml`).
  ///   - message: libxml2's message, if it gave one (only its first line is kept).
  ///   - line: The line libxml2 reported (1-based), if any.
  static func error(file: String, part: String, libxml2 message: String?, line: Int?)
    -> LeadsheetError
  {
    let raw =
      message.flatMap {
        $0.split(whereSeparator: \.isNewline).first.map { String($0).trimmingWhitespace() }
      } ?? ""
    var text = "the workbook is damaged: invalid XML"
    if let line, line > 0 { text += " at line \(line)" }
    text += ": " + explain(raw)
    if !raw.isEmpty { text += " [libxml2: \(raw)]" }
    return LeadsheetError(
      .malformed, file: file, location: .part(part), text,
      hint: "re-save it in Excel or LibreOffice, or export the list again")
  }

  /// libxml2's message in plain words (`Document is empty` → text before the first element).
  static func explain(_ message: String) -> String {
    let m = message.lowercased()
    if m.isEmpty { return "the part cannot be parsed" }
    if m.contains("document is empty") || m.contains("start tag expected")
      || m.contains("content at the start") || m.contains("document labelled")
      || m.contains("declaration allowed only at the start")
    {
      return "text before the first element (the part must start with '<')"
    }
    if m.contains("extra content at the end") {
      return "text after the last element"
    }
    if m.contains("premature end of data") || m.contains("eof") || m.contains("not finished")
      || m.contains("truncated")
    {
      return "the part ends in the middle of an element (truncated)"
    }
    if m.contains("tag mismatch") || m.contains("opening and ending tag") {
      return "an element is closed by the wrong end tag"
    }
    if m.contains("encoding") || m.contains("not utf-8") || m.contains("char 0x")
      || m.contains("invalid char") || m.contains("not proper utf")
    {
      return "bytes that are not valid text in the part's encoding"
    }
    if m.contains("attribute") {
      return "a broken attribute"
    }
    return "the part is not well-formed"
  }
}
