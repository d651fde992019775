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
    help: ArgumentHelp(
      "CSV: the text encoding (default: detected).",
      discussion:
        "utf-8, utf-16le, utf-16be, utf-32le, utf-32be, windows-1252, or any name iconv knows"
        + " (`iconv -l`): cp932 or shift_jis (Japanese Excel), gb18030 or gbk (Chinese Excel),"
        + " big5, windows-1253, iso-8859-7, windows-1251, macintosh (Mac Roman)…"))
  var encoding: String?

  @Option(
    help: ArgumentHelp(
      "The longest cell read, in bytes (default: 1048576, 1 MiB).",
      discussion:
        "A guard against garbage (a stray quote swallowing the file). Cells longer than Excel's"
        + " 32,767 characters are read and kept whole in CSV output; XLSX output cuts them."))
  var maxCellBytes: Int?

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
      guard let e = TextEncoding(name: encoding) else {
        throw LeadsheetError(
          .usage, "unknown encoding '\(encoding)'", hint: TextEncoding.namesHint)
      }
      options.encoding = e
    }
    if let maxCellBytes {
      guard maxCellBytes >= 1 else {
        throw LeadsheetError(.usage, "--max-cell-bytes must be 1 or more")
      }
      options.limits.maxCellBytes = maxCellBytes
    }
    return options
  }
}
