import Testing

@testable import Mapping

@Test func deterministicAndSensitive() {
  #expect(ContactHash("a\u{1F}b") == ContactHash("a\u{1F}b"))
  #expect(ContactHash("a\u{1F}b") != ContactHash("b\u{1F}a"))
  #expect(ContactHash("") != ContactHash("\u{0}"))
  // Pinned (computed independently): the hash must not change between versions.
  #expect(
    ContactHash("Jean\u{1F}Dupont")
      == ContactHash(high: 0x8383_52f3_deca_d560, low: 0xc960_d083_de83_cf16))
}

@Test func lanesDiffer() {
  let h = ContactHash("Jean\u{1F}Dupont")
  #expect(h.high != h.low)
}
