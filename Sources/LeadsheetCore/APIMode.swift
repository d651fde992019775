import Foundation

/// Which of Pronto's enrichment APIs a job uses (`--api`).
///
/// | mode | submit | result |
/// |---|---|---|
/// | `sync` | `POST https://api.prontohq.com/v2/contacts/single_enrich` (or `sync_single_enrich`) | in the answer |
/// | `async` | `POST https://app.prontohq.com/api/v2/contacts/single_enrich`, one type per call | `GET …/contacts/{id}` until `finished` |
///
/// Whatever the mode, an answer that says `pending` with an `enrichment_id` is
/// polled by its id: a result the account paid for is never taken for not-found.
public enum APIMode: String, Sendable, Hashable, Codable, CaseIterable {
  /// One call per contact, the result in its answer.
  case sync
  /// One submission per (contact, type), the result fetched by its id.
  case async

  /// The base URL Pronto documents for this mode.
  public var defaultBaseURL: String {
    switch self {
    case .sync: "https://api.prontohq.com/v2"
    case .async: "https://app.prontohq.com/api/v2"
    }
  }

  /// The mode a base URL names by itself: `async` for Pronto's asynchronous API
  /// (the host `app.prontohq.com`, or a path ending in `/api/v2`, as the docs and
  /// the simulator have it); `nil` for any other (the caller keeps its default).
  ///
  /// So a user who copies the async base URL from Pronto's docs without `--api async`
  /// gets the async calls (one type per submission), not a 400 for every row.
  public static func inferred(fromBaseURL text: String) -> APIMode? {
    guard let url = URLComponents(string: text.trimmingCharacters(in: .whitespaces)) else {
      return nil
    }
    var path = url.path
    while path.hasSuffix("/") { path.removeLast() }
    if url.host?.lowercased() == "app.prontohq.com" || path.lowercased().hasSuffix("/api/v2") {
      return .async
    }
    return nil
  }
}
