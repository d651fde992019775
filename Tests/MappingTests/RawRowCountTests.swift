import Foundation
import LeadsheetCore
import Testing

@testable import Mapping

/// `RowPlanner.count(_:into:)` against `add(plan(cells))`, row by row, over
/// generated rows of every kind of text and several mappings.

/// Cell values by column kind: clean and messy whitespace (tabs, NBSP, em
/// space, leading, trailing, doubled), Latin, CJK, emoji, combining marks.
private let names = [
  "Jean", "Anne", "María", "José", "Müller", "O'Connor", "Brun-Picard", "Zoë", "Łukasz",
  " Jean ", "Jean  Pierre", "Anne\t", "\u{A0}Anne", "Jean\u{A0}Pierre", "Jean\u{2003}Paul",
  "\u{85}Zoë", "e\u{301}lise", "王小明", "👍", "Dr.", "de la Fontaine", "Jean\r\nPierre", "İlker",
  "", " ", "\u{A0}", "\u{3000}", "ǅemal", "\u{AD}x",
]
private let fullNames = [
  "Jean Dupont", "Dupont, Jean", "Dr. María José García López", "Cher", "王 小明", " Jean  Dupont ",
  "Charles de Gaulle", "", " ", "Anne Müller PhD", "e\u{301}lise Durand",
]
private let companies = [
  "Acme", " Acme  SAS ", "Lumière Conseil", "株式会社", "Quantix\tLabs", "Ça & Co", "", "\u{A0}",
]
private let domains = [
  "acme.com", "https://www.Acme.com:443/about?x=1", "ÀCME.ÇOM", "lumière.fr", "bad domain",
  "1.2.3.4", "a..b", "例え.jp", " acme.fr ", "\u{A0}acme.fr\u{A0}", "acme.com.", "-a.com", "x",
  "www.acme.io", "acme.com:8a", "user:pass@acme.de", "e\u{301}cole.fr", "", " ",
]
private let websites = [
  "https://www.acme.fr/", "linkedin.com/company/x", "facebook.com/acme", "m.facebook.com",
  "bit.ly/x", "www.lumière.example", "http://ÀCME.ÇOM/about", "//acme.org", "acme", "王.cn",
  "https://acme.com#x", "acme.com\\path", "", "\t", "ftp://files.acme.net/x",
]
private let emails = [
  "jd@acme.fr", "jd@gmail.com", "mailto:J@Acme.FR", "a@b@c.com", "x@yahoo.co.uk", "jd@例え.jp",
  " jd@acme.fr ; other@x.com", "jd@", "@acme.fr", "j d@acme.fr", "jd@lumière.fr", "jd@hotmail.fr",
  "jd@ACME.COM.", "jé@acme.fr", "jd@acme.fr\u{A0}", "", "\u{2003}",
]
private let linkedins = [
  "https://www.linkedin.com/in/jean-dupont", "linkedin.com/in/jérôme", "LinkedIn.COM/IN/Ab/",
  "https://www.linkedin.com/company/acme", "https://www.linkedin.com/school/x",
  "https://www.linkedin.com/sales/lead/ACwAAB12_x-Y,NAME_SEARCH,xyz",
  "https://www.linkedin.com/sales/people/ACwAAB12,x", "https://www.linkedin.com/sales/company/1",
  "https://www.linkedin.com/sales/lead/a%20b,x", "http://fr.linkedin.com/pub/name/1/23/456",
  "https://www.linkedin.com/pub/dir/x/y", "https://x.com/in/a", "ftp://linkedin.com/in/a",
  "https://www.linkedin.com/in/e\u{301}", "https://www.linkedin.com/in/王", "linkedin.com/feed/",
  "https://www.linkedin.com/in/a b", " https://www.linkedin.com/in/x?trk=1 ", "linkedin.com",
  "//m.linkedin.com/in/m", "https://www.linkedin.com.:443/in/p", "", "\u{A0}",
]
private let pieces = [
  "a", "Z", "0", "-", ".", ",", "@", ":", "/", "?", "#", "%C3%A9", " ", "  ", "\t", "\u{A0}",
  "\u{85}", "\u{2003}", "é", "É", "ß", "ø", "İ", "Ⱥ", "\u{301}", "👍", "王", "https://", "www.",
  "linkedin.com", "/in/", "/sales/lead/", "/company/", "gmail.com", "acme.com", "lumière.fr",
  "mailto:", "Jean", "de",
]

private func noise(_ g: inout SplitMix) -> String {
  var s = ""
  for _ in 0..<g.below(6) { s += g.pick(pieces) }
  return s
}

/// A cell for a header name, mostly from the matching pool.
private func cell(_ header: String, _ g: inout SplitMix) -> String {
  if g.below(8) == 0 { return noise(&g) }
  if g.below(6) == 0 { return "" }
  switch header {
  case "First Name", "Last Name":
    return g.below(2) == 0 ? g.pick(Array(names.prefix(9))) : g.pick(names)
  case "Full Name": return g.pick(fullNames)
  case "Company": return g.pick(companies)
  case "Domain": return g.pick(domains)
  case "Website": return g.pick(websites)
  case "Email": return g.pick(emails)
  case "LinkedIn URL":
    return g.below(2) == 0 ? "https://www.linkedin.com/in/p\(g.below(200))" : g.pick(linkedins)
  default: return noise(&g)
  }
}

