import Foundation
import LeadsheetCore
import Testing

@testable import Mapping

/// Compares the byte-level fast paths with the original `Character`-based
/// code (`Reference/ReferenceMapping.swift`) on generated and edge-case
/// inputs, byte for byte, and checks `FastText`'s claims about Unicode.

/// A deterministic generator (SplitMix64, `RawRowTestSupport.swift`).
private typealias Generator = SplitMix

/// Pieces texts are made of: separators and whitespace of every kind, Latin
/// letters (some with awkward case mappings), combining marks, prepend marks,
/// emoji, CJK, and URL, email and name fragments.
private let pieces: [String] = [
  "a", "B", "z", "Z", "0", "7", "-", "_", ".", "..", ",", ";", "@", ":", "/", "//", "?", "#",
  "\\", "%", "%C3%A9", "+", "'", "~", "!", "(", " ", "  ", "\t", "\n", "\r\n", "\r",
  "\u{0B}", "\u{0C}", "\u{A0}", "\u{85}", "\u{2003}", "\u{3000}", "\u{1680}", "\u{202F}",
  "é", "É", "ü", "Ü", "ß", "ø", "Î", "ñ", "ª", "²", "½", "×", "©", "\u{AD}", "ʼ", "ˆ", "İ", "Ⱥ",
  "ſ", "ǅ", "\u{301}", "\u{307}", "\u{200D}", "\u{600}", "👍", "王", "\u{212A}", "Ω", "ж",
  "https://", "http://", "HTTPS://", "ftp://", "www.", "WWW.", "linkedin.com", "LinkedIn.COM",
  "fr.linkedin.com", "linkedin.com.", "linkedİn.com", "/in/", "/IN/", "/pub/", "/pub/dir/",
  "/sales/lead/", "/sales/people/", "/sales/company/", "/company/", "/school/", "/showcase/",
  "/feed/", "ACwAAB12_x-Y", ",NAME_SEARCH,xyz", "jean-dupont", "jérôme", "mailto:",
  "MAILTO:", "gmail.com", "yahoo.fr", "yahoo.co.uk", "facebook.com", "m.facebook.com",
  "fb.com", "bit.ly", "x.com", "acme.com", "acme.fr", "lumière.fr", "ÀCME.ÇOM", ".com",
  ":443", ":8a", "1.2.3.4", "user:pass@", "?trk=x", "#frag", "Jean", "Dupont", "de", "van",
  "Dr.", "M.", "Jr.", "PhD", "María", "José", "García", "Müller", "O'Connor", "Brun-Picard",
]

/// A text of up to `count` random pieces.
private func text(_ g: inout Generator, count: Int = 7) -> String {
  var s = ""
  for _ in 0..<g.below(count + 1) { s += g.pick(pieces) }
  return s
}

/// A result as exact bytes (String `==` compares canonical equivalence).
private func bytes(_ r: Result<String, IgnoredValue>?) -> [UInt8] {
  switch r {
  case nil: return Array("nil".utf8)
  case .success(let s)?: return Array("ok:".utf8) + Array(s.utf8)
  case .failure(let why)?: return Array("no:\(why.code)".utf8)
  }
}

private func bytes(_ s: String?) -> [UInt8] { s.map { [1] + Array($0.utf8) } ?? [0] }

