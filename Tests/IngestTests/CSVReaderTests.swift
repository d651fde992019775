import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

// MARK: RFC 4180 and real exports

@Test func plainRecords() throws {
  let p = try parse("Name,Email\nAda,ada@example.com\nBob,bob@example.com\n")
  #expect(
    p.texts == [["Name", "Email"], ["Ada", "ada@example.com"], ["Bob", "bob@example.com"]])
  #expect(p.lines == [1, 2, 3])
  #expect(p.info.format == .csv)
  #expect(p.info.encoding == "utf-8")
  #expect(p.info.hasBOM == false)
  #expect(p.info.delimiter == ",")
  #expect(p.info.delimiterSource == "sniffed")
  #expect(p.warnings.isEmpty)
}

@Test func quotedFieldsWithDelimitersQuotesAndNewlines() throws {
  let csv = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\"\",plain,\"\"\"\"\nlast,1,2\n"
  let p = try parse(csv)
  #expect(
    p.texts == [
      ["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["", "plain", "\""],
      ["last", "1", "2"],
    ])
  // The record with the embedded newline starts on line 2 and ends on line 3.
  #expect(p.lines == [1, 2, 4, 5])
}

@Test func embeddedCRLFAndCRAreKeptInQuotedFields() throws {
  let p = try parse("a,b\r\n\"1\r\n2\",\"3\r4\"\r\nx,y\r\n")
  #expect(p.texts == [["a", "b"], ["1\r\n2", "3\r4"], ["x", "y"]])
  // CRLF counts once, the lone CR once more: the last record starts on line 5.
  #expect(p.lines == [1, 2, 5])
}

@Test(arguments: ["\n", "\r\n", "\r"])
func lineEnds(_ end: String) throws {
  let p = try parse(["h1,h2", "1,2", "3,4"].joined(separator: end) + end)
  #expect(p.texts == [["h1", "h2"], ["1", "2"], ["3", "4"]])
  #expect(p.lines == [1, 2, 3])
}

@Test func mixedLineEndsInOneFile() throws {
  let p = try parse("a,b\r\nc,d\ne,f\rg,h\r\n\r\ni,j")
  #expect(p.texts == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"], [], ["i", "j"]])
  #expect(p.lines == [1, 2, 3, 4, 5, 6])
}

@Test func lastRecordWithoutLineEndAndTrailingDelimiter() throws {
  let p = try parse("a,b\n1,")
  #expect(p.texts == [["a", "b"], ["1", ""]])
}

@Test func emptyLinesAreRowsWithoutCells() throws {
  let p = try parse("\n\na,b\n\n1,2\n")
  #expect(p.texts == [[], [], ["a", "b"], [], ["1", "2"]])
  #expect(p.lines == [1, 2, 3, 4, 5])
}

@Test func emptyFileHasNoRows() throws {
  let p = try parse([UInt8]())
  #expect(p.rows.isEmpty)
  #expect(p.info.delimiter == ",")
  #expect(p.info.encoding == "utf-8")
}

@Test func headerOnly() throws {
  #expect(try parse("First;Last;Email").texts == [["First", "Last", "Email"]])
  let p = try parse("First;Last;Email\r\n")
  #expect(p.texts == [["First", "Last", "Email"]])
  #expect(p.info.delimiter == ";")
}

@Test func bomOnlyFileIsEmpty() throws {
  let p = try parse([0xEF, 0xBB, 0xBF])
  #expect(p.rows.isEmpty)
  #expect(p.info.hasBOM)
}

// MARK: Lenient quotes

@Test func strayQuoteInUnquotedFieldIsKept() throws {
  #expect(try parse("ab\"c,d\n").texts == [["ab\"c", "d"]])
  #expect(try parse("5'11\",x\n").texts == [["5'11\"", "x"]])
  // A space before the quote makes the field unquoted: the quotes stay.
  #expect(try parse("a, \"b\"\n").texts == [["a", " \"b\""]])
}

@Test func textAfterClosingQuoteIsKept() throws {
  #expect(try parse("\"ab\"c,d\n").texts == [["abc", "d"]])
  #expect(try parse("\"ab\"c\"d\",e\n").texts == [["abc\"d\"", "e"]])
  #expect(try parse("\"ab\" ,x\n").texts == [["ab ", "x"]])
}

@Test func unbalancedQuoteNamesTheLineWhereTheFieldOpened() throws {
  let csv = "name,note\nAda,ok\nBob,\"never closed\nCy,fine\nDee,more\n"
  let error = try #require(leadsheetError { _ = try parse(csv) })
  #expect(error.code == .malformed)
  #expect(error.location == .line(3))
  #expect(error.file == "t.csv")
  #expect(error.hint != nil)
  #expect(error.description.hasPrefix("t.csv:3: unbalanced quote"))
  #expect(!error.description.contains("\n"))
}

@Test func rowsBeforeAnUnbalancedQuoteAreReturned() throws {
  let reader = try CSVReader(
    source: MemoryByteSource(Array("a,b\n1,2\n\"x,3\n".utf8)), file: "t.csv",
    options: IngestOptions())
  #expect(try reader.next()?.cells.map(\.text) == ["a", "b"])
  #expect(try reader.next()?.cells.map(\.text) == ["1", "2"])
  #expect(throws: LeadsheetError.self) { try reader.next() }
}

// MARK: Limits and garbage

@Test func fieldOverMaxCellBytesIsRefusedWithItsLine() throws {
  var options = IngestOptions()
  options.limits.maxCellBytes = 10
  #expect(try parse("a,b\n1234567890,x\n", options: options).rows.count == 2)
  let error = try #require(
    leadsheetError { _ = try parse("a,b\nx,y\n12345678901,x\n", options: options) })
  #expect(error.code == .refused)
  #expect(error.location == .line(3))
  #expect(error.description.contains("longer than 10 bytes"))
  #expect(error.description.contains("--max-cell-bytes"))
}