/// Header and options pairs: with and without domain, website, email,
/// full name and custom columns; several types; phone country codes.
private func mappings() throws -> [(header: [String], options: MappingOptions)] {
  let all = [
    "First Name", "Last Name", "Full Name", "Company", "Domain", "Website", "Email",
    "LinkedIn URL", "Notes",
  ]
  let bench = ["Id", "First Name", "Last Name", "Title", "Company", "Website", "LinkedIn URL"]
  return [
    (all, MappingOptions()),
    (all, MappingOptions(types: [.email, .phone], phoneCountryCodes: ["FR", "BE"])),
    (all, try MappingOptions(types: [.phone, .personalEmail], maps: ["custom.note=Notes"])),
    (all, try MappingOptions(types: [.email], maps: ["domain=", "firstname="])),
    (all, try MappingOptions(types: [.email, .phone], maps: ["lastname=", "linkedin_url=Notes"])),
    (all, try MappingOptions(types: [.email], maps: ["website=", "custom.id=Company"])),
    (bench, MappingOptions()),
    (bench, MappingOptions(types: [.email, .phone], phoneCountryCodes: ["US"])),
    (bench, MappingOptions(types: [.phone, .personalEmail])),
    (["Full Name", "Email", "Company", "LinkedIn URL"], MappingOptions()),
    (
      ["Email", "LinkedIn URL", "First Name", "Last Name"], MappingOptions(types: [.email, .phone])
    ),
  ]
}

private func json(_ summary: MappingSummary) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  return String(decoding: try encoder.encode(summary), as: UTF8.self)
}

@Test func countMatchesAddPlanRowByRow() throws {
  var g = SplitMix(state: 2024)
  var totals = (rows: 0, duplicates: 0, valid: 0, ignored: 0)
  for (header, options) in try mappings() {
    let mapping = try ColumnMapping.resolve(header: header, options: options)
    let planner = RowPlanner(mapping: mapping, options: options)
    var fast = MappingSummary(creditCosts: options.creditCosts)
    var slow = MappingSummary(creditCosts: options.creditCosts)
    var rows: [[String]] = []
    for _ in 0..<4_000 {
      var fields = header.map { cell($0, &g) }
      // Short (padded) and long records.
      if g.below(20) == 0 { fields.removeLast(g.below(fields.count + 1)) }
      if g.below(20) == 0 { fields.append(noise(&g)) }
      rows.append(fields)
      if g.below(4) == 0 { rows.append(rows[g.below(rows.count)]) }
    }
    for (n, fields) in rows.enumerated() {
      let fastDuplicate = withRawRow(fields) { planner.count($0, into: &fast) }
      let cells = withRawRow(fields) { $0.cells(width: header.count) }
      let slowDuplicate = slow.add(planner.plan(cells))
      #expect(fastDuplicate == slowDuplicate, "\(fields)")
      if n % 50 == 0 || fastDuplicate != slowDuplicate {
        #expect(try json(fast) == json(slow), "after \(fields)")
      }
    }
    #expect(try json(fast) == json(slow))
    #expect(fast.seen.table.count == slow.seen.table.count)
    totals.rows += fast.rows
    totals.duplicates += fast.duplicates
    totals.valid += fast.valid
    totals.ignored += fast.ignoredValues.values.reduce(0, +)
  }
  // The generated rows exercise every outcome.
  #expect(totals.duplicates > 1_000 && totals.valid > 10_000 && totals.ignored > 5_000)
}

@Test func countOfACleanRowStoresItsContactKeysHash() throws {
  let header = ["First Name", "Last Name", "Company", "Website", "LinkedIn URL"]
  let options = MappingOptions(types: [.email, .phone], phoneCountryCodes: ["FR"])
  let planner = RowPlanner(
    mapping: try ColumnMapping.resolve(header: header, options: options), options: options)
  var summary = MappingSummary()
  let fields = [
    "Nathan", "Müller", "Lumière Conseil", "https://www.lumière.example/",
    "https://www.linkedin.com/in/nathan-0",
  ]
  #expect(withRawRow(fields) { planner.count($0, into: &summary) } == false)
  #expect(withRawRow(fields) { planner.count($0, into: &summary) } == true)
  let request = EnrichRequest(
    firstname: "Nathan", lastname: "Müller", companyName: "Lumière Conseil",
    domain: "lumière.example", linkedinURL: "https://www.linkedin.com/in/nathan-0",
    enrichmentType: [.email, .phone], phoneCountryCodes: ["FR"])
  #expect(
    summary.seen.contains(
      EnrichmentTypeMask(request.enrichmentType).tag(ContactHash(request: request))))
  #expect(summary.requests == 1 && summary.duplicates == 1 && summary.credits == 11)
}