/// Several hundred thousand generated texts, plus every scalar below U+0300
/// alone and between spaces, plus edge cases.
private let texts: [String] = {
  var g = Generator(state: 42)
  var all: [String] = (0..<0x300).flatMap { v -> [String] in
    let s = String(Unicode.Scalar(UInt32(v))!)
    return [s, " \(s) ", "a\(s)b.com", "https://www.linkedin.com/in/\(s)", "x@\(s).fr"]
  }
  all += [
    "", " ", "\r\n", " \u{301}", "a \u{301}", "\u{600} b", "www.", "a.", ".a", "a..b", "-a.com",
    "a-.com", "a.1", "a.1a", "https://", "//x.com", "?//a.com", "a:1//b", ":", "@", "a@b@c.com",
    String(repeating: "a", count: 63) + ".com", String(repeating: "a", count: 64) + ".com",
    String(repeating: "é", count: 63) + ".fr", String(repeating: "é", count: 64) + ".fr",
    String(repeating: "ab.", count: 84) + "fr", String(repeating: "ab.", count: 85) + "fr",
    String(repeating: "é.", count: 126) + "fr", String(repeating: "é.", count: 127) + "fr",
  ]
  for _ in 0..<60_000 { all.append(text(&g)) }
  for _ in 0..<20_000 { all.append(text(&g, count: 3) + "linkedin.com" + text(&g, count: 4)) }
  for _ in 0..<20_000 { all.append(text(&g, count: 3) + "@" + text(&g, count: 3)) }
  // Already canonical profile URLs and near misses (the one-pass path of `LinkedInURL`).
  for prefix in [
    "https://www.linkedin.com/in/", "https://www.linkedin.com/in//", "HTTPS://www.linkedin.com/in/",
  ] {
    for _ in 0..<5_000 { all.append(prefix + text(&g, count: 2)) }
    all += [
      prefix, prefix + "a", prefix + "a/", prefix + "a?b c", prefix + "a#é", prefix + "a b",
      prefix + "a/ ",
    ]
  }
  return all
}()

@Test func latinScalarsAreGraphemeClustersOfTheirOwn() {
  let table = FastText.latin
  let allowed = (0..<0x300).filter { $0 < 0x80 || table[$0] & 0xFFFF != FastText.noLowercase }
  let strings = allowed.map { String(Unicode.Scalar(UInt32($0))!) }
  var failures = 0
  for (i, a) in strings.enumerated() {
    for (j, b) in strings.enumerated() where (a + b).count != 2 {
      if !(allowed[i] == 13 && allowed[j] == 10) { failures += 1 }
    }
  }
  #expect(failures == 0)
}

@Test func latinTableMatchesCharacterProperties() {
  let table = FastText.latin
  var spaces: [Int] = []
  for v in 0..<0x300 {
    let entry = table[v]
    if entry & FastText.whitespaceBit != 0 { spaces.append(v) }
    let lower = Int(entry & 0xFFFF)
    guard v >= 0x80, lower != Int(FastText.noLowercase) else { continue }
    // Lowercasing keeps the UTF-8 length and the letter and number properties.
    #expect(lower >= 0x80 && lower < 0x300)
    let a = Character(Unicode.Scalar(UInt32(v))!)
    let b = Character(Unicode.Scalar(UInt32(lower))!)
    #expect(a.isLetter == b.isLetter && a.isNumber == b.isNumber)
  }
  #expect(spaces == [9, 10, 11, 12, 13, 32, 0x85, 0xA0])
  // ASCII letters and numbers are exactly what the ASCII domain check accepts.
  for v in 0..<0x80 {
    let isAlnum = (48...57).contains(v) || (65...90).contains(v) || (97...122).contains(v)
    #expect((table[v] & (FastText.letterBit | FastText.numberBit) != 0) == isAlnum)
  }
}

@Test func whitespaceScalarsStartWithTheLeadBytesBlankCheckLooksAt() {
  for v in UInt32(0)...0x10FFFF {
    guard let scalar = Unicode.Scalar(v), scalar.properties.isWhitespace else { continue }
    let lead = String(scalar).utf8.first!
    #expect(lead < 0x80 || [0xC2, 0xE1, 0xE2, 0xE3].contains(lead))
  }
}

@Test func stringHelpersMatchTheReference() {
  for s in texts {
    #expect(s.isBlankText == s.refIsBlankText, "\(Array(s.unicodeScalars))")
    #expect(Array(s.trimmingWhitespace().utf8) == Array(s.refTrimmingWhitespace().utf8))
    #expect(Array(s.collapsingWhitespace().utf8) == Array(s.refCollapsingWhitespace().utf8))
    #expect(bytes(NameNormalizer.clean(s)) == bytes(ReferenceNameNormalizer.clean(s)))
  }
}