@Test func cellLimitCountsBytes() throws {
  var options = IngestOptions()
  options.limits.maxCellBytes = 20
  // Ten "é" are 20 bytes; eleven are 22.
  #expect(try parse(String(repeating: "é", count: 10) + "\n", options: options).rows.count == 1)
  #expect(throws: LeadsheetError.self) {
    try parse("\"" + String(repeating: "é", count: 11) + "\"\n", options: options)
  }
}

@Test func cellsPastExcelsLimitAreReadWhole() throws {
  // A CRM notes column: 100,000 characters, one with a doubled quote and an emoji.
  let notes = String(repeating: "Called twice, left a \"\"message\"\" 😀. ", count: 2_500)
  let text = "Name,Notes\nAda,\"" + notes + "\"\n"
  let rows = try parse(text).rows
  let expected = notes.replacingOccurrences(of: "\"\"", with: "\"")
  #expect(rows.count == 2)
  #expect(rows[1].cells.count == 2)
  #expect(rows[1].cells[1] == expected)
  #expect(expected.utf16.count > 32_767)
}

@Test func hugeSingleCellFailsFastWithoutBuffering() throws {
  // An endless quoted cell (a stray quote swallowing a 100 MB file).
  let source = EndlessByteSource(prefix: Array("name,note\nAda,\"".utf8), filler: UInt8(ascii: "x"))
  let reader = try CSVReader(
    source: source, file: "big.csv", options: IngestOptions(), chunkSize: 1 << 16)
  _ = try reader.next()
  let error = try #require(leadsheetError { _ = try reader.next() })
  #expect(error.code == .refused)
  #expect(error.location == .line(2))
  #expect(error.hint?.contains("quote") == true)
  #expect(source.delivered < 4 << 20)

  let unquoted = EndlessByteSource(prefix: Array("a\n".utf8), filler: UInt8(ascii: "y"))
  let reader2 = try CSVReader(source: unquoted, file: "big.csv", options: IngestOptions())
  _ = try reader2.next()
  #expect(throws: LeadsheetError.self) { try reader2.next() }
  #expect(unquoted.delivered < 4 << 20)
}

@Test func tooManyColumnsIsRefusedWithItsLine() throws {
  var options = IngestOptions()
  options.limits.maxColumns = 4
  #expect(try parse("a,b,c,d\n1,2,3,4\n", options: options).rows.count == 2)
  let error = try #require(leadsheetError { _ = try parse("a,b\n1,2,3,4,5\n", options: options) })
  #expect(error.code == .refused)
  #expect(error.location == .line(2))
  #expect(error.description.contains("more than 4 fields"))
}

@Test func nulBytesAreNotText() throws {
  var garbage: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
  var rng = SeededGenerator(seed: 7)
  for _ in 0..<500 { garbage.append(UInt8.random(in: 0...255, using: &rng)) }
  let error = try #require(leadsheetError { _ = try parse(garbage) })
  #expect(error.code == .unsupported)
  #expect(error.description.contains("contains NUL bytes: not a text file"))
}

@Test func nulBytesAfterTheSampleAreCaughtToo() throws {
  let text = "a,b\n" + String(repeating: "1,2\n", count: 100)
  let bytes = Array(text.utf8) + [0x78, 0x00, 0x79, 0x0A]
  let error = try #require(
    leadsheetError { _ = try parse(bytes, sampleSize: 64) })
  #expect(error.code == .unsupported)
  #expect(error.location == .line(102))
}

@Test func delimiterOptionMustBeUsable() throws {
  for bad: UInt8 in [UInt8(ascii: "\""), 0x0A, 0x0D, 0xE9] {
    let error = leadsheetError { _ = try parse("a,b\n", options: IngestOptions(delimiter: bad)) }
    #expect(error?.code == .usage)
  }
}

// MARK: Files

@Test func readsARealFile() throws {
  let path = try temporaryFile(Array("Name;Ville\nZoé;Orléans\n".utf8))
  defer { try? FileManager.default.removeItem(atPath: path) }
  let reader = try CSVReader(path: path, options: IngestOptions())
  #expect(try reader.next()?.cells.map(\.text) == ["Name", "Ville"])
  #expect(try reader.next()?.cells.map(\.text) == ["Zoé", "Orléans"])
  #expect(try reader.next() == nil)
  #expect(try reader.next() == nil)
  #expect(reader.info.delimiter == ";")
}

@Test func openTableReadsCSVThroughTable() throws {
  let path = try temporaryFile(Array("\nFirst,Last\nAda,Lovelace\n\nAlan\n".utf8))
  defer { try? FileManager.default.removeItem(atPath: path) }
  let table = try SourceOpener.openTable(path: path)
  #expect(table.header == ["First", "Last"])
  #expect(table.headerRowNumber == 2)
  #expect(try table.next()?.cells.map(\.text) == ["Ada", "Lovelace"])
  let alan = try #require(try table.next())
  #expect(alan.number == 5)
  #expect(alan.cells.map(\.text) == ["Alan", ""])
  #expect(try table.next() == nil)
}

@Test func missingFileAndFolderAreUnreadable() throws {
  let missing = leadsheetError {
    _ = try CSVReader(path: "/nonexistent/x.csv", options: IngestOptions())
  }
  #expect(missing?.code == .unreadable)
  #expect(missing?.description == "/nonexistent/x.csv: no such file (check the path)")
  let folder = leadsheetError {
    _ = try CSVReader(path: FileManager.default.temporaryDirectory.path, options: IngestOptions())
  }
  #expect(folder?.code == .unreadable)
  #expect(folder?.message.contains("folder") == true)
}
