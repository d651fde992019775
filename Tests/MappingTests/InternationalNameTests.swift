import Foundation
import LeadsheetCore
import Testing

@testable import Mapping

/// The name fast path for text of every script (`FastText.keepsCollapsedName`)
/// against the original `Character`-based code, byte for byte: generated
/// names from pieces chosen to break grapheme and whitespace assumptions,
/// and `RowPlanner.count` against `add(plan(cells))` on international rows.

/// Name pieces: letters of many scripts, precomposed and decomposed accents,
/// Turkish dotted and dotless I, full-width and half-width forms, marks that
/// join the character before them (combining marks, Hangul jamo, half-width
/// voiced marks, ZWJ, spacing marks), prepend marks, direction marks,
/// zero-width characters, every kind of space, emoji and scalars outside the BMP.
private let pieces: [String] = [
  " ", " ", " ", "  ", "王", "小明", "欧阳", "佐藤", "さくら", "ひなた", "ｶﾞ", "ｱ", "\u{FF9E}",
  "\u{FF9F}", "김", "민준", "\u{1100}", "\u{1161}", "\u{11A8}", "Иван", "Ёлена", "й", "и\u{306}",
  "محمد", "الزهراني", "\u{651}", "\u{64E}", "\u{600}", "\u{6DD}", "\u{110BD}", "Γιώργος", "ά",
  "α\u{301}", "Élodie", "E\u{301}lodie", "Zoë", "Zoe\u{308}", "Łukasz", "İbrahim", "I\u{307}",
  "Işıl", "ı", "Nguyễn", "Văn", "Hùng", "ễ", "e\u{302}\u{303}", "Ｔａｒｏ", "ﾀﾛｳ", "\u{200F}",
  "\u{200E}", "\u{202B}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{FEFF}", "\u{2060}", "\u{A0}",
  "\u{202F}", "\u{2007}", "\u{3000}", "\u{2003}", "\u{1680}", "\u{85}", "\u{2028}", "\t", "\r\n",
  "\u{0E33}", "กำ", "\u{093F}", "कि", "\u{1F3FB}", "👍", "👩‍💻", "🇫🇷", "𠀋", "\u{E0041}",
  "a", "Jean", "-", "'", ".", ",",
]

/// Several hundred thousand generated names, plus each piece alone, after a
/// space and before a space.
private let names: [String] = {
  var g = SplitMix(state: 14)
  var all = pieces.flatMap { [$0, "a \($0)", "\($0) a", "王 \($0)", "\($0) 王", " \($0) "] }
  for _ in 0..<200_000 {
    var s = ""
    for _ in 0..<(1 + g.below(6)) { s += g.pick(pieces) }
    all.append(s)
  }
  return all
}()

@Test func internationalNamesCollapseAsTheReference() {
  var fast = 0
  for s in names {
    #expect(
      Array(s.collapsingWhitespace().utf8) == Array(s.refCollapsingWhitespace().utf8),
      "\(Array(s.unicodeScalars))")
    #expect(
      NameNormalizer.clean(s).map { Array($0.utf8) }
        == ReferenceNameNormalizer.clean(s).map { Array($0.utf8) })
    var copy = s
    copy.withUTF8 { u in
      let (isASCII, isCollapsed) = FastText.surveyName(u)
      if !isASCII && isCollapsed && FastText.keepsCollapsedName(u) { fast += 1 }
    }
  }
  // Most generated names take the fast path, so it is what is being compared.
  #expect(fast > names.count / 4)
}

@Test func keepsCollapsedNameSaysNoWhereTheReferenceChangesTheName() {
  // Each of these changes under `collapsingWhitespace()` (or may: outside the BMP).
  let changed = [
    "a \u{301}b", "王 \u{FF9E}", "x \u{200D}y", "a \u{E33}", "\u{600} b", "a\u{A0}b", "a\u{3000}b",
    "a\u{2003}b", "a\u{85}b", "a\u{1680}b", "a\u{202F}b", "a\u{2028}b", "王 \u{1F3FB}", "🇫🇷 王",
  ]
  for s in changed {
    var copy = s
    copy.withUTF8 { u in
      #expect(FastText.surveyName(u).isCollapsed, "\(Array(s.unicodeScalars))")
      #expect(!FastText.keepsCollapsedName(u), "\(Array(s.unicodeScalars))")
    }
  }
  // And these stay as they are, by bytes: no normalisation, no case change.
  let kept = [
    "王小明", "佐藤 翔太", "김 민준", "Иван Петров", "محمد\u{200F}", "Γιώργος Παπαδόπουλος",
    "Nguyễn Văn Hùng", "E\u{301}lodie", "İbrahim", "Ｔａｒｏ", "Jean\u{200B}Pierre", "a\u{200D} b",
    "ｶﾞ ﾀﾛｳ", "🇫🇷王",
  ]
  for s in kept {
    var copy = s
    copy.withUTF8 { u in
      #expect(FastText.surveyName(u).isCollapsed && FastText.keepsCollapsedName(u), "\(s)")
    }
    #expect(Array(s.refCollapsingWhitespace().utf8) == Array(s.utf8))
  }
}

