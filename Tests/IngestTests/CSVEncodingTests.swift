import Foundation
import LeadsheetCore
import Testing

@testable import Ingest

@Test func utf8WithBOMStripsIt() throws {
  let path = try temporaryFile([0xEF, 0xBB, 0xBF] + Array("Email,Name\na@b.c,Zoë\n".utf8))
  defer { try? FileManager.default.removeItem(atPath: path) }
  let reader = try CSVReader(path: path, options: IngestOptions())
  #expect(try reader.next()?.cells.map(\.text) == ["Email", "Name"])
  #expect(try reader.next()?.cells.map(\.text) == ["a@b.c", "Zoë"])
  #expect(reader.info.encoding == "utf-8")
  #expect(reader.info.hasBOM)
}

@Test(arguments: [false, true])
func utf16WithBOMIsTranscoded(bigEndian: Bool) throws {
  // Excel's "Unicode Text": UTF-16 with a BOM, tab-delimited; an emoji needs a surrogate pair.
  let text = "Name\tCity\tNote\r\nZoë\tKöln\t😀 ok\r\n\"a\tb\"\t€\t𝄞\r\n"
  let path = try temporaryFile(utf16(text, bigEndian: bigEndian), name: "unicode.txt")
  defer { try? FileManager.default.removeItem(atPath: path) }
  let reader = try CSVReader(path: path, options: IngestOptions())
  var rows: [[String]] = []
  while let row = try reader.next() { rows.append(row.cells.map(\.text)) }
  #expect(rows == [["Name", "City", "Note"], ["Zoë", "Köln", "😀 ok"], ["a\tb", "€", "𝄞"]])
  #expect(reader.info.encoding == (bigEndian ? "utf-16be" : "utf-16le"))
  #expect(reader.info.hasBOM)
  #expect(reader.info.delimiter == "\t")
  #expect(reader.warnings.isEmpty)
}

@Test(arguments: [false, true])
func utf16SurrogatePairsSplitAcrossChunks(bigEndian: Bool) throws {
  let text = "a\tb\n" + String(repeating: "😀𝄞x\té\n", count: 50)
  let bytes = utf16(text, bigEndian: bigEndian)
  let whole = try parse(bytes)
  #expect(whole.rows.count == 51)
  #expect(whole.texts[1] == ["😀𝄞x", "é"])
  for chunk in [1, 2, 3, 5, 7] {
    for pieces in [[1], [3, 1, 2], [Int.max]] {
      let cut = try parse(bytes, pieces: pieces, chunkSize: chunk, sampleSize: 16)
      #expect(cut.rows == whole.rows, "chunk \(chunk) pieces \(pieces)")
      #expect(cut.warnings.isEmpty)
    }
  }
}

@Test func utf16WithoutBOMIsRecognisedByItsNULs() throws {
  let p = try parse(utf16("Name,City\nZoë,Köln\n", bigEndian: false, bom: false))
  #expect(p.info.encoding == "utf-16le")
  #expect(p.info.hasBOM == false)
  #expect(p.texts == [["Name", "City"], ["Zoë", "Köln"]])
  let be = try parse(utf16("Name,City\nZoë,Köln\n", bigEndian: true, bom: false))
  #expect(be.info.encoding == "utf-16be")
  #expect(be.texts == p.texts)
}

@Test func unpairedSurrogatesBecomeReplacementCharactersAndAreCounted() throws {
  // "a", lone high surrogate, ",", lone low surrogate, "\n", then an odd trailing byte.
  let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0, 0x3D, 0xD8, 0x2C, 0, 0x00, 0xDC, 0x0A, 0, 0x62]
  let p = try parse(bytes)
  #expect(p.texts == [["a\u{FFFD}", "\u{FFFD}"], ["\u{FFFD}"]])
  #expect(p.warnings.map(\.kind) == ["invalid-utf16"])
  #expect(p.warnings.first?.count == 3)
}

@Test func windows1252IsDetectedWhenNotUTF8() throws {
  // "Café;Preis" / "Müller;€ 5" / "‘it’s’;“quoted” – dash" in Windows-1252.
  let bytes: [UInt8] =
    Array("Caf".utf8) + [0xE9] + Array(";Preis\nM".utf8) + [0xFC] + Array("ller;".utf8)
    + [0x80] + Array(" 5\n".utf8) + [0x91] + Array("it".utf8) + [0x92, 0x73, 0x92, 0x3B, 0x93]
    + Array("quoted".utf8) + [0x94, 0x20, 0x96, 0x20] + Array("dash\n".utf8)
  let path = try temporaryFile(bytes)
  defer { try? FileManager.default.removeItem(atPath: path) }
  let reader = try CSVReader(path: path, options: IngestOptions())
  var rows: [[String]] = []
  while let row = try reader.next() { rows.append(row.cells.map(\.text)) }
  #expect(rows == [["Café", "Preis"], ["Müller", "€ 5"], ["‘it’s’", "“quoted” – dash"]])
  #expect(reader.info.encoding == "windows-1252")
  #expect(reader.info.hasBOM == false)
  #expect(reader.warnings.isEmpty)
}

