import LeadsheetCore
import Testing

@testable import Mapping

@Test func deterministicAndSensitive() {
  #expect(ContactHash("a\u{1F}b") == ContactHash("a\u{1F}b"))
  #expect(ContactHash("a\u{1F}b") != ContactHash("b\u{1F}a"))
  #expect(ContactHash("") != ContactHash("\u{0}"))
}

/// MurmurHash3_x64_128 with seed 0, pinned to values computed independently
/// (a Python transcription of the reference C++, and the published digest of
/// the quick brown fox, `6c1b07bc7bbc4be347939ac4a93c437a`).
@Test func isMurmurHash3x64_128() {
  #expect(
    ContactHash("Jean\u{1F}Dupont")
      == ContactHash(high: 0x670e_e9ed_b9fc_fa7a, low: 0x672b_758c_68ac_0f7d))
  #expect(
    ContactHash("hello") == ContactHash(high: 0xcbd8_a7b3_41bd_9b02, low: 0x5b1e_906a_48ae_1d19))
  #expect(
    ContactHash("The quick brown fox jumps over the lazy dog")
      == ContactHash(high: 0xe34b_bc7b_bc07_1b6c, low: 0x7a43_3ca9_c49a_9347))
  #expect(ContactHash("") == ContactHash(high: 0, low: 0))
}

@Test func lanesDiffer() {
  let h = ContactHash("Jean\u{1F}Dupont")
  #expect(h.high != h.low)
}

/// Every length from 0 to 80 bytes crosses the block and tail boundaries.
@Test func bytesStringAndRequestAgree() {
  var text = ""
  for n in 0...80 {
    let bytes = Array(text.utf8)
    let fromBytes = bytes.withUnsafeBytes { ContactHash(bytes: $0) }
    #expect(fromBytes == ContactHash(text))
    let request = EnrichRequest(
      firstname: text, lastname: n % 3 == 0 ? nil : "Dü", companyName: n % 2 == 0 ? "Acme" : nil,
      domain: n % 5 == 0 ? nil : "acme.fr", linkedinURL: n % 4 == 0 ? nil : "https://x/in/\(n)",
      enrichmentType: n % 2 == 0 ? [.email] : [.email, .phone, .personalEmail],
      phoneCountryCodes: n % 3 == 0 ? ["FR", "BE"] : nil, custom: ["k": "\(n)"])
    #expect(ContactHash(request: request) == ContactHash(request.contactKey))
    text += n % 7 == 0 ? "é" : String(UnicodeScalar(UInt8(97 + n % 26)))
  }
}
