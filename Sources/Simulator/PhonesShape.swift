/// How the synchronous endpoints write `phones` (`--phones-shape`).
public enum PhonesShape: String, Sendable, Hashable, Codable, CaseIterable {
  /// `["+33612345678"]`, as the contract's examples show.
  case strings
  /// `[{"number": "+33612345678", "type": "mobile"}]`, as the `sync_single_enrich` page shows.
  case objects

  /// Rewrites the `phones` of a synchronous answer body into this shape.
  func apply(to body: inout [String: Any]) {
    guard self == .objects, let numbers = body["phones"] as? [String] else { return }
    body["phones"] = numbers.map { ["number": $0, "type": "mobile"] }
  }
}