@Test func windows1252TableCoversEveryByte() throws {
  let expected: [UInt8: String] = [
    0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ",
    0x89: "‰", 0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“",
    0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›",
    0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ", 0x81: "\u{81}", 0x8D: "\u{8D}", 0x8F: "\u{8F}",
    0x90: "\u{90}", 0x9D: "\u{9D}",
  ]
  for byte in UInt8(0)...UInt8(255) {
    let decoded = [byte].withUnsafeBufferPointer { Windows1252.decode($0) }
    if let want = expected[byte] {
      #expect(decoded == want, "byte \(byte)")
    } else {
      #expect(decoded.unicodeScalars.map(\.value) == [UInt32(byte)], "byte \(byte)")
    }
  }
}

@Test func invalidUTF8AfterTheSampleIsReadAsWindows1252AndCounted() throws {
  var bytes = Array(("name,city\n" + String(repeating: "Zoë,Köln\n", count: 20)).utf8)
  bytes += Array("M".utf8) + [0xFC] + Array("ller,".utf8) + [0x80] + Array("\n".utf8)  // line 22
  bytes += Array("ok,fine\nx".utf8) + [0xE9] + Array(",y\n".utf8)  // lines 23, 24
  let p = try parse(bytes, sampleSize: 32)
  #expect(p.info.encoding == "utf-8")
  #expect(p.texts[21] == ["Müller", "€"])
  #expect(p.texts[23] == ["xé", "y"])
  #expect(p.texts[1] == ["Zoë", "Köln"])
  #expect(p.warnings.count == 1)
  let warning = try #require(p.warnings.first)
  #expect(warning.kind == "invalid-utf8")
  #expect(warning.count == 3)
  #expect(warning.firstLocation == "22")
}

@Test func encodingOptionOverridesDetection() throws {
  // Valid UTF-8 ("Ã©" when read as Windows-1252) …
  let bytes = Array("name\nZoé\n".utf8)
  #expect(try parse(bytes).texts[1] == ["Zoé"])
  let forced = try parse(bytes, options: IngestOptions(encoding: .windows1252))
  #expect(forced.texts[1] == ["ZoÃ©"])
  #expect(forced.info.encoding == "windows-1252")
  // … and a BOM of the chosen encoding is still skipped.
  let bom = try parse([0xEF, 0xBB, 0xBF] + bytes, options: IngestOptions(encoding: .utf8))
  #expect(bom.texts[0] == ["name"])
  #expect(bom.info.hasBOM)
  let le = try parse(
    utf16("a;b\n1;2\n", bigEndian: false, bom: false), options: IngestOptions(encoding: .utf16LE))
  #expect(le.texts == [["a", "b"], ["1", "2"]])
}

@Test func utf8ValidatorRejectsOverlongsAndSurrogates() {
  func valid(_ bytes: [UInt8], truncatedOK: Bool = false) -> Bool {
    bytes.withUnsafeBufferPointer {
      EncodingDetector.isValidUTF8($0, allowTruncatedEnd: truncatedOK)
    }
  }
  #expect(valid(Array("plain ascii, é € 😀".utf8)))
  #expect(!valid([0xC0, 0xAF]))  // overlong "/"
  #expect(!valid([0xED, 0xA0, 0x80]))  // a surrogate
  #expect(!valid([0xF4, 0x90, 0x80, 0x80]))  // beyond U+10FFFF
  #expect(!valid([0x61, 0xE9, 0x62]))  // Windows-1252 "aéb"
  #expect(!valid([0x61, 0xE2, 0x82]))
  #expect(valid([0x61, 0xE2, 0x82], truncatedOK: true))  // "€" cut by the sample's end
}

@Test func utf8ValidatorAgreesWithTheOneSequenceAtATimeCheck() {
  // Random bytes biased towards UTF-8 of every length, near-misses and ends cut short.
  var state: UInt64 = 99
  func next(_ n: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(n))
  }
  let pieces: [[UInt8]] = [
    Array("a".utf8), Array("abcdefghij".utf8), Array("é".utf8), Array("王".utf8),
    Array("😀".utf8), Array("Ж".utf8), [0xE0, 0xA0, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0x9F, 0xBF],
    [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xC2, 0x80], [0xC1, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],
    [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0x80], [0xBF], [0xFF], [0xE2],
    [0xE2, 0x82],
    [0xF0, 0x9F], [0xC3],
  ]
  var disagreements = 0
  var valid = 0
  for _ in 0..<50_000 {
    var bytes: [UInt8] = []
    for _ in 0..<next(8) { bytes += pieces[next(pieces.count)] }
    for truncatedOK in [false, true] {
      bytes.withUnsafeBufferPointer { b in
        let fast = EncodingDetector.isValidUTF8(b, allowTruncatedEnd: truncatedOK)
        if fast != EncodingDetector.checkUTF8(b, from: 0, allowTruncatedEnd: truncatedOK) {
          disagreements += 1
        }
        if fast { valid += 1 }
        // And with the standard library's validation.
        if !truncatedOK, fast != (String(validating: b, as: UTF8.self) != nil) {
          disagreements += 1
        }
      }
    }
  }
  #expect(disagreements == 0)
  #expect(valid > 10_000 && valid < 90_000)
}
