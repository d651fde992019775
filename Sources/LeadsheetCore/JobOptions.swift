import Foundation

/// The options that shape a job's rows and requests, stored with the job as JSON.
///
/// Two runs of `enrich` on the same input bytes with equal `identity` are the
/// same job: the second resumes the first instead of paying again. The type
/// lives in the core so that the stage that writes it (`Runner`) and the stage
/// that reads it back (`Report`) share one definition: a key the job never
/// writes cannot be read.
///
///     {"chunk_size":100,"credit_costs":"email=1,phone=10,personal_email=3",
///      "maps":[],"rate":20,"types":["email"]}
public struct JobOptions: Sendable, Hashable, Codable {
  /// `--types`.
  public var types: [EnrichmentType]
  /// Every `--map` value, in order.
  public var maps: [String]
  /// `--phone-countries`.
  public var phoneCountries: String?
  /// `--delimiter` (as a one-character string).
  public var delimiter: String?
  /// `--encoding`.
  public var encoding: String?
  /// `--sheet`.
  public var sheet: String?
  /// `--header-row`.
  public var headerRow: Int?
  /// `--only-missing COLUMN`: rows whose COLUMN already holds a value are skipped.
  public var onlyMissing: String?
  /// Rows per chunk.
  public var chunkSize: Int
  /// `--credit-cost`, kept for the report's estimate; not part of the job's identity.
  public var creditCosts: String?
  /// `--max-cell-bytes` (`nil`: the default 1 MiB); a guard, not part of the job's identity.
  public var maxCellBytes: Int?
  /// The `--rate` the job was created with (requests per second, `0` for no limit).
  ///
  /// Kept so that the report measures rate use against it; not part of the job's
  /// identity. `nil` for jobs created before it was stored.
  public var rate: Double?
  /// `--api`: which of Pronto's APIs the job uses (`nil`: the synchronous one, as before
  /// the option existed). Not part of the job's identity: the same list may move from
  /// one to the other between runs.
  public var api: APIMode?
  /// The base URL of the job's last run (never with credentials: the client refuses
  /// those), so the report can say where the results came from. Not part of the identity.
  public var baseURL: String?
  /// `--billing`: how answered requests are counted (`nil`: `per-request`, the worst
  /// case). Not part of the identity: `resume --billing` may change it.
  public var billing: BillingModel.Kind?
  /// `--max-phone-numbers`: under `per-number`, the numbers a phone answer is counted
  /// at before it comes (`nil`: `BillingModel.defaultPhoneNumbersAtMost`). Not part of
  /// the identity.
  public var maxPhoneNumbers: Int?
  /// `--max-credits`: the most credits the job may spend over all its runs (`nil`: no
  /// budget). Not part of the identity: `resume --max-credits` replaces it.
  public var maxCredits: Int?
  /// `--daily-credits`: the most credits per UTC day, counted over every job of the
  /// database (`nil`: no cap of leadsheet's own). Not part of the identity: `resume
  /// --daily-credits` replaces it.
  public var dailyCredits: Int?
  /// `--order-by COLUMN[:desc]` as given (`nil`: file order). Not part of the identity:
  /// `enrich` again or `resume --order-by` with another order re-ranks the pending requests.
  public var orderBy: String?
  /// `--max-age` as given (`90d`, `12h`, `0`; `nil`: the default 90 days): the oldest
  /// answer of the contact store reused instead of bought. Not part of the identity.
  public var maxAge: String?
  /// `--recheck-not-found-after` as given (`nil`: the default 30 days): the oldest
  /// not-found answer reused. Not part of the identity.
  public var recheckNotFoundAfter: String?
  /// `--refresh`: buy everything again, reusing nothing from other jobs (`nil`: no).
  /// Not part of the identity.
  public var refresh: Bool?
  /// `--phone-if` (`always`, `no-email`, `email-risky`; `nil`: always). Not part of
  /// the identity: `resume --phone-if` replaces it for the requests not decided yet.
  public var phoneIf: String?
  /// `--personal-email-if`, as `phoneIf`.
  public var personalEmailIf: String?
  /// `--max-per COLUMN=N` as given (`nil`: no limit). Not part of the identity.
  public var maxPer: String?

  /// The API mode in use: `api`, else `.sync`.
  public var apiMode: APIMode { api ?? .sync }

  /// Creates options.
  public init(
    types: [EnrichmentType] = [.email], maps: [String] = [], phoneCountries: String? = nil,
    delimiter: String? = nil, encoding: String? = nil, sheet: String? = nil,
    headerRow: Int? = nil, onlyMissing: String? = nil, chunkSize: Int = 100,
    creditCosts: String? = nil, maxCellBytes: Int? = nil, rate: Double? = nil,
    api: APIMode? = nil, baseURL: String? = nil, billing: BillingModel.Kind? = nil,
    maxCredits: Int? = nil, dailyCredits: Int? = nil, orderBy: String? = nil,
    maxAge: String? = nil, recheckNotFoundAfter: String? = nil, refresh: Bool? = nil
  ) {
    self.maxAge = maxAge
    self.recheckNotFoundAfter = recheckNotFoundAfter
    self.refresh = refresh
    self.dailyCredits = dailyCredits
    self.orderBy = orderBy
    self.billing = billing
    self.maxCredits = maxCredits
    self.api = api
    self.baseURL = baseURL
    self.creditCosts = creditCosts
    self.maxCellBytes = maxCellBytes
    self.rate = rate
    self.types = types
    self.maps = maps
    self.phoneCountries = phoneCountries
    self.delimiter = delimiter
    self.encoding = encoding
    self.sheet = sheet
    self.headerRow = headerRow
    self.onlyMissing = onlyMissing
    self.chunkSize = chunkSize
  }

