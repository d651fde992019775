/// The simulator's enrichment endpoints; the raw value is the name the ledger,
/// `/__stats` and the billing summary give the endpoint that billed a request.
public enum SimulatedEndpoint: String, Sendable, Hashable, Codable, CaseIterable {
  /// `POST /v2/contacts/single_enrich`: the contract's synchronous call.
  case singleEnrich = "single_enrich"
  /// `POST /v2/contacts/sync_single_enrich`: the same call at its other documented path.
  case syncSingleEnrich = "sync_single_enrich"
  /// `POST /api/v2/contacts/single_enrich`: asynchronous submission, billed when submitted.
  case asyncSingleEnrich = "async_single_enrich"
}
