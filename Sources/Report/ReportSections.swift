import Foundation
import LeadsheetCore

/// Which job a report describes.
public struct JobSection: Sendable, Hashable, Codable {
  /// The job's id.
  public var id: String
  /// The input file, as the user named it.
  public var inputPath: String
  /// `csv` or `xlsx`.
  public var format: String
  /// The sheet read (XLSX).
  public var sheet: String?
  /// The job's state name (`running`, `paused`, `done`, `failed`, `ingesting`).
  public var state: String
  /// Why it is paused or failed.
  public var stateReason: String?
  /// Whether every row has a final outcome (no pending row).
  public var finished: Bool
  /// The enrichment types asked for (`email`, `phone`, `personal_email`).
  public var types: [String]
  /// When the job was created (ISO 8601, UTC).
  public var createdAt: String
  /// When the job last changed (ISO 8601, UTC).
  public var updatedAt: String
  /// Which of Pronto's APIs the job used: `sync` or `async` (`sync` for jobs stored
  /// before the mode was: they could only use that one).
  public var api: String
  /// The base URL of the job's last run, without query or credentials (`nil`: not
  /// recorded, jobs run before it was stored).
  public var baseURL: String?

  /// Creates a value.
  public init(
    id: String, inputPath: String, format: String, sheet: String?, state: String,
    stateReason: String?, finished: Bool, types: [String], createdAt: String, updatedAt: String,
    api: String = APIMode.sync.rawValue, baseURL: String? = nil
  ) {
    self.api = api
    self.baseURL = baseURL
    self.id = id
    self.inputPath = inputPath
    self.format = format
    self.sheet = sheet
    self.state = state
    self.stateReason = stateReason
    self.finished = finished
    self.types = types
    self.createdAt = createdAt
    self.updatedAt = updatedAt
  }

  enum CodingKeys: String, CodingKey {
    case id, inputPath, format, sheet, state, stateReason, finished, types, createdAt
    case updatedAt, api
    // The report's coders convert `base_url` to and from `baseUrl`.
    case baseURL = "baseUrl"
  }

  /// Decodes a value; `api` is `sync` when absent (reports written before it).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    inputPath = try c.decode(String.self, forKey: .inputPath)
    format = try c.decode(String.self, forKey: .format)
    sheet = try c.decodeIfPresent(String.self, forKey: .sheet)
    state = try c.decode(String.self, forKey: .state)
    stateReason = try c.decodeIfPresent(String.self, forKey: .stateReason)
    finished = try c.decode(Bool.self, forKey: .finished)
    types = try c.decode([String].self, forKey: .types)
    createdAt = try c.decode(String.self, forKey: .createdAt)
    updatedAt = try c.decode(String.self, forKey: .updatedAt)
    api = try c.decodeIfPresent(String.self, forKey: .api) ?? APIMode.sync.rawValue
    baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL)
  }

  /// A base URL fit to print: its scheme, host, port and path, without user,
  /// password, query or fragment; `nil` when it is not a URL.
  public static func printableBaseURL(_ text: String?) -> String? {
    guard let text, var parts = URLComponents(string: text), parts.host != nil else {
      return nil
    }
    parts.user = nil
    parts.password = nil
    parts.query = nil
    parts.fragment = nil
    return parts.string
  }
}

/// A count with a name: a reason code, a status value, an error class.
public struct NamedCount: Sendable, Hashable, Codable {
  /// The name (`missing_name`, `valid`, `http-422`; `(none)` when the API sent nothing).
  public var name: String
  /// How many rows.
  public var rows: Int
  /// `rows` over the section's denominator, when it has one.
  public var share: Double?
  /// One message seen with this name (invalid reasons, error classes).
  public var example: String?

  /// Creates a value.
  public init(name: String, rows: Int, share: Double? = nil, example: String? = nil) {
    self.name = name
    self.rows = rows
    self.share = share
    self.example = example
  }
}

/// The list as read: rows, valid, invalid by reason, duplicates merged.
public struct InputSection: Sendable, Hashable, Codable {
  /// Rows in the job.
  public var rows: Int
  /// Rows with a request (planned `request`): sendable.
  public var validRows: Int
  /// Rows that can never be sent.
  public var invalidRows: Int
  /// Invalid rows by reason code, largest first, with the reason's sentence.
  public var invalidByReason: [NamedCount]
  /// Rows not sent on purpose (`--only-missing`).
  public var skippedRows: Int
  /// Valid rows whose contact repeats an earlier row's: merged into its request.
  public var duplicateRows: Int
  /// Distinct requests (valid rows − duplicate rows).
  public var requests: Int
  /// Input cells longer than Excel's 32,767 characters: kept whole in CSV
  /// output, cut to 32,767 in XLSX output (`docs/output.md`).
  public var longCells: Int
  /// The line (CSV) or row (XLSX) of the first of them.
  public var firstLongCellLine: Int?

