import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct RequestBodyTests {
  /// Texts a body must carry exactly: quotes, backslashes, controls, non-ASCII, slashes.
  static let awkward = [
    "", "plain", "O'Connor \"the\" \\ one", "tab\there\nnew\r\u{0}\u{1F}\u{7F}", "Ærø Ødegård",
    "李小龍", "Ахмед", "مريم", "Ελένη", "🦊 emoji", "https://www.linkedin.com/in/a-b/",
  ]

  @Test func decodesToTheSameRequest() throws {
    var rng = SystemRandomNumberGenerator()
    let decoder = JSONDecoder()
    for n in 0..<500 {
      func pick() -> String? {
        Int.random(in: 0..<5, using: &rng) == 0 ? nil : Self.awkward.randomElement(using: &rng)
      }
      let request = EnrichRequest(
        firstname: pick(), lastname: pick(), companyName: pick(), domain: pick(),
        linkedinURL: pick(),
        enrichmentType: Array(EnrichmentType.allCases.shuffled(using: &rng).prefix(n % 4)),
        webhookURL: pick(), phoneCountryCodes: n % 3 == 0 ? nil : ["FR", pick() ?? "DE"],
        custom: n % 2 == 0 ? nil : [pick() ?? "k": pick() ?? "v", "z\"": "\\"])
      let body = RequestBody.encode(request)
      let decoded = try decoder.decode(EnrichRequest.self, from: Data(body))
      #expect(decoded == request, "\(String(decoding: body, as: UTF8.self))")
    }
  }

  @Test func writesKeysSortedAndLeavesOutAbsentFields() {
    let body = RequestBody.encode(
      EnrichRequest(
        firstname: "Léa", lastname: "Brun", linkedinURL: "https://x/in/a",
        enrichmentType: [.email, .phone]))
    #expect(
      String(decoding: body, as: UTF8.self)
        == #"{"enrichment_type":["email","phone"],"firstname":"Léa","lastname":"Brun","linkedin_url":"https://x/in/a"}"#
    )
  }
}

@Suite struct ContactDigestTableTests {
  @Test func findsEveryKeyAfterGrowingAndNoOther() {
    var table = ContactDigestTable(capacity: 4)
    let keys = (0..<50_000).map { ContactDigest("First\($0)\u{1F}Last\u{1F}Company") }
    for (i, key) in keys.enumerated() where i % 2 == 0 {
      #expect(table.find(key) == nil)
      table.insert(key, offset: UInt32(i))
    }
    #expect(table.count == 25_000)
    for (i, key) in keys.enumerated() {
      #expect(table.find(key) == (i % 2 == 0 ? UInt32(i) : nil))
    }
  }

  /// Reserving grows the table once, keeps what it holds, and never shrinks it.
  @Test func reserveGrowsOnceAndKeepsEntries() {
    var table = ContactDigestTable(capacity: 4)
    let keys = (0..<1_000).map { ContactDigest("Reserved\($0)\u{1F}Last") }
    for (i, key) in keys.enumerated() { table.insert(key, offset: UInt32(i)) }
    table.reserve(capacity: 100_000)
    #expect(table.slots == 1 << 18)
    for (i, key) in keys.enumerated() { #expect(table.find(key) == UInt32(i)) }
    table.reserve(capacity: 10)
    #expect(table.slots == 1 << 18)
    for i in 1_000..<196_608 {
      table.insert(ContactDigest("Reserved\(i)\u{1F}Last"), offset: UInt32(i))
    }
    // 196,608 entries fit in 2^18 slots at 3/4 load: no doubling happened.
    #expect(table.slots == 1 << 18)
    #expect(table.count == 196_608)
  }

  @Test func digestsDifferForNearbyKeys() {
    var keys = Set<String>()
    for a in [
      "", "a", "ab", "abcdefgh", "abcdefgh1", "abcdefgi", "\u{1F}", "\u{1F}\u{1F}", "Léa", "Lea",
    ] {
      for b in ["", "x", "longer than sixteen bytes", "\u{0}"] { keys.insert(a + b) }
    }
    #expect(Set(keys.map { ContactDigest($0) }).count == keys.count)
    #expect(ContactDigest("Léa") == ContactDigest("Léa"))
  }
}