@Test func domainsMatchTheReference() {
  for s in texts {
    let scalars = Array(s.unicodeScalars)
    #expect(
      bytes(DomainNormalizer.domain(fromURL: s))
        == bytes(ReferenceDomainNormalizer.domain(fromURL: s)), "\(scalars)")
    #expect(
      bytes(DomainNormalizer.domain(fromWebsite: s))
        == bytes(ReferenceDomainNormalizer.domain(fromWebsite: s)), "\(scalars)")
    #expect(
      bytes(DomainNormalizer.domain(fromEmail: s))
        == bytes(ReferenceDomainNormalizer.domain(fromEmail: s)), "\(scalars)")
  }
}

@Test func linkedInURLsMatchTheReference() {
  for s in texts {
    #expect(
      bytes(LinkedInURL.canonical(s)) == bytes(ReferenceLinkedInURL.canonical(s)),
      "\(Array(s.unicodeScalars))")
  }
}

/// A plan as exact bytes.
private func bytes(_ plan: RowPlan) throws -> [UInt8] {
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  var out = Array("\(plan.invalidReason?.code ?? "send") \(plan.dropped) \(plan.ignored) ".utf8)
  if let request = plan.request { out += try encoder.encode(request) }
  return out
}

@Test func plansAndSummariesMatchTheReference() throws {
  let header = [
    "First Name", "Last Name", "Full Name", "Company", "Domain", "Website", "Email",
    "LinkedIn URL", "Notes",
  ]
  let optionSets: [MappingOptions] = [
    MappingOptions(),
    MappingOptions(types: [.email, .phone], phoneCountryCodes: ["FR", "BE"]),
    try MappingOptions(types: [.phone, .personalEmail], maps: ["custom.note=Notes"]),
    try MappingOptions(types: [.email], maps: ["domain=", "firstname="]),
    try MappingOptions(types: [.email, .phone], maps: ["lastname=", "linkedin_url=Notes"]),
  ]
  var g = Generator(state: 7)
  var duplicates = 0
  var valid = 0
  for options in optionSets {
    let mapping = try ColumnMapping.resolve(header: header, options: options)
    let planner = RowPlanner(mapping: mapping, options: options)
    let reference = ReferenceRowPlanner(mapping: mapping, options: options)
    var summary = MappingSummary(creditCosts: options.creditCosts)
    var referenceSummary = ReferenceMappingSummary(creditCosts: options.creditCosts)
    var rows: [[Cell]] = []
    for _ in 0..<6_000 {
      var cells = (0..<header.count).map { _ in Cell(g.below(4) == 0 ? "" : g.pick(texts)) }
      if g.below(10) == 0 { cells[g.below(cells.count)].kind = .error }
      if g.below(3) == 0 {
        cells[0] = Cell(g.pick(["Jean", " Jean ", "María", "", "Dr."]))
        cells[1] = Cell(g.pick(["Dupont", "de la Fontaine", "", "Müller  "]))
        cells[2] = Cell(
          g.pick(["Jean Dupont", "Dupont, Jean", "Dr. María José García López", ""]))
        cells[7] = Cell("https://www.linkedin.com/in/p\(g.below(500))")
      }
      rows.append(cells)
      if g.below(5) == 0, let earlier = rows.randomElement(using: &g) { rows.append(earlier) }
    }
    for cells in rows {
      let plan = planner.plan(cells)
      let old = reference.plan(cells)
      #expect(try bytes(plan) == bytes(old), "\(cells)")
      if let request = plan.request {
        #expect(ContactHash(request: request) == ContactHash(request.contactKey))
      }
      #expect(summary.add(plan) == referenceSummary.add(old))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    #expect(try encoder.encode(summary) == encoder.encode(referenceSummary))
    duplicates += summary.duplicates
    valid += summary.valid
  }
  // The generated rows exercise both outcomes.
  #expect(duplicates > 100 && valid > 1_000)
}
