/// Email providers anyone can sign up to: their domain says nothing about an employer.
///
/// Two lists: exact domains (`gmail.com`, `orange.fr`, `web.de`…) and
/// families matched under any country ending (`yahoo.*`, `hotmail.*`,
/// `outlook.*`, `live.*`, `gmx.*`, `aol.*`, `yandex.*`: `yahoo.co.uk`,
/// `hotmail.fr`, `gmx.de`). Add to `domains` or `families` to extend.
public enum FreeMailDomains {
  /// Free-mail domains matched exactly.
  public static let domains: Set<String> = [
    "gmail.com", "googlemail.com", "ymail.com", "rocketmail.com", "msn.com", "icloud.com",
    "me.com", "mac.com", "protonmail.com", "protonmail.ch", "proton.me", "pm.me",
    "tutanota.com", "tuta.io", "zohomail.com", "mail.com", "email.com", "hey.com",
    "fastmail.com", "hushmail.com", "aim.com",
    // France
    "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "laposte.net", "bbox.fr",
    "numericable.fr", "aliceadsl.fr", "club-internet.fr", "cegetel.net", "noos.fr",
    // Germany, Austria, Switzerland
    "web.de", "t-online.de", "freenet.de", "posteo.de", "mailbox.org", "arcor.de",
    "bluewin.ch", "gmx.ch",
    // Spain, Italy, Portugal, Benelux
    "telefonica.net", "movistar.es", "libero.it", "virgilio.it", "tiscali.it", "alice.it",
    "sapo.pt", "skynet.be", "telenet.be", "ziggo.nl", "kpnmail.nl", "planet.nl",
    // United Kingdom, North America, Australia
    "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net", "comcast.net",
    "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net",
    "shaw.ca", "rogers.com", "sympatico.ca", "bigpond.com", "optusnet.com.au",
    // Elsewhere
    "mail.ru", "inbox.ru", "list.ru", "bk.ru", "rambler.ru", "qq.com", "163.com", "126.com",
    "sina.com", "naver.com", "hanmail.net", "daum.net", "rediffmail.com", "terra.com.br",
    "bol.com.br", "uol.com.br", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl",
  ]

  /// Providers free under every country ending (`yahoo.fr`, `yahoo.co.uk`, `yahoo.com.br`).
  public static let families: Set<String> = [
    "yahoo", "hotmail", "outlook", "live", "gmx", "aol", "yandex",
  ]

  /// Whether `domain` (lowercase, no trailing dot) is a free-mail domain.
  public static func contains(_ domain: String) -> Bool {
    if domains.contains(domain) { return true }
    let labels = domain.split(separator: ".")
    guard labels.count >= 2, labels.count <= 3, families.contains(String(labels[0])) else {
      return false
    }
    // What follows the family is a country ending: `fr`, `com`, `co.uk`, `com.br`.
    return labels.dropFirst().allSatisfy { $0.count <= 3 }
  }
}
