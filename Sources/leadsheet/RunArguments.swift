import ArgumentParser
import Foundation
import LeadsheetCore
import Logging
import ProntoClient
import Runner
import Simulator

/// How to reach the API and pace the requests: options shared by `enrich` and `resume`.
struct RunArguments: ParsableArguments {
  @Option(help: "Requests per second (Pronto allows 50 per user); 0 = no limit.")
  var rate: Double = 50

  @Option(
    help: "The most requests in flight; shrinks on 429s and when latency grows with it, grows back."
  )
  var maxInFlight = 200

  @Flag(
    help: ArgumentHelp(
      "Keep the in-flight window from following latency (it then shrinks on 429s only).",
      discussion: """
        By default the window shrinks toward what the server works on at once when \
        latency grows with it (a server that queues requests beyond its concurrency).
        """))
  var noLatencyWindow = false

  @Option(help: "Retries of a transient failure (5xx, reset, timeout) before the row fails.")
  var maxRetries = 6

  @Option(help: "Seconds the API may be unreachable before the job pauses.")
  var giveUpAfter = 300

  @Option(help: "Per-request deadline in seconds (the waterfall is slow).")
  var timeout = 90

  @Option(help: "Send at most N distinct requests in this run (a trial); resume sends the rest.")
  var limit: Int?

  @Option(
    help: ArgumentHelp(
      "Which Pronto API: sync (the result in the answer) or async (submit, then poll by id).",
      discussion: "Stored with the job; resume uses the stored one unless given."))
  var api: APIMode?

  @Option(
    help: """
      Pronto's API base URL (default: $LEADSHEET_BASE_URL, else https://api.prontohq.com/v2 \
      for --api sync, https://app.prontohq.com/api/v2 for --api async).
      """)
  var baseURL: String?

  @Option(
    help: ArgumentHelp(
      "How long a submitted request may stay pending before it is failed (e.g. 30m, 90s, 2h).",
      discussion: "resume polls it again; it is never sent again."))
  var pollTimeout = "30m"

  @Flag(
    help:
      "Polls (GET /contacts/{id}) do not take a slot of --rate (only if Pronto does not count them)."
  )
  var freePolls = false

  @Option(
    help: ArgumentHelp(
      "How answered requests are counted: per-request (each costs its types' sum: the worst case), per-found (only the types found) or per-number (per-found, phones per number).",
      discussion:
        "Stored with the job (default per-request); resume uses the stored one unless given."
    ))
  var billing: BillingModel.Kind?

  @Option(
    help: ArgumentHelp(
      "Under --billing per-number: count each phone asked for at N numbers until its answer comes (default 3).",
      discussion:
        "What may still be sent is decided by this worst case; an answer with more numbers raises it for the rest of the run. Stored with the job."
    ))
  var maxPhoneNumbers: Int?

  @Option(
    help: ArgumentHelp(
      "Spend at most N credits on this job, over all its runs: no request is sent whose worst case would pass N.",
      discussion:
        "Stored with the job; resume --max-credits M replaces it. At the budget the job pauses (exit 75)."
    ))
  var maxCredits: Int?

  @Option(
    help: ArgumentHelp(
      "Spend at most N credits per UTC day, counted over every job in the database.",
      discussion:
        "Stored with the job; resume --daily-credits M replaces it. At the cap (or at the API's daily limit) the job pauses (exit 75) until the reset, or waits with --wait."
    ))
  var dailyCredits: Int?

  @Flag(
    help:
      "At a daily cap (--daily-credits or the API's daily limit), sleep to the reset and go on instead of pausing."
  )
  var wait = false

  @Option(
    help: ArgumentHelp(
      "Reuse an answer already bought (by any job in the database) when younger than this (e.g. 90d, 12h); 0 = always buy.",
      discussion: "Default 90d. Stored with the job; resume uses the stored one unless given."
    ))
  var maxAge: String?

  @Option(
    help: ArgumentHelp(
      "Buy a not-found answer again once it is older than this (e.g. 30d); 0 = never reuse a not-found.",
      discussion: "Default 30d: providers' data changes. Stored with the job."))
  var recheckNotFoundAfter: String?

  @Flag(
    inversion: .prefixedNo,
    help: ArgumentHelp(
      "Buy every contact again, reusing nothing bought by other jobs (this job's own answers still count).",
      discussion: "Stored with the job: resume keeps refreshing unless given --no-refresh."))
  var refresh: Bool?

  @OptionGroup var stages: StageArguments

  @Option(help: "Read the API key from this file instead of $PRONTO_API_KEY.")
  var apiKeyFile: String?

