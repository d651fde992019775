import Testing

@testable import LeadsheetCore

/// `RawRow.isBlank` by bytes against `Character.isWhitespace` over the text.

@Test func blankByBytesAgreesWithCharacters() {
  let pieces = [
    "", " ", "\t", "\r\n", "\u{A0}", "\u{85}", "\u{3000}", "\u{2003}", "\u{1680}", "\u{202F}",
    "\u{2028}", "\u{301}", "\u{200B}", "\u{200D}", "\u{200F}", "\u{FEFF}", "\u{600}", "王", "Ж",
    "é", "e\u{301}", "😀", "a", "ｱ", "\u{FF9E}",
  ]
  var strings: [String] = []
  for a in pieces {
    for b in pieces {
      for c in pieces { strings.append(a + b + c) }
    }
  }
  var blank = 0
  for s in strings {
    let expected = s.allSatisfy(\.isWhitespace)
    let got = Array(s.utf8).withUnsafeBufferPointer { RawRow.isBlank($0) }
    #expect(got == expected, "\(Array(s.unicodeScalars))")
    if got { blank += 1 }
  }
  #expect(blank > 500)
}