  /// Creates a value.
  public init(
    rows: Int, validRows: Int, invalidRows: Int, invalidByReason: [NamedCount],
    skippedRows: Int, duplicateRows: Int, requests: Int, longCells: Int = 0,
    firstLongCellLine: Int? = nil
  ) {
    self.longCells = longCells
    self.firstLongCellLine = firstLongCellLine
    self.rows = rows
    self.validRows = validRows
    self.invalidRows = invalidRows
    self.invalidByReason = invalidByReason
    self.skippedRows = skippedRows
    self.duplicateRows = duplicateRows
    self.requests = requests
  }

  enum CodingKeys: String, CodingKey {
    case rows, validRows, invalidRows, invalidByReason, skippedRows, duplicateRows, requests
    case longCells, firstLongCellLine
  }

  /// Decodes a value; `long_cells` is 0 when absent (reports written before it existed).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    rows = try c.decode(Int.self, forKey: .rows)
    validRows = try c.decode(Int.self, forKey: .validRows)
    invalidRows = try c.decode(Int.self, forKey: .invalidRows)
    invalidByReason = try c.decode([NamedCount].self, forKey: .invalidByReason)
    skippedRows = try c.decode(Int.self, forKey: .skippedRows)
    duplicateRows = try c.decode(Int.self, forKey: .duplicateRows)
    requests = try c.decode(Int.self, forKey: .requests)
    longCells = try c.decodeIfPresent(Int.self, forKey: .longCells) ?? 0
    firstLongCellLine = try c.decodeIfPresent(Int.self, forKey: .firstLongCellLine)
  }
}

/// The credit costs a report priced requests with, and where they came from.
///
/// The costs are the one `CreditCosts` type the whole pipeline uses; this adds
/// only their source. In the report's JSON it reads
/// `{"email": 1, "phone": 10, "personal_email": 3, "source": "default"}`.
public struct ReportCreditCosts: Sendable, Hashable, Codable {
  /// Credits per enrichment type.
  public var costs: CreditCosts
  /// `default` (the job records no costs) or `job_options`.
  public var source: String

  /// The default costs, marked `default`.
  public static let `default` = ReportCreditCosts(costs: .default, source: "default")

  /// Creates a value.
  public init(costs: CreditCosts, source: String) {
    self.costs = costs
    self.source = source
  }

  // Camel case: the report's encoder and decoder convert to and from snake case.
  enum CodingKeys: String, CodingKey {
    case email, phone, personalEmail, source
  }

  /// Decodes the flat object a report writes.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    costs = CreditCosts(perType: [
      .email: try c.decode(Int.self, forKey: .email),
      .phone: try c.decode(Int.self, forKey: .phone),
      .personalEmail: try c.decode(Int.self, forKey: .personalEmail),
    ])
    source = try c.decode(String.self, forKey: .source)
  }

  /// Encodes the costs and the source as one flat object.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(costs[.email], forKey: .email)
    try c.encode(costs[.phone], forKey: .phone)
    try c.encode(costs[.personalEmail], forKey: .personalEmail)
    try c.encode(source, forKey: .source)
  }
}

/// Requests and credits: what was asked, answered, billed and saved.
public struct CostSection: Sendable, Hashable, Codable {
  /// The cost table used for the credit figures.
  public var creditCosts: ReportCreditCosts
  /// Distinct requests in the job.
  public var requests: Int
  /// Requests with an answer (found or not found): billed, once each at least.
  public var requestsAnswered: Int
  /// Requests that failed for good (never answered with a result).
  public var requestsFailed: Int
  /// Requests not done yet (pending or in flight).
  public var requestsPending: Int
  /// Requests in flight right now, or left in flight by a crash: may have been billed.
  public var requestsInFlight: Int
  /// Requests billed as far as the store knows: `requests_answered`.
  public var requestsBilled: Int
  /// Requests that may have been billed without a recorded answer: resent after a
  /// crash, in flight, or failed as `interrupted`.
  public var requestsPossiblyBilledTwice: Int
  /// Credits of the billed requests: the sum of the cost of the types each asked for
  /// (an upper bound: Pronto may charge less when a type is not found).
  public var creditsBilled: Int
  /// Credits the duplicate rows would have cost if each had been sent.
  public var creditsSaved: Int
  /// Requests the duplicate rows would have been (= `input.duplicate_rows`).
  public var requestsSaved: Int
  /// Credits for the requests still pending (an estimate of what finishing costs).
  public var creditsToFinish: Int