  @Flag(help: "Allow plain HTTP to a host other than localhost (never for the real API).")
  var insecure = false

  @Flag(help: "Run against a built-in simulator of the API: no key, no network, no cost.")
  var simulate = false

  @Flag(
    help: "After a crash, mark requests that were in flight failed instead of sending them again.")
  var noResendInFlight = false

  @Flag(name: .shortAndLong, help: "Print nothing but errors.")
  var quiet = false

  func validate() throws {
    guard rate >= 0 else { throw ValidationError("--rate must be 0 or more") }
    guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be 1 or more") }
    guard maxRetries >= 0 else { throw ValidationError("--max-retries must be 0 or more") }
    guard timeout >= 1 else { throw ValidationError("--timeout must be 1 or more") }
    if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
    if let maxPhoneNumbers, maxPhoneNumbers < 1 {
      throw ValidationError("--max-phone-numbers must be 1 or more")
    }
    if let maxCredits, maxCredits < 0 {
      throw ValidationError("--max-credits must be 0 or more")
    }
    if let dailyCredits, dailyCredits < 0 {
      throw ValidationError("--daily-credits must be 0 or more")
    }
    try ReuseArguments.validateAges(
      maxAge: maxAge, recheckNotFoundAfter: recheckNotFoundAfter)
    guard Self.seconds(pollTimeout) != nil else {
      throw ValidationError("--poll-timeout must be a duration such as 30m, 90s or 2h")
    }
  }

  /// Seconds in a duration such as `30m`, `90s`, `2h` (a plain number is minutes).
  static func seconds(_ text: String) -> Double? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, scale) in units where t.hasSuffix(suffix) {
      guard let n = Double(t.dropLast(suffix.count)), n > 0 else { return nil }
      return n * scale
    }
    guard let n = Double(t), n > 0 else { return nil }
    return n * 60
  }

  /// The runner's configuration.
  var configuration: RunConfiguration {
    var c = RunConfiguration()
    c.rate = rate
    c.maxInFlight = maxInFlight
    c.latencyWindow = !noLatencyWindow
    c.backoff = Backoff(maxRetries: maxRetries)
    c.giveUpAfter = .seconds(giveUpAfter)
    c.limit = limit
    c.resendInFlight = !noResendInFlight
    c.apiMode = api ?? .sync
    c.pollTimeout = Self.seconds(pollTimeout) ?? 1800
    c.pollsUseRate = !freePolls
    c.waitForDailyReset = wait
    return c
  }
}

/// A client connected to the real API or to an in-process simulator, and how to close both.
struct Connection {
  let client: ProntoClient
  let simulator: Simulator?

  /// Connects as `arguments` say.
  ///
  /// - Throws: `LeadsheetError(.usage)` without an API key, or for a refused base URL.
  static func open(
    _ arguments: RunArguments, mode: APIMode = .sync, logger: Logger
  ) async throws -> Connection {
    let env = ProcessInfo.processInfo.environment
    var simulator: Simulator?
    let key: APIKey
    let base: String
    if arguments.simulate {
      var config = SimulatorConfiguration(
        host: "127.0.0.1", port: 0, keys: [Connection.simulatorKey], rate: 50,
        latency: try LatencyDistribution.parse("300,1500"))
      config.logLevel = .critical
      let sim = try await Simulator.start(config)
      simulator = sim
      key = APIKey(Connection.simulatorKey)!
      base = mode == .async ? sim.asyncBaseURL : sim.baseURL
    } else {
      key = try APIKey.resolve(environment: env, file: arguments.apiKeyFile)
      base =
        arguments.baseURL ?? env[ProntoClientConfiguration.baseURLEnvironmentVariable]
        ?? mode.defaultBaseURL
    }
    var configuration = try ProntoClientConfiguration(
      baseURL: base, allowInsecure: arguments.insecure)
    configuration.requestTimeout = .seconds(arguments.timeout)
    configuration.apiMode = mode
    configuration.maxConnections = max(arguments.maxInFlight, 8)
    let client = ProntoClient(configuration: configuration, apiKey: key, logger: logger)
    return Connection(client: client, simulator: simulator)
  }

  /// The key the built-in simulator accepts (it guards nothing: the simulator is local).
  static let simulatorKey = "leadsheet-simulator-key"

  /// Closes the client and stops the simulator.
  func close() async {
    try? await client.shutdown()
    await simulator?.stop()
  }
}

extension APIMode: ExpressibleByArgument {}

extension BillingModel.Kind: ExpressibleByArgument {}
