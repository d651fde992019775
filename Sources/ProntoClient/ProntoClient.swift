import AsyncHTTPClient
import Foundation
import LeadsheetCore
import Logging
import NIOCore
import NIOHTTP1

/// The client of `POST /v2/contacts/single_enrich`: one shared connection pool
/// for the whole job, every outcome classified into an ``EnrichAttempt``.
///
/// One instance serves any number of concurrent `enrich` calls (it is built
/// for 200+ in flight); call ``shutdown()`` once at the end.
///
///     let client = ProntoClient(configuration: try ProntoClientConfiguration(),
///                               apiKey: key, logger: logger)
///     defer { Task { try? await client.shutdown() } }
///     switch await client.enrich(request) {
///     case .found(let r): …
///     case .jobStop(let reason): print(reason.sentence, reason.remedy)
///     …
///     }
///
/// The API key goes only into the `X-API-KEY` header: it is never logged and
/// every message kept from an answer is passed through ``APIKey/redact(_:)``.
/// Redirects are not followed (they could carry the key to another host).
public final class ProntoClient: Sendable {
  /// The settings in use.
  public let configuration: ProntoClientConfiguration
  let apiKey: APIKey
  let logger: Logger
  let http: HTTPClient

  /// Creates the client and its connection pool.
  ///
  /// - Parameters:
  ///   - configuration: Base URL (already checked for TLS), timeouts, pool size.
  ///   - apiKey: The key, sent in `X-API-KEY` only.
  ///   - logger: Where to log attempts (never the key, never bodies).
  public init(configuration: ProntoClientConfiguration, apiKey: APIKey, logger: Logger) {
    self.configuration = configuration
    self.apiKey = apiKey
    self.logger = logger
    var http = HTTPClient.Configuration()
    http.redirectConfiguration = .disallow
    http.timeout = .init(connect: TimeAmount(configuration.connectTimeout))
    http.connectionPool = .init(
      idleTimeout: TimeAmount(configuration.idleTimeout),
      concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConnections)
    http.httpVersion = .automatic
    http.decompression = .enabled(limit: .size(configuration.maxBodyBytes * 4))
    // TLS: the default configuration verifies certificates and host names.
    self.http = HTTPClient(
      eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http,
      backgroundActivityLogger: logger)
  }

  /// Sends one request and classifies what happened; never throws.
  public func enrich(_ request: EnrichRequest) async -> EnrichAttempt {
    await enrichTimed(request).attempt
  }

  /// Sends one request and classifies what happened, with the measured latency.
  public func enrichTimed(_ request: EnrichRequest) async -> TimedEnrichAttempt {
    let clock = ContinuousClock()
    let start = clock.now
    var status: Int?
    let attempt: EnrichAttempt
    do {
      let body = try Self.makeEncoder().encode(request)
      var http = HTTPClientRequest(url: configuration.enrichURL)
      http.method = .POST
      http.headers.add(name: "Content-Type", value: "application/json")
      http.headers.add(name: "Accept", value: "application/json")
      http.headers.add(name: "User-Agent", value: configuration.userAgent)
      http.headers.add(name: "X-API-KEY", value: apiKey.secret)
      http.body = .bytes(ByteBuffer(bytes: body))
      let response = try await self.http.execute(
        http, deadline: .now() + TimeAmount(configuration.requestTimeout), logger: logger)
      status = Int(response.status.code)
      let bytes = try await response.body.collect(upTo: configuration.maxBodyBytes)
      attempt = EnrichAttempt.classify(
        status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"),
        body: Data(bytes.readableBytesView), redact: apiKey.redact)
    } catch {
      attempt = .transient(Self.classify(error: error, bodyStarted: status != nil))
    }
    let latency = clock.now - start
    var metadata: Logger.Metadata = [
      "outcome": "\(attempt.label)",
      "latency_ms": "\(Int(latency.seconds * 1000))",
    ]
    if let status { metadata["http_status"] = "\(status)" }
    logger.debug("enrich attempt", metadata: metadata)
    return TimedEnrichAttempt(attempt: attempt, latency: latency, httpStatus: status)
  }

  /// Closes the pool; call once, after the last `enrich`.
  public func shutdown() async throws {
    try await http.shutdown()
  }

  /// Classifies a transport error.
  ///
  /// - Parameter bodyStarted: Whether the status line had arrived (a failure
  ///   after it is a reset or a timeout, never a connect failure).
  static func classify(error: any Error, bodyStarted: Bool) -> TransientFailure {
    if let e = error as? HTTPClientError {
      if e == .deadlineExceeded || e == .readTimeout || e == .writeTimeout || e == .cancelled {
        return .timeout
      }
      if e == .connectTimeout || e == .tlsHandshakeTimeout || e == .getConnectionFromPoolTimeout {
        return bodyStarted ? .timeout : .connectFailed
      }
      return .connectionReset
    }
    if error is CancellationError { return .timeout }
    if error is NIOTooManyBytesError || error is HTTPParserError { return .badBody }
    if let e = error as? IOError {
      return (e.errnoCode == ECONNREFUSED && !bodyStarted) ? .connectFailed : .connectionReset
    }
    if let e = error as? ChannelError {
      if case .connectTimeout = e { return .connectFailed }
      return .connectionReset
    }
    let type = String(reflecting: Swift.type(of: error))
    if !bodyStarted, type.contains("Connect") || type.contains("NIOSSL") || type.contains("DNS") {
      return .connectFailed
    }
    return .connectionReset
  }

  static func makeEncoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return e
  }
}

extension TimeAmount {
  /// A NIO time amount from a Swift `Duration`.
  init(_ duration: Duration) {
    let c = duration.components
    self = .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
  }
}
