/// The contact key as bytes, and the request read back from its key.
///
/// A job stores each distinct request's key (it finds duplicates and will
/// find the same contact across jobs). For nearly every request the key says
/// everything the body would: then the job stores the key alone, and the
/// request is read back from it (`init(contactKey:)`) when it is sent. A
/// request whose key cannot say it all (`custom` fields, a webhook, an empty
/// but present field, a field holding the separator) keeps its JSON body.
extension EnrichRequest {
  /// The key's field separator (U+001F, the ASCII unit separator).
  public static let contactKeySeparator: UInt8 = 0x1F

  /// `contactKey` as UTF-8, written without building intermediate strings.
  public var contactKeyBytes: [UInt8] {
    let types = enrichmentType
    let codes = phoneCountryCodes ?? []
    var capacity = 6 + types.count * 16 + codes.count * 3
    capacity += firstname?.utf8.count ?? 0
    capacity += lastname?.utf8.count ?? 0
    capacity += companyName?.utf8.count ?? 0
    capacity += domain?.utf8.count ?? 0
    capacity += linkedinURL?.utf8.count ?? 0
    var out: [UInt8] = []
    out.reserveCapacity(capacity)
    let separator = Self.contactKeySeparator
    out.append(contentsOf: (firstname ?? "").utf8)
    out.append(separator)
    out.append(contentsOf: (lastname ?? "").utf8)
    out.append(separator)
    out.append(contentsOf: (companyName ?? "").utf8)
    out.append(separator)
    out.append(contentsOf: (domain ?? "").utf8)
    out.append(separator)
    out.append(contentsOf: (linkedinURL ?? "").utf8)
    out.append(separator)
    for (i, type) in types.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: type.rawValue.utf8)
    }
    out.append(separator)
    for (i, code) in codes.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: code.utf8)
    }
    return out
  }

  /// Whether `init(contactKey:)` gives this request back exactly from its key.
  ///
  /// False for a request with `custom` fields or a webhook (not in the key),
  /// a field present but empty (the key writes `nil` and `""` alike), a field
  /// holding U+001F, or a country code holding `,`.
  public var isDescribedByContactKey: Bool {
    guard custom == nil, webhookURL == nil, !enrichmentType.isEmpty else { return false }
    for field in [firstname, lastname, companyName, domain, linkedinURL] {
      if let field, field.isEmpty || field.utf8.contains(Self.contactKeySeparator) {
        return false
      }
    }
    if let codes = phoneCountryCodes {
      if codes.isEmpty { return false }
      for code in codes
      where code.isEmpty
        || code.utf8.contains(where: { $0 == Self.contactKeySeparator || $0 == UInt8(ascii: ",") })
      {
        return false
      }
    }
    return true
  }

  /// Reads a request back from its contact key (see `isDescribedByContactKey`).
  ///
  /// Empty fields are `nil`. Returns `nil` for text that is not a key: other
  /// than seven fields, an unknown or missing type.
  public init?(contactKey bytes: some Collection<UInt8>) {
    let parts = bytes.split(
      separator: Self.contactKeySeparator, maxSplits: 7, omittingEmptySubsequences: false)
    guard parts.count == 7 else { return nil }
    func text(_ i: Int) -> String? {
      parts[i].isEmpty ? nil : String(decoding: parts[i], as: UTF8.self)
    }
    var types: [EnrichmentType] = []
    for name in parts[5].split(separator: UInt8(ascii: ",")) {
      guard let type = EnrichmentType(rawValue: String(decoding: name, as: UTF8.self)) else {
        return nil
      }
      types.append(type)
    }
    guard !types.isEmpty else { return nil }
    let codes = parts[6].split(separator: UInt8(ascii: ",")).map {
      String(decoding: $0, as: UTF8.self)
    }
    self.init(
      firstname: text(0), lastname: text(1), companyName: text(2), domain: text(3),
      linkedinURL: text(4), enrichmentType: types,
      phoneCountryCodes: codes.isEmpty ? nil : codes)
  }
}
