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
}
