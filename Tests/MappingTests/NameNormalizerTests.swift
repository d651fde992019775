import Testing

@testable import Mapping

@Test func cleanTrimsAndCollapsesKeepingCaseAndAccents() {
  #expect(NameNormalizer.clean("  jean-PIERRE \t ") == "jean-PIERRE")
  #expect(NameNormalizer.clean("María\u{00A0} José") == "María José")
  #expect(NameNormalizer.clean(" \n ") == nil)
}

private func split(_ text: String) -> [String]? {
  NameNormalizer.split(fullName: text).map { [$0.first, $0.last] }
}

@Test func splitFirstWordThenRest() {
  #expect(split("Jean-Pierre Dupont") == ["Jean-Pierre", "Dupont"])
  #expect(split("  Jean   Dupont ") == ["Jean", "Dupont"])
  #expect(split("Juan García López") == ["Juan", "García López"])
}

@Test func splitLastCommaFirst() {
  #expect(split("Dupont, Jean") == ["Jean", "Dupont"])
  #expect(split("Brun-Picard, Mathieu") == ["Mathieu", "Brun-Picard"])
  #expect(split("de la Fontaine, Jean") == ["Jean", "de la Fontaine"])
}

@Test func splitFourWordsAsTwoAndTwo() {
  #expect(split("María José García López") == ["María José", "García López"])
}

@Test func splitParticlesStartTheLastName() {
  #expect(split("Charles de Gaulle") == ["Charles", "de Gaulle"])
  #expect(split("Ludwig van Beethoven") == ["Ludwig", "van Beethoven"])
  #expect(split("Anne Marie de La Tour") == ["Anne Marie", "de La Tour"])
}

@Test func splitRemovesHonorificsAndSuffixes() {
  #expect(split("Dr. Jean Dupont") == ["Jean", "Dupont"])
  #expect(split("Mr John Smith Jr.") == ["John", "Smith"])
  #expect(split("Mme Claire Martin") == ["Claire", "Martin"])
  #expect(split("M. Paul Durand") == ["Paul", "Durand"])
  #expect(split("Prof. Dr. Hans Müller") == ["Hans", "Müller"])
  #expect(split("Jane Doe, PhD") == ["Jane", "Doe"])
  #expect(split("Smith, John, Jr.") == ["John", "Smith"])
  #expect(split("John Smith III") == ["John", "Smith"])
}

@Test func singleWordDoesNotSplit() {
  #expect(split("Madonna") == nil)
  #expect(split("Dr. Who") == nil)
  #expect(split("") == nil)
  #expect(split(", Jean") == nil)
}

@Test func asciiAndUnicodeWhitespacePathsAgree() {
  #expect(" a \t b\n".collapsingWhitespace() == "a b")
  #expect(" é \u{00A0} b\u{2003}".collapsingWhitespace() == "é b")
  #expect(" a b ".trimmingWhitespace() == "a b")
  #expect("\u{00A0}é b\u{00A0}".trimmingWhitespace() == "é b")
  #expect(" \t".isBlankText)
  #expect("\u{00A0} ".isBlankText)
  #expect(!" x".isBlankText)
  #expect("".collapsingWhitespace() == "")
}
