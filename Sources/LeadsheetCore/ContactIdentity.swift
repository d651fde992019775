import Foundation

/// Who a request is about, whatever the list wrote: the key of the contact store,
/// which keeps answers across jobs so that no contact is bought twice.
///
/// A LinkedIn profile names a person on its own: `li:` and the canonical profile URL
/// (already without scheme or `www` differences, see `Mapping.LinkedInURL`), in
/// lower case. Without one, `nm:` and the first name, last name and domain (else
/// company), each in lower case with runs of white space made one space. So
/// `JOHN  Smith` at `ACME` and `John Smith` at `Acme` are one contact; `José` and
/// `Jose` stay two (an accent can be the difference between two people).
///
///     ContactIdentity(EnrichRequest(linkedinURL: "https://www.linkedin.com/in/JSmith"))
///       .key  // "li:https://www.linkedin.com/in/jsmith"
public struct ContactIdentity: Sendable, Hashable, Comparable {
  /// The key text.
  public var key: String

  /// The identity of `request`; `nil` when it names nobody (no LinkedIn URL and no
  /// name: such a request is never reused).
  public init?(_ request: EnrichRequest) {
    if let url = request.linkedinURL.map(Self.fold), !url.isEmpty {
      key = "li:" + url
      return
    }
    let first = Self.fold(request.firstname ?? "")
    let last = Self.fold(request.lastname ?? "")
    guard !first.isEmpty || !last.isEmpty else { return nil }
    let place = Self.fold(request.domain ?? "").nonEmpty ?? Self.fold(request.companyName ?? "")
    key = "nm:" + [first, last, place].joined(separator: "\u{1F}")
  }

  /// An identity from its stored key.
  public init(key: String) { self.key = key }

  /// Lower case, white space trimmed and made single spaces.
  static func fold(_ text: String) -> String {
    text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  public static func < (a: ContactIdentity, b: ContactIdentity) -> Bool { a.key < b.key }
}

extension String {
  fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
