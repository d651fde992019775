import Testing

@testable import Mapping

private func url(_ text: String) -> String? {
  guard case .success(let d)? = DomainNormalizer.domain(fromURL: text) else { return nil }
  return d
}

@Test func domainFromURLStripsEverythingButTheHost() {
  #expect(url("acme.com") == "acme.com")
  #expect(url("https://www.Acme.com/about?x=1#top") == "acme.com")
  #expect(url("http://user:pass@shop.acme.co.uk:8080/path") == "shop.acme.co.uk")
  #expect(url("//acme.fr") == "acme.fr")
  #expect(url("WWW.ACME.DE.") == "acme.de")
  #expect(url("  acme.io/  ") == "acme.io")
  #expect(url("https://société.fr") == "société.fr")
  #expect(url("https://Société.fr/a b") == nil)
  #expect(url("acme.com/?next=https://other.com") == "acme.com")
  #expect(url("société.fr/?next=https://other.com") == "société.fr")
}

@Test func domainFromURLRejectsNonDomains() {
  #expect(DomainNormalizer.domain(fromURL: "  ") == nil)
  for text in [
    "acme", "acme .com", "http://", "192.168.0.1", "-acme.com", "acme..com", "a_b.com",
    "acme.com:http", "n/a",
  ] {
    #expect(DomainNormalizer.domain(fromURL: text) == .failure(.domainInvalid), "\(text)")
  }
}

@Test func domainFromWebsiteRefusesSocialNetworks() {
  #expect(DomainNormalizer.domain(fromWebsite: "https://acme.com") == .success("acme.com"))
  #expect(
    DomainNormalizer.domain(fromWebsite: "https://fr.linkedin.com/company/acme")
      == .failure(.websiteInvalid))
  #expect(DomainNormalizer.domain(fromWebsite: "facebook.com/acme") == .failure(.websiteInvalid))
  #expect(DomainNormalizer.domain(fromWebsite: "nope") == .failure(.websiteInvalid))
}

@Test func domainFromEmail() {
  #expect(DomainNormalizer.domain(fromEmail: "jean@Acme.FR") == .success("acme.fr"))
  #expect(DomainNormalizer.domain(fromEmail: "mailto:jean@acme.com") == .success("acme.com"))
  #expect(
    DomainNormalizer.domain(fromEmail: "jean@acme.com; j@other.com") == .success("acme.com"))
  #expect(DomainNormalizer.domain(fromEmail: "") == nil)
  #expect(DomainNormalizer.domain(fromEmail: "jean.acme.com") == .failure(.emailInvalid))
  #expect(DomainNormalizer.domain(fromEmail: "@acme.com") == .failure(.emailInvalid))
  #expect(DomainNormalizer.domain(fromEmail: "a@b@acme.com") == .failure(.emailInvalid))
  #expect(DomainNormalizer.domain(fromEmail: "jean@localhost") == .failure(.emailInvalid))
  #expect(DomainNormalizer.domain(fromEmail: "jean@gmail.com") == .failure(.emailFreeMail))
  #expect(DomainNormalizer.domain(fromEmail: "jean@yahoo.co.uk") == .failure(.emailFreeMail))
}
