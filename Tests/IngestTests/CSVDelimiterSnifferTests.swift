import LeadsheetCore
import Testing

@testable import Ingest

@Test(arguments: [
  ("Name,Email,Phone\nAda,a@x.io,1\nBob,b@x.io,2\n", ","),
  ("Name;Email;Phone\nAda;a@x.io;1\nBob;b@x.io;2\n", ";"),
  ("Name\tEmail\tPhone\nAda\ta@x.io\t1\nBob\tb@x.io\t2\n", "\t"),
  ("Name|Email|Phone\nAda|a@x.io|1\nBob|b@x.io|2\n", "|"),
])
func sniffsEachCandidate(csv: String, delimiter: String) throws {
  let p = try parse(csv)
  #expect(p.info.delimiter == delimiter)
  #expect(p.info.delimiterSource == "sniffed")
  #expect(p.texts[1] == ["Ada", "a@x.io", "1"])
}

@Test func semicolonWithDecimalCommasWins() throws {
  let p = try parse("Firma;Umsatz;Marge\nAcme;1,5;0,25\nBeta;2,25;0,1\nGamma;3;0,5\n")
  #expect(p.info.delimiter == ";")
  #expect(p.texts[1] == ["Acme", "1,5", "0,25"])
  #expect(p.texts[3] == ["Gamma", "3", "0,5"])
}

@Test func quotedFieldsHidingOtherDelimitersDoNotCount() throws {
  // Every quoted field holds commas, semicolons and a newline; the delimiter is `|`.
  let csv = """
    name|address|note
    "Smith, John"|"1 Main St, Springfield; IL"|"a,b,c,d"
    "Doe, Jane"|"2 Elm; Apt 3,
    Shelbyville"|"x;y;z"
    "Roe, R"|"3 Oak"|"p,q"

    """
  let p = try parse(csv)
  #expect(p.info.delimiter == "|")
  #expect(p.texts[2] == ["Doe, Jane", "2 Elm; Apt 3,\nShelbyville", "x;y;z"])
  #expect(p.lines == [1, 2, 3, 5])
}

@Test func tabWithCommasInTextWins() throws {
  let csv =
    "Name\tTitle\tCompany\nAda\tCEO, founder\tAcme\nBob\tCTO\tBeta, Inc, Ltd\nCy\tVP\tGamma\n"
  #expect(try parse(csv).info.delimiter == "\t")
}

@Test func oneColumnFileDefaultsToComma() throws {
  let p = try parse("Email\na@x.io\nb@x.io\n")
  #expect(p.info.delimiter == ",")
  #expect(p.texts == [["Email"], ["a@x.io"], ["b@x.io"]])
}

@Test func delimiterOptionOverridesSniffing() throws {
  let p = try parse("a,b;c\n1,2;3\n", options: IngestOptions(delimiter: UInt8(ascii: ";")))
  #expect(p.info.delimiter == ";")
  #expect(p.info.delimiterSource == "option")
  #expect(p.texts == [["a,b", "c"], ["1,2", "3"]])
}

@Test func snifferIgnoresACutLastRecordOfAPartialSample() {
  let sample = Array("a;b;c\n1;2;3\n4;5,6,7,8,9".utf8)
  let d = sample.withUnsafeBufferPointer { DelimiterSniffer.sniff($0, isComplete: false) }
  #expect(d == UInt8(ascii: ";"))
}

@Test func snifferPrefersMoreColumnsOnATie() {
  let sample = Array("a,b;c;d\n1,2;3;4\n".utf8)
  let d = sample.withUnsafeBufferPointer { DelimiterSniffer.sniff($0, isComplete: true) }
  #expect(d == UInt8(ascii: ";"))
}
