/// The simulator's counters and billing ledger summary, served at `GET /__stats`.
///
/// JSON keys are the snake_case names shown in `docs/simulator.md`.
public struct SimulatorStats: Sendable, Hashable, Codable {
  /// Requests to the enrich endpoint, whatever the answer.
  public var requests: Int
  /// Requests past the key check and the rate limiter.
  public var accepted: Int
  /// Answers by HTTP status (`"200": 1234`); faults that send no status are not here.
  public var responsesByStatus: [String: Int]
  /// 429 answers.
  public var rateLimited: Int
  /// 401 answers.
  public var unauthorized: Int
  /// Faults injected, by kind (`"reset": 3`).
  public var faults: [String: Int]
  /// 200 answers with `status: success`.
  public var found: Int
  /// 200 answers with `status: error`.
  public var notFound: Int
  /// Billed requests (each completed enrichment, and each `reset-after-billing`).
  public var billed: Int
  /// Distinct billing keys (normalised contact + types) billed at least once.
  public var distinctContactsBilled: Int
  /// How many billing keys were billed more than once.
  public var contactsBilledMoreThanOnce: Int
  /// Those keys with their count (at most 100 listed).
  public var doubleBilled: [BilledContact]
  /// Credits left, when `--credits` was given.
  public var creditsRemaining: Int?
  /// Credits billed in all, under `--billing` and `--credit-cost`.
  public var creditsBilled: Int = 0
  /// The most enrich requests being handled at once.
  public var peakConcurrency: Int
  /// The most requests accepted in any 1-second window (all keys together).
  public var peakRate: Int
  /// Polls of asynchronous results (`GET /api/v2/contacts/{id}`), any answer.
  public var polls: Int = 0
  /// Requests refused because the account's daily cap was reached (`--daily-credits`).
  public var dailyLimited: Int = 0
  /// Billed requests by the endpoint that billed them (`"single_enrich": 12`).
  public var billedByEndpoint: [String: Int] = [:]
  /// The most enrichment requests worked on at once (at most `--max-concurrent`).
  public var peakWorking: Int = 0
  /// The most enrichment requests waiting in the `--max-concurrent` queue at once.
  public var peakQueued: Int = 0

  /// One billing key and how many times it was billed.
  public struct BilledContact: Sendable, Hashable, Codable {
    /// The normalised contact and types.
    public var contact: String
    /// Times billed.
    public var count: Int
  }

  enum CodingKeys: String, CodingKey {
    case requests, accepted
    case responsesByStatus = "responses_by_status"
    case rateLimited = "rate_limited"
    case unauthorized, faults, found
    case notFound = "not_found"
    case billed
    case distinctContactsBilled = "distinct_contacts_billed"
    case contactsBilledMoreThanOnce = "contacts_billed_more_than_once"
    case doubleBilled = "double_billed"
    case creditsRemaining = "credits_remaining"
    case creditsBilled = "credits_billed"
    case peakConcurrency = "peak_concurrency"
    case peakRate = "peak_rate"
    case polls
    case dailyLimited = "daily_limited"
    case billedByEndpoint = "billed_by_endpoint"
    case peakWorking = "peak_working"
    case peakQueued = "peak_queued"
  }
}