  enum CodingKeys: String, CodingKey {
    case types, maps, delimiter, encoding, sheet, rate, api
    case baseURL = "base_url"
    case phoneCountries = "phone_countries"
    case headerRow = "header_row"
    case onlyMissing = "only_missing"
    case chunkSize = "chunk_size"
    case creditCosts = "credit_costs"
    case maxCellBytes = "max_cell_bytes"
    case billing
    case maxPhoneNumbers = "max_phone_numbers"
    case maxCredits = "max_credits"
    case dailyCredits = "daily_credits"
    case orderBy = "order_by"
    case maxAge = "max_age"
    case recheckNotFoundAfter = "recheck_not_found_after"
    case refresh
    case phoneIf = "phone_if"
    case personalEmailIf = "personal_email_if"
    case maxPer = "max_per"
  }

  /// The options that make two runs the same job (everything but the credit costs,
  /// the cell-size guard, the rate, the API mode, the base URL, the billing model and
  /// the budget, the daily cap, the order, the reuse of stored answers, the staging
  /// rules and `--max-per`).
  public var identity: JobOptions {
    var copy = self
    copy.creditCosts = nil
    copy.maxCellBytes = nil
    copy.rate = nil
    copy.api = nil
    copy.baseURL = nil
    copy.billing = nil
    copy.maxPhoneNumbers = nil
    copy.maxCredits = nil
    copy.dailyCredits = nil
    copy.orderBy = nil
    copy.maxAge = nil
    copy.recheckNotFoundAfter = nil
    copy.refresh = nil
    copy.phoneIf = nil
    copy.personalEmailIf = nil
    copy.maxPer = nil
    return copy
  }

  /// `orderBy` read (`nil` without one, or when it does not parse).
  public var parsedOrderBy: OrderBy? { orderBy.flatMap { try? OrderBy.parse($0) } }

  /// The credit costs these options name, else the defaults.
  ///
  /// `nil` when `creditCosts` is absent or does not parse (a job written by hand or by
  /// an older version): callers say they used `CreditCosts.default`.
  public var parsedCreditCosts: CreditCosts? {
    creditCosts.flatMap { try? CreditCosts.parse($0) }
  }

  /// The job's billing model: `billing` (default `per-request`) with its credit
  /// costs (default `CreditCosts.default`) and `maxPhoneNumbers`.
  public var billingModel: BillingModel {
    BillingModel(
      billing ?? .perRequest, costs: parsedCreditCosts ?? .default,
      phoneNumbersAtMost: maxPhoneNumbers ?? BillingModel.defaultPhoneNumbersAtMost)
  }

  /// Reads stored options, or `nil` when the text is not a JSON object of them.
  ///
  /// Keys that are absent take their defaults (`types` empty, `chunk_size` 100), so
  /// options stored by an older version still read.
  public init?(json: String) {
    guard let options = try? JSONDecoder().decode(JobOptions.self, from: Data(json.utf8)) else {
      return nil
    }
    self = options
  }

  /// Decodes stored options; absent keys take their defaults (`types` empty).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      types: try c.decodeIfPresent([EnrichmentType].self, forKey: .types) ?? [],
      maps: try c.decodeIfPresent([String].self, forKey: .maps) ?? [],
      phoneCountries: try c.decodeIfPresent(String.self, forKey: .phoneCountries),
      delimiter: try c.decodeIfPresent(String.self, forKey: .delimiter),
      encoding: try c.decodeIfPresent(String.self, forKey: .encoding),
      sheet: try c.decodeIfPresent(String.self, forKey: .sheet),
      headerRow: try c.decodeIfPresent(Int.self, forKey: .headerRow),
      onlyMissing: try c.decodeIfPresent(String.self, forKey: .onlyMissing),
      chunkSize: try c.decodeIfPresent(Int.self, forKey: .chunkSize) ?? 100,
      creditCosts: try c.decodeIfPresent(String.self, forKey: .creditCosts),
      maxCellBytes: try c.decodeIfPresent(Int.self, forKey: .maxCellBytes),
      rate: try c.decodeIfPresent(Double.self, forKey: .rate),
      api: try c.decodeIfPresent(String.self, forKey: .api).flatMap(APIMode.init(rawValue:)),
      baseURL: try c.decodeIfPresent(String.self, forKey: .baseURL),
      billing: try c.decodeIfPresent(String.self, forKey: .billing).flatMap(
        BillingModel.Kind.init(rawValue:)),
      maxCredits: try c.decodeIfPresent(Int.self, forKey: .maxCredits),
      dailyCredits: try c.decodeIfPresent(Int.self, forKey: .dailyCredits),
      orderBy: try c.decodeIfPresent(String.self, forKey: .orderBy),
      maxAge: try c.decodeIfPresent(String.self, forKey: .maxAge),
      recheckNotFoundAfter: try c.decodeIfPresent(String.self, forKey: .recheckNotFoundAfter),
      refresh: try c.decodeIfPresent(Bool.self, forKey: .refresh))
    phoneIf = try c.decodeIfPresent(String.self, forKey: .phoneIf)
    personalEmailIf = try c.decodeIfPresent(String.self, forKey: .personalEmailIf)
    maxPer = try c.decodeIfPresent(String.self, forKey: .maxPer)
    maxPhoneNumbers = try c.decodeIfPresent(Int.self, forKey: .maxPhoneNumbers)
  }
}
