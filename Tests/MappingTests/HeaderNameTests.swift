import Testing

@testable import Mapping

@Test func normalizeFoldsCaseAccentsSpacesAndPunctuation() {
  #expect(HeaderName.normalize("Prénom") == "prenom")
  #expect(HeaderName.normalize("  Person - First name ") == "personfirstname")
  #expect(HeaderName.normalize("E-Mail-Adresse") == "emailadresse")
  #expect(HeaderName.normalize("Straße") == "strasse")
  #expect(HeaderName.normalize("Apellido(s)") == "apellidos")
  #expect(HeaderName.normalize("Compañía") == "compania")
}

@Test func tokensSplitCamelCaseAndDigits() {
  #expect(HeaderName.tokens("linkedinUrl") == ["linkedin", "url"])
  #expect(HeaderName.tokens("FirstName") == ["first", "name"])
  #expect(HeaderName.tokens("URL") == ["url"])
  #expect(HeaderName.tokens("Email2") == ["email", "2"])
  #expect(HeaderName.tokens("Nom de l'entreprise") == ["nom", "de", "l", "entreprise"])
}

@Test func coreDropsFillerNumbersAndQualifiers() {
  let tokens = HeaderName.tokens("Contact Work Email Address 1")
  #expect(HeaderName.core(tokens, qualifiers: ["work", "address"]) == "email")
}