@Test func unicodeTableMatchesTheStandardLibrary() {
  let table = FastText.unicodeTable
  var whitespace: [UInt32] = []
  for v in UInt32(0x80)..<0x10000 {
    guard let scalar = Unicode.Scalar(v) else { continue }
    let entry = table[Int(v)]
    // The blocks filled at once hold what each scalar would give on its own.
    #expect(entry == FastText.unicodeEntry(Int(v)), "U+\(String(v, radix: 16))")
    if entry & FastText.unicodeWhitespaceBit != 0 { whitespace.append(v) }
    #expect((entry & FastText.unicodeWhitespaceBit != 0) == Character(scalar).isWhitespace)
  }
  #expect(
    whitespace == [0x85, 0xA0, 0x1680] + Array(0x2000...0x200A) + [
      0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ])
  // A few scalars that join a space, and a few that do not.
  for v in [0x301, 0xFF9E, 0x200D, 0xE33, 0x93F] {
    #expect(table[v] & FastText.breaksAfterSpaceBit == 0, "U+\(String(v, radix: 16))")
  }
  #expect(table[0x600] & FastText.breaksBeforeSpaceBit == 0)
  for v in [0x738B, 0x418, 0x645, 0x393, 0xC9, 0x130, 0xFF34, 0x200F, 0x200B, 0xAC00, 0x1161] {
    #expect(table[v] & FastText.breaksAfterSpaceBit != 0, "U+\(String(v, radix: 16))")
    #expect(table[v] & FastText.breaksBeforeSpaceBit != 0, "U+\(String(v, radix: 16))")
  }
}

@Test func countMatchesAddPlanOnInternationalRows() throws {
  let header = [
    "First Name", "Last Name", "Company Name", "Website", "Email", "LinkedIn URL", "Notes",
  ]
  let companies = [
    "华为技术有限公司", "ООО \"Ромашка\"", "شركة أرامكو السعودية", "Εθνική Τράπεζα της Ελλάδος",
    "Müller & Söhne KG", "Tập đoàn Vingroup", "네이버 주식회사", "Société\u{A0}Générale",
    "Türkiye İş Bankası", "株式会社 メルカリ", "",
  ]
  let links = [
    "https://www.linkedin.com/in/%E7%8E%8B-%E4%BC%9F-1a/", "linkedin.com/in/иван-петров",
    "http://fr.linkedin.com/in/h%C3%A9l%C3%A8ne-m%C3%A9nard-7?trk=public_profile",
    "https://www.linkedin.com/in/王伟", "",
  ]
  var g = SplitMix(state: 1404)
  var rows: [[String]] = []
  for i in 0..<20_000 {
    let name = { g.below(3) == 0 ? g.pick(names) : g.pick(pieces) }
    var fields = [
      name(), name(), g.pick(companies), "https://www.x\(g.below(50)).jp/",
      g.pick(["a\(i)@x.cn", "B\(i)@X.CN", "", "x@例え.jp"]), g.pick(links) + "\(g.below(300))",
      g.pick(["", "Met at the fair,\n\"data\" first.", "展示会で会いました。"]),
    ]
    if g.below(10) == 0 { fields[0] = " " + fields[0] + "  " }
    rows.append(fields)
    if g.below(5) == 0 { rows.append(rows[g.below(rows.count)]) }
  }
  for options in [MappingOptions(), MappingOptions(types: [.email, .phone])] {
    let mapping = try ColumnMapping.resolve(header: header, options: options)
    let planner = RowPlanner(mapping: mapping, options: options)
    var fast = MappingSummary(creditCosts: options.creditCosts)
    var slow = MappingSummary(creditCosts: options.creditCosts)
    for fields in rows {
      let fastDuplicate = withRawRow(fields) { planner.count($0, into: &fast) }
      let cells = withRawRow(fields) { $0.cells(width: header.count) }
      #expect(fastDuplicate == slow.add(planner.plan(cells)), "\(fields)")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    #expect(try encoder.encode(fast) == encoder.encode(slow))
    #expect(fast.duplicates > 1_000 && fast.valid > 5_000)
  }
}
