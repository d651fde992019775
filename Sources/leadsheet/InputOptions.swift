import Foundation
import ArgumentParser
import Ingest
import LeadsheetCore

/// How to read the input file: options shared by `inspect` and `enrich`.
struct InputOptions: ParsableArguments {
  @Argument(help: "The lead list: a CSV or XLSX file.")
  var file: String

  @Option(
    help: "XLSX: the sheet to read, by name or 1-based index (default: the first visible sheet).")
  var sheet: String?

  @Option(help: "CSV: the field delimiter: ',', ';', 'tab' or '|' (default: sniffed).")
  var delimiter: String?

  @Option(
    help: "CSV: the text encoding: utf-8, utf-16le, utf-16be or windows-1252 (default: detected).")
  var encoding: String?

  @Option(help: "The 1-based row holding the column names (default: the first non-empty row).")
  var headerRow: Int?

  /// The ingest options these flags describe.
  func ingestOptions() throws -> IngestOptions {
    var options = IngestOptions()
    options.sheet = sheet
    options.headerRow = headerRow
    if let headerRow, headerRow < 1 {
      throw LeadsheetError(.usage, "--header-row must be 1 or more")
    }
    if let delimiter {
      switch delimiter.lowercased() {
      case ",", "comma": options.delimiter = UInt8(ascii: ",")
      case ";", "semicolon": options.delimiter = UInt8(ascii: ";")
      case "\t", "tab", "\\t": options.delimiter = UInt8(ascii: "\t")
      case "|", "pipe": options.delimiter = UInt8(ascii: "|")
      default:
        throw LeadsheetError(
          .usage, "unsupported delimiter '\(delimiter)'", hint: "use ',', ';', 'tab' or '|'")
      }
    }
    if let encoding {
      let name = encoding.lowercased().replacingOccurrences(of: "_", with: "-")
      let aliases: [String: TextEncoding] = [
        "utf8": .utf8, "utf-8": .utf8, "utf-16le": .utf16LE, "utf16le": .utf16LE,
        "utf-16be": .utf16BE, "utf16be": .utf16BE, "windows-1252": .windows1252,
        "cp1252": .windows1252, "latin1": .windows1252, "iso-8859-1": .windows1252,
      ]
      guard let e = aliases[name] else {
        throw LeadsheetError(
          .usage, "unsupported encoding '\(encoding)'",
          hint: "use utf-8, utf-16le, utf-16be or windows-1252")
      }
      options.encoding = e
    }
    return options
  }
}