  /// Creates a value.
  public init(
    creditCosts: ReportCreditCosts, requests: Int, requestsAnswered: Int, requestsFailed: Int,
    requestsPending: Int, requestsInFlight: Int, requestsBilled: Int,
    requestsPossiblyBilledTwice: Int, creditsBilled: Int, creditsSaved: Int, requestsSaved: Int,
    creditsToFinish: Int
  ) {
    self.creditCosts = creditCosts
    self.requests = requests
    self.requestsAnswered = requestsAnswered
    self.requestsFailed = requestsFailed
    self.requestsPending = requestsPending
    self.requestsInFlight = requestsInFlight
    self.requestsBilled = requestsBilled
    self.requestsPossiblyBilledTwice = requestsPossiblyBilledTwice
    self.creditsBilled = creditsBilled
    self.creditsSaved = creditsSaved
    self.requestsSaved = requestsSaved
    self.creditsToFinish = creditsToFinish
  }
}

/// What was found for one enrichment type, counted in rows.
public struct TypeResult: Sendable, Hashable, Codable {
  /// `email`, `phone` or `personal_email`.
  public var type: String
  /// Valid rows whose request asks for this type.
  public var requestedRows: Int
  /// Valid rows whose request does not ask for it although the job does (no usable
  /// LinkedIn URL for `phone`/`personal_email`).
  public var droppedRows: Int
  /// Requested rows with an answer (found + not found): the rate's denominator.
  public var answeredRows: Int
  /// Answered rows with a value of this type (an email; at least one phone).
  public var foundRows: Int
  /// Answered rows without one.
  public var notFoundRows: Int
  /// `found_rows / answered_rows`.
  public var foundRate: Double?
  /// Requested rows that failed.
  public var failedRows: Int
  /// Requested rows not done yet.
  public var pendingRows: Int
  /// Answered rows by the status field the API sent for this type
  /// (`email_status`, `phone_status`, `personal_email_status`), exactly as sent,
  /// largest first; `(none)` when absent. Shares are of `answered_rows`.
  public var statusBreakdown: [NamedCount]
  /// Found rows by the status the API sent with the value (shares of `found_rows`).
  public var foundStatusBreakdown: [NamedCount]
  /// Found rows whose status says the value is good: `valid` (the sync API) or
  /// `deliverable` (the async API), by `StatusVocabulary`.
  public var validRows: Int
  /// Found rows whose status says the value is risky: `catch_all` or `catch-all`.
  public var catchAllRows: Int
  /// `valid_rows / answered_rows`: the found rate counting good values only.
  public var validRate: Double?
  /// Requested rows whose type was not bought on purpose (`--phone-if`,
  /// `--personal-email-if`, `--max-per`: status `skipped`): not in `answered_rows`.
  public var notBoughtRows: Int

  /// Creates a value.
  public init(
    type: String, requestedRows: Int, droppedRows: Int, answeredRows: Int, foundRows: Int,
    notFoundRows: Int, foundRate: Double?, failedRows: Int, pendingRows: Int,
    statusBreakdown: [NamedCount], foundStatusBreakdown: [NamedCount], validRows: Int = 0,
    catchAllRows: Int = 0, notBoughtRows: Int = 0
  ) {
    self.notBoughtRows = notBoughtRows
    self.validRows = validRows
    self.catchAllRows = catchAllRows
    self.validRate = fraction(validRows, answeredRows)
    self.type = type
    self.requestedRows = requestedRows
    self.droppedRows = droppedRows
    self.answeredRows = answeredRows
    self.foundRows = foundRows
    self.notFoundRows = notFoundRows
    self.foundRate = foundRate
    self.failedRows = failedRows
    self.pendingRows = pendingRows
    self.statusBreakdown = statusBreakdown
    self.foundStatusBreakdown = foundStatusBreakdown
  }

  enum CodingKeys: String, CodingKey {
    case type, requestedRows, droppedRows, answeredRows, foundRows, notFoundRows, foundRate
    case failedRows, pendingRows, statusBreakdown, foundStatusBreakdown
    case validRows, catchAllRows, validRate, notBoughtRows
  }

