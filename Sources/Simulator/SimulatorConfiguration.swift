import LeadsheetCore
import Logging

/// How a ``Simulator`` behaves; each field matches a `leadsheet simulate` flag.
public struct SimulatorConfiguration: Sendable, Hashable {
  /// The address to bind (`--host`); loopback by default.
  public var host: String
  /// The port (`--port`); 0 picks a free one.
  public var port: Int
  /// The accepted API keys (`--keys`); empty means one generated key.
  public var keys: [String]
  /// Keys whose account has not consented to personal email (`--no-consent-keys`).
  public var noConsentKeys: [String]
  /// Accepted requests per second and key (`--rate`); 0 means unlimited.
  public var rate: Int
  /// Added latency (`--latency-ms MEDIAN,P99`).
  public var latency: LatencyDistribution
  /// The share of accepted, valid requests answered with a fault (`--fault-rate`, 0…1).
  public var faultRate: Double
  /// The fault kinds drawn from, evenly (`--faults`).
  public var faults: [SimulatedFault]
  /// The seed of outcomes and fault draws (`--seed`).
  public var seed: UInt64
  /// The account's balance in credits (`--credits`): a request whose cost would take
  /// it below zero is refused (422 "insufficient credits"), nothing billed. `nil` is
  /// unlimited.
  public var credits: Int?
  /// The status answered once credits run out (`--credits-status`): 422 (as
  /// Pronto's bulk endpoint does) or 402.
  public var creditsExhaustedStatus: Int
  /// A file receiving one JSON line per billed request (`--ledger`).
  public var ledgerPath: String?
  /// The longest a `hang` fault holds a request.
  public var hangLimit: Duration
  /// Whether a 429 carries `Retry-After` (`--no-retry-after` turns it off, to test
  /// clients against servers that omit it).
  public var sendsRetryAfter = true
  /// How the synchronous endpoints write `phones` (`--phones-shape`).
  public var phonesShape: PhonesShape = .strings
  /// The most numbers a found phone answer holds (`--max-phones`, default 1): with N
  /// above 1, 80 % of found phones hold one number and the rest two to N, as users
  /// report Pronto billing 188 numbers for 151 contacts.
  public var maxPhones = 1
  /// The status of an accepted asynchronous submission (`--async-status`): 200 or 202.
  public var asyncSubmitStatus = 200
  /// Whether `GET /credits` is served (`--no-credits-endpoint` turns it off: 404).
  public var servesCreditsEndpoint = true
  /// Requests worked on at once (`--max-concurrent`); the others wait in a FIFO
  /// queue. `nil` (or 0) is unlimited.
  public var maxConcurrent: Int?
  /// Credits per account and day (`--daily-credits`); `nil` is unlimited.
  public var dailyCredits: Int?
  /// The length of the daily cap's day in seconds (`--day-seconds`, default 86,400:
  /// UTC days); day boundaries fall on multiples of it since the Unix epoch.
  public var daySeconds: Double = 86_400
  /// How a served request is priced (`--billing`, `--credit-cost`), with leadsheet's
  /// meaning; default per-request with the default costs (email 1, phone 10,
  /// personal email 3).
  public var billing = BillingModel()
  /// Whether polls (`GET /api/v2/contacts/{id}`) count toward `rate`
  /// (`--free-polls` turns it off).
  public var pollsRateLimited = true

  /// Creates a configuration; defaults are those of `leadsheet simulate`.
  /// How much the server logs (`.critical` when it runs inside `enrich --simulate`).
  public var logLevel: Logger.Level = .info
  public init(
    host: String = "127.0.0.1", port: Int = 0, keys: [String] = [], noConsentKeys: [String] = [],
    rate: Int = 50, latency: LatencyDistribution = .standard, faultRate: Double = 0,
    faults: [SimulatedFault] = SimulatedFault.defaultKinds, seed: UInt64 = 0,
    credits: Int? = nil, creditsExhaustedStatus: Int = 422, ledgerPath: String? = nil,
    hangLimit: Duration = .seconds(600)
  ) {
    self.host = host
    self.port = port
    self.keys = keys
    self.noConsentKeys = noConsentKeys
    self.rate = rate
    self.latency = latency
    self.faultRate = faultRate
    self.faults = faults
    self.seed = seed
    self.credits = credits
    self.creditsExhaustedStatus = creditsExhaustedStatus
    self.ledgerPath = ledgerPath
    self.hangLimit = hangLimit
  }
}
