import Foundation

/// What one stored request has already been through at the API, part by part.
///
/// A *part* is the set of types one call asked for: the whole request for a
/// synchronous call, one type for an asynchronous submission (whose
/// `enrichment_type` holds one type). For each part the ledger keeps the
/// enrichment id the API gave (the part was accepted and may be billed: it is
/// fetched by that id, never bought again) and, once known, its final answer.
/// Parts of a request that has neither are still to be bought.
///
/// It is stored with the request while the request is not done: the ids in
/// `requests.enrichment_id` (a plain id when one part covers every type of the
/// request, as older versions wrote it, else a JSON object `{"email": ID,
/// "phone": ID}`), the answers in `requests.response` (a JSON object of
/// answers by part). So after a crash or a stop, `resume` polls the ids and
/// buys only the parts that have neither.
///
///     var ledger = SubmissionLedger(types: [.email, .phone])
///     ledger.ids["email"] = "0b7c…"          // submitted, result by polling
///     ledger.results["phone"] = answer        // answered directly
///     ledger.unbought                          // []
public struct SubmissionLedger: Sendable, Hashable {
  /// The request's types.
  public var types: [EnrichmentType]
  /// Enrichment id by part key.
  public var ids: [String: String] = [:]
  /// Final answer by part key.
  public var results: [String: EnrichResponse] = [:]

  /// An empty ledger for a request asking for `types`.
  public init(types: [EnrichmentType]) {
    self.types = types.sorted()
  }

  /// Reads a stored ledger.
  ///
  /// - Parameters:
  ///   - types: The request's types.
  ///   - ids: `requests.enrichment_id`: a plain id (the whole request), a JSON object
  ///     of ids by part, or `nil`.
  ///   - results: The JSON object of answers by part, or `nil`.
  public init(types: [EnrichmentType], ids: String?, results: String?) {
    self.init(types: types)
    if let ids, !ids.isEmpty {
      if ids.hasPrefix("{"),
        let object = try? JSONDecoder().decode([String: String].self, from: Data(ids.utf8))
      {
        self.ids = object.filter { !$0.value.isEmpty }
      } else {
        self.ids[Self.key(self.types)] = ids
      }
    }
    if let results, results.hasPrefix("{"),
      let object = try? JSONDecoder().decode(
        [String: EnrichResponse].self, from: Data(results.utf8))
    {
      self.results = object
    }
  }

  /// The key of a part: its types in their canonical order, comma-separated.
  public static func key(_ types: [EnrichmentType]) -> String {
    types.sorted().map(\.rawValue).joined(separator: ",")
  }

  /// The types of a part key (unknown names are left out).
  public static func types(ofKey key: String) -> [EnrichmentType] {
    key.split(separator: ",").compactMap { EnrichmentType(rawValue: String($0)) }
  }

  /// The ledger of the same request asking for `types` only: the parts wholly
  /// within them are kept (their ids are never lost: a part at the API is never
  /// bought again), the others dropped.
  public func keeping(_ types: [EnrichmentType]) -> SubmissionLedger {
    let allowed = Set(types)
    var out = SubmissionLedger(types: types)
    out.ids = ids.filter { Self.types(ofKey: $0.key).allSatisfy(allowed.contains) }
    out.results = results.filter { Self.types(ofKey: $0.key).allSatisfy(allowed.contains) }
    return out
  }

  /// Whether nothing was submitted or answered yet.
  public var isEmpty: Bool { ids.isEmpty && results.isEmpty }

  /// Types covered by an id or an answer.
  public var coveredTypes: Set<EnrichmentType> {
    Set((Array(ids.keys) + Array(results.keys)).flatMap(Self.types(ofKey:)))
  }

  /// The request's types not covered yet: what may still be bought.
  public var unbought: [EnrichmentType] {
    let covered = coveredTypes
    return types.filter { !covered.contains($0) }
  }

  /// Parts that have an id and no answer yet: what to poll.
  public var awaitingParts: [String] {
    ids.keys.filter { results[$0] == nil }.sorted()
  }

  /// `requests.enrichment_id`: `nil` without ids; the plain id when a single part
  /// covers the whole request; else a JSON object of ids by part.
  public var idsText: String? {
    guard !ids.isEmpty else { return nil }
    if ids.count == 1, let (key, id) = ids.first, key == Self.key(types) { return id }
    return Self.json(ids)
  }

  /// The answers by part as JSON, `nil` when there is none.
  public var resultsText: String? {
    results.isEmpty ? nil : Self.json(results)
  }

  /// The answers of every part as one: each type's fields from the part that asked
  /// for it; `status` `success` when any part found something, else the last
  /// part's; messages joined.
  public var merged: EnrichResponse {
    var out = EnrichResponse()
    var messages: [String] = []
    for key in results.keys.sorted() {
      guard let r = results[key] else { continue }
      let asked = Set(Self.types(ofKey: key))
      out.firstName = out.firstName ?? r.firstName
      out.lastName = out.lastName ?? r.lastName
      out.linkedinProfileURL = out.linkedinProfileURL ?? r.linkedinProfileURL
      out.custom = out.custom ?? r.custom
      if asked.contains(.email) || asked.isEmpty {
        out.email = r.email ?? out.email
        out.emailStatus = r.emailStatus ?? out.emailStatus
      }
      if asked.contains(.personalEmail) || asked.isEmpty {
        out.personalEmail = r.personalEmail ?? out.personalEmail
        out.personalEmailStatus = r.personalEmailStatus ?? out.personalEmailStatus
      }
      if asked.contains(.phone) || asked.isEmpty {
        out.phones = r.phones ?? out.phones
        out.phoneStatus = r.phoneStatus ?? out.phoneStatus
      }
      if let m = r.message, !m.isEmpty, !messages.contains(m) { messages.append(m) }
      if out.status?.lowercased() != "success" { out.status = r.isFound ? "success" : r.status }
    }
    out.enrichmentID = idsText
    out.message = messages.isEmpty ? nil : messages.joined(separator: "; ")
    return out
  }

  private static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }
}