  /// Decodes a value; `valid_rows` and `catch_all_rows` are 0 when absent (reports
  /// written before them).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = try c.decode(String.self, forKey: .type)
    requestedRows = try c.decode(Int.self, forKey: .requestedRows)
    droppedRows = try c.decode(Int.self, forKey: .droppedRows)
    answeredRows = try c.decode(Int.self, forKey: .answeredRows)
    foundRows = try c.decode(Int.self, forKey: .foundRows)
    notFoundRows = try c.decode(Int.self, forKey: .notFoundRows)
    foundRate = try c.decodeIfPresent(Double.self, forKey: .foundRate)
    failedRows = try c.decode(Int.self, forKey: .failedRows)
    pendingRows = try c.decode(Int.self, forKey: .pendingRows)
    statusBreakdown = try c.decode([NamedCount].self, forKey: .statusBreakdown)
    foundStatusBreakdown = try c.decode([NamedCount].self, forKey: .foundStatusBreakdown)
    notBoughtRows = try c.decodeIfPresent(Int.self, forKey: .notBoughtRows) ?? 0
    validRows = try c.decodeIfPresent(Int.self, forKey: .validRows) ?? 0
    catchAllRows = try c.decodeIfPresent(Int.self, forKey: .catchAllRows) ?? 0
    validRate = try c.decodeIfPresent(Double.self, forKey: .validRate)
  }
}

/// A count of rows out of a denominator, with the rate.
public struct RateCount: Sendable, Hashable, Codable {
  /// Rows that have it.
  public var rows: Int
  /// Rows it is counted out of.
  public var outOf: Int
  /// `rows / out_of`.
  public var rate: Double?

  /// Creates a value; the rate is computed.
  public init(rows: Int, outOf: Int) {
    self.rows = rows
    self.outOf = outOf
    self.rate = fraction(rows, outOf)
  }
}

/// Found rates of one group of rows (rows with a LinkedIn URL, rows from France…).
public struct GroupRates: Sendable, Hashable, Codable {
  /// The group's label (`with linkedin_url`, a column value, `(other values)`, `(empty)`).
  public var label: String
  /// Rows in the group (every status).
  public var rows: Int
  /// Rows with an answer (found or not found).
  public var answeredRows: Int
  /// Per requested type (in type order), rows found out of the rows answered for that type.
  public var found: [TypeRate]
  /// Answered rows with anything found (`status` found) out of `answered_rows`.
  public var anyFound: RateCount

  /// Creates a value.
  public init(
    label: String, rows: Int, answeredRows: Int, found: [TypeRate], anyFound: RateCount
  ) {
    self.label = label
    self.rows = rows
    self.answeredRows = answeredRows
    self.found = found
    self.anyFound = anyFound
  }
}

/// Found rates with and without one request field.
public struct CompletenessSplit: Sendable, Hashable, Codable {
  /// The request field: `linkedin_url`, `domain` or `company_name`.
  public var field: String
  /// Valid rows whose request has the field.
  public var with: GroupRates
  /// Valid rows whose request lacks it.
  public var without: GroupRates

  /// Creates a value.
  public init(field: String, with: GroupRates, without: GroupRates) {
    self.field = field
    self.with = with
    self.without = without
  }
}

/// Found rates per value of one input column (`--by`).
public struct ColumnGroups: Sendable, Hashable, Codable {
  /// The column, as named in the header.
  public var column: String
  /// Distinct values seen (at least; see `values_capped`).
  public var distinctValues: Int
  /// Whether more distinct values than the tracking limit were seen; values past
  /// the limit are counted in the rest group.
  public var valuesCapped: Bool
  /// The top values by rows (at most 20), then ties broken by value.
  public var top: [GroupRates]
  /// Every other value as one group (`nil` when there is none).
  public var rest: GroupRates?

  /// Creates a value.
  public init(
    column: String, distinctValues: Int, valuesCapped: Bool, top: [GroupRates],
    rest: GroupRates?
  ) {
    self.column = column
    self.distinctValues = distinctValues
    self.valuesCapped = valuesCapped
    self.top = top
    self.rest = rest
  }
}

/// Latency percentiles over the answered requests, in milliseconds.
public struct LatencySection: Sendable, Hashable, Codable {
  /// Requests with a latency.
  public var count: Int
  /// Median.
  public var p50: Int
  /// 95th percentile.
  public var p95: Int
  /// 99th percentile.
  public var p99: Int

  /// Creates a value.
  public init(count: Int, p50: Int, p95: Int, p99: Int) {
    self.count = count
    self.p50 = p50
    self.p95 = p95
    self.p99 = p99
  }
}

