import Foundation
import LeadsheetCore

/// Where and how ``ProntoClient`` talks to Pronto.
///
/// The base URL defaults to `https://api.prontohq.com/v2` and may be replaced
/// with `--base-url` or `LEADSHEET_BASE_URL` (see ``resolveBaseURL(option:environment:)``).
/// TLS certificates are always verified. Plain `http://` is accepted only for
/// a loopback host (`127.0.0.1`, `localhost`, `::1`), where the simulator runs;
/// any other host without TLS is refused unless ``allowInsecure`` is set, so
/// the API key never crosses a network in clear by mistake.
public struct ProntoClientConfiguration: Sendable, Hashable {
  /// Pronto's production base URL.
  public static let defaultBaseURL = "https://api.prontohq.com/v2"
  /// The environment variable that overrides the base URL.
  public static let baseURLEnvironmentVariable = "LEADSHEET_BASE_URL"

  /// The base URL, without a trailing slash (`https://api.prontohq.com/v2`).
  public let baseURL: String
  /// Whether plain HTTP to a non-loopback host was explicitly allowed.
  public let allowInsecure: Bool
  /// How long opening a TCP (and TLS) connection may take.
  public var connectTimeout: Duration
  /// The deadline of one request, from sending to the last byte of the answer.
  ///
  /// Default 90 s: the waterfall behind the endpoint queries several providers.
  public var requestTimeout: Duration
  /// The connection pool's size per host (async-http-client's
  /// `concurrentHTTP1ConnectionsPerHostSoftLimit`); set it to at least the
  /// number of requests kept in flight (its default of 8 caps throughput).
  public var maxConnections: Int
  /// How long an idle pooled connection is kept open (keep-alive).
  public var idleTimeout: Duration
  /// The largest answer body read, in bytes; a larger one is a bad body.
  public var maxBodyBytes: Int

  /// Which API the base URL serves (`--api`): with `sync`, a 404 on one of the two
  /// documented paths (`single_enrich`, `sync_single_enrich`) makes the client use
  /// the other; with `async`, each request names one type.
  public var apiMode: APIMode = .sync

  /// The full URL of `POST /contacts/single_enrich`.
  public var enrichURL: String { baseURL + "/contacts/single_enrich" }
  /// The full URL of the synchronous call's other documented path.
  public var syncEnrichURL: String { baseURL + "/contacts/sync_single_enrich" }
  /// The full URL of `GET /contacts/{id}` (the id percent-encoded).
  public func resultURL(enrichmentID id: String) -> String {
    let safe = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
    return baseURL + "/contacts/" + (safe ?? id)
  }
  /// The `User-Agent` sent with every request: `leadsheet/VERSION`.
  public var userAgent: String { "leadsheet/\(LeadsheetVersion.current)" }

  /// Creates a configuration, checking the base URL against the TLS rule.
  ///
  /// - Parameters:
  ///   - baseURL: `https://…`, or `http://` on a loopback host.
  ///   - allowInsecure: Accept `http://` to any host (never the default).
  ///   - connectTimeout: Connect (and TLS handshake) timeout; default 10 s.
  ///   - requestTimeout: Per-request deadline; default 90 s.
  ///   - maxConnections: Pool size per host; default 256 (for 200+ in flight).
  /// - Throws: `LeadsheetError` `.usage` for a URL that is malformed, not
  ///   HTTP(S), carries credentials, or is plain HTTP to a non-loopback host.
  public init(
    baseURL: String = ProntoClientConfiguration.defaultBaseURL, allowInsecure: Bool = false,
    connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(90),
    maxConnections: Int = 256, idleTimeout: Duration = .seconds(60),
    maxBodyBytes: Int = 1 << 20
  ) throws {
    var text = baseURL.trimmingCharacters(in: .whitespaces)
    while text.hasSuffix("/") { text.removeLast() }
    guard let components = URLComponents(string: text),
      let scheme = components.scheme?.lowercased(),
      let host = components.host, !host.isEmpty
    else {
      throw LeadsheetError(
        .usage, "base URL '\(baseURL)' is not a valid URL",
        hint: "use e.g. \(Self.defaultBaseURL)")
    }
    guard components.user == nil, components.password == nil else {
      throw LeadsheetError(.usage, "base URL must not carry credentials")
    }
    guard components.query == nil, components.fragment == nil else {
      throw LeadsheetError(.usage, "base URL '\(baseURL)' must not have a query or fragment")
    }
    switch scheme {
    case "https":
      break
    case "http":
      guard Self.isLoopback(host: host) || allowInsecure else {
        throw LeadsheetError(
          .usage, "refusing plain http:// to \(host): the API key would travel unencrypted",
          hint: "use https://, or --insecure if you really mean it")
      }
    default:
      throw LeadsheetError(.usage, "base URL scheme '\(scheme)' is not http or https")
    }
    self.baseURL = text
    self.allowInsecure = allowInsecure
    self.connectTimeout = connectTimeout
    self.requestTimeout = requestTimeout
    self.maxConnections = max(1, maxConnections)
    self.idleTimeout = idleTimeout
    self.maxBodyBytes = maxBodyBytes
  }

  /// Whether a host name is the local machine (`127.0.0.1`, `localhost`, `::1`).
  public static func isLoopback(host: String) -> Bool {
    let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    return h == "localhost" || h == "::1" || h == "127.0.0.1"
  }

  /// The base URL to use: the option if given, else `LEADSHEET_BASE_URL`, else the default.
  public static func resolveBaseURL(option: String?, environment: [String: String]) -> String {
    if let option, !option.isEmpty { return option }
    if let env = environment[baseURLEnvironmentVariable], !env.isEmpty { return env }
    return defaultBaseURL
  }
}
