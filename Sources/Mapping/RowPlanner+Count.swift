import LeadsheetCore

extension RowPlanner {
  /// Counts one CSV record straight from its bytes: leaves `summary` exactly
  /// as `summary.add(plan(row.cells(width:)))` (header-wide) would, without
  /// building cells, strings or a request in the common case.
  ///
  /// Names already clean (in any script: `FastText.keepsCollapsedName`), and
  /// ASCII or Latin text (`FastText`) in the domain,
  /// website, email and LinkedIn cells are handled by bytes; the contact key
  /// is written to a temporary buffer and hashed (`ContactHash(bytes:)`).
  /// Text outside the fast paths (CJK, emoji, combining marks…) is decoded
  /// and handled by the `String` code, field by field; a row that needs the
  /// full-name column falls back to `plan` as a whole. Custom columns are not
  /// read: they never change a summary.
  ///
  /// - Returns: `true` when the row is a duplicate of an earlier row's request.
  @discardableResult
  public func count(_ row: RawRow, into summary: inout MappingSummary) -> Bool {
    // Room for the key: percent-encoding at most triples a LinkedIn URL, and
    // per-field `String` results that outgrow this make the row fall back.
    var capacity = 64 + max(keyTail.count, keyTailWithoutLinkedIn.count)
    func add(_ column: Int?) {
      if let column { capacity += 3 * row.field(column).count }
    }
    add(first)
    add(last)
    add(company)
    add(domain)
    add(website)
    add(email)
    add(linkedin)
    let counted = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      var key = ContactKeyWriter(buffer)
      return fastCount(row, &key, &summary)
    }
    if let counted { return counted }
    return summary.add(plan(row.cells(width: width)))
  }

  /// `count` for rows that do not need the full-name column; `nil` (with
  /// `summary` untouched) for the others.
  private func fastCount(
    _ row: RawRow, _ key: inout ContactKeyWriter, _ summary: inout MappingSummary
  ) -> Bool? {
    let hasFirst = writeName(row, first, &key)
    key.separator()
    let hasLast = writeName(row, last, &key)
    key.separator()
    if !hasFirst || !hasLast, let full, !row.isBlank(full) { return nil }
    _ = writeName(row, company, &key)
    key.separator()

    var ignored = IgnoredValueSet()
    if !writeDomain(row, domain, .domainInvalid, &key, &ignored),
      !writeDomain(row, website, .websiteInvalid, &key, &ignored)
    {
      _ = writeEmailDomain(row, &key, &ignored)
    }
    key.separator()
    let hasLinkedIn = writeLinkedIn(row, &key, &ignored)

    let reason: InvalidReason?
    switch (hasFirst, hasLast) {
    case (false, false): reason = .missingName
    case (false, true): reason = .missingFirstName
    case (true, false): reason = .missingLastName
    case (true, true):
      reason = hasLinkedIn || !typesWithoutLinkedIn.isEmpty ? nil : .missingLinkedInURL
    }
    if let reason {
      ignored.count(into: &summary)
      summary.countInvalid(reason)
      return false
    }
    key.append(hasLinkedIn ? keyTail : keyTailWithoutLinkedIn)
    guard !key.overflowed else { return nil }
    ignored.count(into: &summary)
    return summary.countSend(
      ContactHash(bytes: key.written),
      types: hasLinkedIn ? typesMask : typesWithoutLinkedInMask,
      dropped: hasLinkedIn ? [] : typesNeedingLinkedIn)
  }

  /// Writes `NameNormalizer.clean` of a name cell; `false` when it gives nothing.
  private func writeName(_ row: RawRow, _ column: Int?, _ key: inout ContactKeyWriter) -> Bool {
    guard let column else { return false }
    let u = row.field(column)
    // One pass for the usual ASCII name that needs no change (as `collapsingWhitespace`).
    let (isASCII, isCollapsed) = FastText.surveyName(u)
    if isASCII && isCollapsed {
      key.append(u)
      return true
    }
    guard !u.isEmpty else { return false }
    // A name of any script with single spaces between words, as most are.
    if !isASCII && isCollapsed && FastText.keepsCollapsedName(u) {
      key.append(u)
      return true
    }
    if isASCII || FastText.latinKind(u) != .other {
      switch String.collapsed(u) {
      case .same:
        key.append(u)
        return true
      case .new(let text):
        key.append(text)
        return !text.isEmpty
      case .slow: break
      }
    }
    guard let text = NameNormalizer.clean(String(decoding: u, as: UTF8.self)) else { return false }
    key.append(text)
    return true
  }

  /// Writes the domain of a domain (`.domainInvalid`) or website
  /// (`.websiteInvalid`) cell; `false` when it gives none (and why, if not blank).
  private func writeDomain(
    _ row: RawRow, _ column: Int?, _ invalid: IgnoredValue, _ key: inout ContactKeyWriter,
    _ ignored: inout IgnoredValueSet
  ) -> Bool {
    guard let column else { return false }
    let u = row.field(column)
    let website = invalid == .websiteInvalid
    let (kind, maySpace) = FastText.survey(u)
    if kind != .other {
      let range = maySpace ? FastText.trimmed(u) : 0..<u.count
      guard !range.isEmpty else { return false }
      guard
        let host = DomainNormalizer.latinHostRange(
          u, range, website: website, maySpace: maySpace)
      else {
        ignored.insert(invalid)
        return false
      }
      key.append(count: host.count) { DomainNormalizer.writeLowercased(u, host, to: $0) }
      return true
    }
    let text = String(decoding: u, as: UTF8.self)
    let result =
      website ? DomainNormalizer.domain(fromWebsite: text) : DomainNormalizer.domain(fromURL: text)
    return write(result, &key, &ignored)
  }

  /// Writes the domain of the work-email cell; `false` when it gives none.
  private func writeEmailDomain(
    _ row: RawRow, _ key: inout ContactKeyWriter, _ ignored: inout IgnoredValueSet
  ) -> Bool {
    guard let email else { return false }
    let u = row.field(email)
    switch DomainNormalizer.fastEmailDomain(bytes: u) {
    case .blank: return false
    case .host(let domain):
      guard !FreeMailDomains.contains(domain) else {
        ignored.insert(.emailFreeMail)
        return false
      }
      key.append(domain)
      return true
    case .invalid:
      ignored.insert(.emailInvalid)
      return false
    case .slow:
      return write(
        DomainNormalizer.domain(fromEmail: String(decoding: u, as: UTF8.self)), &key, &ignored)
    }
  }

  /// Writes the canonical LinkedIn URL; `false` when there is none.
  private func writeLinkedIn(
    _ row: RawRow, _ key: inout ContactKeyWriter, _ ignored: inout IgnoredValueSet
  ) -> Bool {
    guard let linkedin else { return false }
    let u = row.field(linkedin)
    if let slug = LinkedInURL.canonicalSlug(u) {
      // Already canonical: the prefix and the slug as they are.
      key.append(
        UnsafeBufferPointer(
          start: LinkedInURL.profilePrefix.utf8Start,
          count: LinkedInURL.profilePrefix.utf8CodeUnitCount))
      key.append(UnsafeBufferPointer(rebasing: u[slug]))
      return true
    }
    switch LinkedInURL.fastProfile(u) {
    case .blank?: return false
    case .refused(let why)?:
      ignored.insert(why)
      return false
    case .profile(let prefix, let path)?:
      key.append(count: LinkedInURL.urlLength(prefix, u, path)) {
        LinkedInURL.writeURL(prefix, u, path, to: $0)
      }
      return true
    case nil: break
    }
    return write(LinkedInURL.canonical(String(decoding: u, as: UTF8.self)), &key, &ignored)
  }

  /// Writes a normaliser's result; `false` for blank or refused (noting why).
  private func write(
    _ result: Result<String, IgnoredValue>?, _ key: inout ContactKeyWriter,
    _ ignored: inout IgnoredValueSet
  ) -> Bool {
    switch result {
    case nil: return false
    case .success(let text)?:
      key.append(text)
      return true
    case .failure(let why)?:
      ignored.insert(why)
      return false
    }
  }
}