/// Pauses with the same reason.
public struct PauseGroup: Sendable, Hashable, Codable {
  /// Why (`rate limited`, `credits exhausted`, `network`…), as the runner recorded it.
  public var reason: String
  /// How many pauses.
  public var count: Int
  /// Their total length, when recorded.
  public var seconds: Double

  /// Creates a value.
  public init(reason: String, count: Int, seconds: Double) {
    self.reason = reason
    self.count = count
    self.seconds = seconds
  }
}

/// How the runs went.
public struct RunSection: Sendable, Hashable, Codable {
  /// `run` and `resume` invocations recorded.
  public var runs: Int
  /// When the first run started (ISO 8601, UTC).
  public var firstStartedAt: String?
  /// When the last run ended; `nil` while one runs (or after a crash).
  public var lastEndedAt: String?
  /// Time spent running, summed over runs, in seconds (a run without an end
  /// counts up to the job's last change).
  public var durationSeconds: Double
  /// Requests sent, retries included (from the runs' counters).
  public var requestsSent: Int
  /// Requests sent again after a transient failure.
  public var retries: Int
  /// `429 Too Many Requests` answers.
  public var rateLimited: Int
  /// `requests_sent / duration_seconds`.
  public var requestsPerSecond: Double?
  /// The rate limit the job ran against, requests per second.
  public var rateLimit: Double
  /// Where `rate_limit` comes from: `job_options` or `contract` (Pronto's 50/s).
  public var rateLimitSource: String
  /// `requests_per_second / rate_limit`.
  public var rateLimitUse: Double?
  /// Latency percentiles; `nil` when no request has one.
  public var latency: LatencySection?
  /// Pauses grouped by reason, longest total first.
  public var pauses: [PauseGroup]
  /// How the last run ended (`done`, `paused: credits exhausted`, `interrupted`…).
  public var lastEndReason: String?
  /// Requests put back to pending after a crash (each may have been paid twice).
  public var resentAfterCrash: Int

  /// Creates a value.
  public init(
    runs: Int, firstStartedAt: String?, lastEndedAt: String?, durationSeconds: Double,
    requestsSent: Int, retries: Int, rateLimited: Int, requestsPerSecond: Double?,
    rateLimit: Double, rateLimitSource: String, rateLimitUse: Double?,
    latency: LatencySection?, pauses: [PauseGroup], lastEndReason: String?,
    resentAfterCrash: Int
  ) {
    self.runs = runs
    self.firstStartedAt = firstStartedAt
    self.lastEndedAt = lastEndedAt
    self.durationSeconds = durationSeconds
    self.requestsSent = requestsSent
    self.retries = retries
    self.rateLimited = rateLimited
    self.requestsPerSecond = requestsPerSecond
    self.rateLimit = rateLimit
    self.rateLimitSource = rateLimitSource
    self.rateLimitUse = rateLimitUse
    self.latency = latency
    self.pauses = pauses
    self.lastEndReason = lastEndReason
    self.resentAfterCrash = resentAfterCrash
  }
}

/// Rows found for one type out of the rows answered for it.
public struct TypeRate: Sendable, Hashable, Codable {
  /// `email`, `phone` or `personal_email`.
  public var type: String
  /// Rows with a value of this type.
  public var rows: Int
  /// Rows answered whose request asked for this type.
  public var outOf: Int
  /// `rows / out_of`.
  public var rate: Double?

  /// Creates a value; the rate is computed.
  public init(type: String, rows: Int, outOf: Int) {
    self.type = type
    self.rows = rows
    self.outOf = outOf
    self.rate = fraction(rows, outOf)
  }
}

/// Rows by status, as the output's `status` column shows them.
public struct StatusCounts: Sendable, Hashable, Codable {
  /// The API found something.
  public var found: Int
  /// The API found nothing.
  public var notFound: Int
  /// Never sent: the row cannot make a valid request.
  public var invalid: Int
  /// Gave up after retries, or a permanent API error.
  public var failed: Int
  /// Not done yet.
  public var pending: Int
  /// Not sent on purpose (`--only-missing`).
  public var skipped: Int

  /// Creates a value.
  public init(found: Int, notFound: Int, invalid: Int, failed: Int, pending: Int, skipped: Int) {
    self.found = found
    self.notFound = notFound
    self.invalid = invalid
    self.failed = failed
    self.pending = pending
    self.skipped = skipped
  }

  /// The counts in `RowStatus` order, with the status names as the output writes them.
  public var all: [(status: String, rows: Int)] {
    [
      ("found", found), ("not_found", notFound), ("invalid", invalid), ("failed", failed),
      ("pending", pending), ("skipped", skipped),
    ]
  }
}
