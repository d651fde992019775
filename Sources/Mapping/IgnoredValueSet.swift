/// A set of `IgnoredValue`s as bits: what one row ignores, gathered without
/// an array (each value occurs at most once a row).
struct IgnoredValueSet {
  /// One bit per `IgnoredValue.allCases` index.
  var bits: UInt16 = 0

  /// The bit of one value.
  static func bit(_ value: IgnoredValue) -> UInt16 {
    switch value {
    case .linkedinCompanyPage: return 1 << 0
    case .linkedinNotAProfile: return 1 << 1
    case .linkedinNotLinkedIn: return 1 << 2
    case .domainInvalid: return 1 << 3
    case .websiteInvalid: return 1 << 4
    case .emailInvalid: return 1 << 5
    case .emailFreeMail: return 1 << 6
    case .fullNameUnsplittable: return 1 << 7
    }
  }

  /// Adds a value.
  @inline(__always)
  mutating func insert(_ value: IgnoredValue) { bits |= Self.bit(value) }

  /// Counts every value in `summary`.
  func count(into summary: inout MappingSummary) {
    guard bits != 0 else { return }
    for value in IgnoredValue.allCases where bits & Self.bit(value) != 0 {
      summary.countIgnored(value)
    }
  }
}
