import Testing

@testable import Mapping

private func canonical(_ text: String) -> Result<String, IgnoredValue>? {
  LinkedInURL.canonical(text)
}

@Test func canonicalProfileURLs() {
  let expected = Result<String, IgnoredValue>.success("https://www.linkedin.com/in/jean-dupont")
  for text in [
    "https://www.linkedin.com/in/jean-dupont", "https://www.linkedin.com/in/jean-dupont/",
    "http://linkedin.com/in/jean-dupont", "linkedin.com/in/jean-dupont/",
    "www.linkedin.com/in/jean-dupont?trk=public_profile&utm_source=x",
    "https://fr.linkedin.com/in/jean-dupont/#experience",
    "  HTTPS://FR.LinkedIn.com/in/jean-dupont ",
    "https://www.linkedin.com/in/jean-dupont/details/experience/",
    "https://www.linkedin.com/in/jean-dupont/fr", "https://www.linkedin.com:443/in/jean-dupont",
    "linkedin.com:443/in/jean-dupont", "linkedin.com/in/jean-dupont?u=https://x.com/in/other",
  ] {
    #expect(canonical(text) == expected, "\(text)")
  }
}

@Test func slugsKeptAsGiven() {
  #expect(
    canonical("https://www.linkedin.com/in/j%C3%A9r%C3%B4me-dupont-4b2a1/")
      == .success("https://www.linkedin.com/in/j%C3%A9r%C3%B4me-dupont-4b2a1"))
  #expect(
    canonical("linkedin.com/in/jérôme")
      == .success("https://www.linkedin.com/in/j%C3%A9r%C3%B4me"))
  #expect(
    canonical("https://www.linkedin.com/in/ACwAAAB1c2EBx7q-Abc_123")
      == .success("https://www.linkedin.com/in/ACwAAAB1c2EBx7q-Abc_123"))
}

@Test func salesNavigatorLeadURLsBecomeProfileURLs() {
  #expect(
    canonical("https://www.linkedin.com/sales/lead/ACwAAAB1c2EBx7q,NAME_SEARCH,xyz?_ntb=1")
      == .success("https://www.linkedin.com/in/ACwAAAB1c2EBx7q"))
  #expect(
    canonical("https://www.linkedin.com/sales/people/ACwAAAB1c2EBx7q,name,abc")
      == .success("https://www.linkedin.com/in/ACwAAAB1c2EBx7q"))
  #expect(
    canonical("https://www.linkedin.com/sales/search/people?x=1") == .failure(.linkedinNotAProfile))
}

@Test func oldPublicProfiles() {
  #expect(
    canonical("http://fr.linkedin.com/pub/jean-dupont/12/345/678")
      == .success("https://www.linkedin.com/pub/jean-dupont/12/345/678"))
}

@Test func companyPagesAreNotProfiles() {
  for text in [
    "https://www.linkedin.com/company/acme/", "linkedin.com/school/hec-paris",
    "https://www.linkedin.com/showcase/acme-cloud", "https://www.linkedin.com/sales/company/1234",
  ] {
    #expect(canonical(text) == .failure(.linkedinCompanyPage), "\(text)")
  }
}

@Test func otherURLsAreRefused() {
  #expect(canonical("https://www.linkedin.com/feed/") == .failure(.linkedinNotAProfile))
  #expect(canonical("https://www.linkedin.com/in/") == .failure(.linkedinNotAProfile))
  #expect(canonical("https://www.linkedin.com") == .failure(.linkedinNotAProfile))
  #expect(canonical("https://twitter.com/in/jean") == .failure(.linkedinNotLinkedIn))
  #expect(canonical("https://notlinkedin.com/in/jean") == .failure(.linkedinNotLinkedIn))
  #expect(canonical("ftp://linkedin.com/in/jean") == .failure(.linkedinNotLinkedIn))
  #expect(canonical("Passionate about sales") == .failure(.linkedinNotLinkedIn))
  #expect(canonical("   ") == nil)
}
