import LeadsheetCore
import Testing

@Suite struct ContactKeyTests {
  static let texts = [
    "plain", "O'Connor \"the\" \\ one", "tab\there\nnew", "Ærø Ødegård", "李小龍", "Ахмед",
    "مريم", "Ελένη", "🦊 emoji", "https://www.linkedin.com/in/a-b/", "a,b",
  ]

  @Test func bytesAreTheKeyText() {
    let request = EnrichRequest(
      firstname: "Léa", lastname: "Brun", domain: "acme.example", enrichmentType: [.email, .phone],
      phoneCountryCodes: ["FR", "BE"])
    #expect(
      request.contactKeyBytes
        == Array("Léa\u{1F}Brun\u{1F}\u{1F}acme.example\u{1F}\u{1F}email,phone\u{1F}FR,BE".utf8))
    #expect(request.contactKey == String(decoding: request.contactKeyBytes, as: UTF8.self))
  }

  @Test func aRequestDescribedByItsKeyComesBackExactly() throws {
    var rng = SystemRandomNumberGenerator()
    var described = 0
    for n in 0..<2_000 {
      func pick() -> String? {
        Int.random(in: 0..<4, using: &rng) == 0 ? nil : Self.texts.randomElement(using: &rng)
      }
      let types = Array(EnrichmentType.allCases.shuffled(using: &rng).prefix(1 + n % 3))
      let request = EnrichRequest(
        firstname: pick(), lastname: pick(), companyName: pick(), domain: pick(),
        linkedinURL: pick(), enrichmentType: types,
        phoneCountryCodes: n % 3 == 0 ? nil : ["FR", "DE"])
      #expect(request.isDescribedByContactKey)
      let back = try #require(EnrichRequest(contactKey: request.contactKeyBytes))
      #expect(back == request)
      described += 1
    }
    #expect(described == 2_000)
  }

  @Test func whatTheKeyCannotSayIsNotDescribed() {
    let base = EnrichRequest(firstname: "A", lastname: "B", enrichmentType: [.email])
    #expect(base.isDescribedByContactKey)
    var custom = base
    custom.custom = ["crm_id": "42"]
    var webhook = base
    webhook.webhookURL = "https://hook.example"
    var empty = base
    empty.companyName = ""
    var separator = base
    separator.lastname = "B\u{1F}C"
    var noCodes = base
    noCodes.phoneCountryCodes = []
    var commaCode = base
    commaCode.phoneCountryCodes = ["F,R"]
    for request in [custom, webhook, empty, separator, noCodes, commaCode] {
      #expect(!request.isDescribedByContactKey, "\(request)")
    }
    // Each of them is still a different key from the base, or carries a field the key leaves out.
    #expect(EnrichRequest(contactKey: custom.contactKeyBytes) != custom)
  }

  @Test func textThatIsNotAKeyIsRefused() {
    #expect(EnrichRequest(contactKey: Array("a\u{1F}b".utf8)) == nil)
    #expect(
      EnrichRequest(contactKey: Array("a\u{1F}b\u{1F}\u{1F}\u{1F}\u{1F}fax\u{1F}".utf8)) == nil)
    #expect(EnrichRequest(contactKey: Array("a\u{1F}b\u{1F}\u{1F}\u{1F}\u{1F}\u{1F}".utf8)) == nil)
    #expect(
      EnrichRequest(contactKey: Array("a\u{1F}b\u{1F}\u{1F}\u{1F}\u{1F}email\u{1F}\u{1F}x".utf8))
        == nil)
  }
}
