import Testing

@testable import Mapping

@Test(arguments: [
  "gmail.com", "yahoo.com", "yahoo.fr", "yahoo.co.uk", "yahoo.com.br", "hotmail.com",
  "hotmail.fr", "outlook.com", "live.fr", "icloud.com", "orange.fr", "free.fr", "gmx.de",
  "gmx.net", "web.de", "aol.com", "protonmail.com", "laposte.net",
])
func freeMail(_ domain: String) {
  #expect(FreeMailDomains.contains(domain))
}

@Test(arguments: [
  "acme.com", "prontohq.com", "yahooinc.com", "liveramp.com", "orange.com", "mail.acme.com",
  "yahoo.acme.com", "outlook.acme.co.uk",
])
func notFreeMail(_ domain: String) {
  #expect(!FreeMailDomains.contains(domain))
}
