import AsyncHTTPClient
import Foundation
import LeadsheetCore
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

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
  /// The synchronous call's path in use: `single_enrich` until a 404 says the
  /// server has only `sync_single_enrich` (or the other way round).
  let syncPath: Mutex<SyncPath>

  /// The synchronous call's two documented paths.
  public enum SyncPath: Sendable, Hashable {
    /// `POST /contacts/single_enrich` (the reference page's).
    case singleEnrich
    /// `POST /contacts/sync_single_enrich`.
    case syncSingleEnrich
  }

  /// The synchronous call's path in use now.
  public var currentSyncPath: SyncPath { syncPath.withLock { $0 } }

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
    self.syncPath = Mutex(.singleEnrich)
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
  ///
  /// With `apiMode` `sync`, a 404 (never billed) on the path in use makes the client
  /// try the other documented path once, and keep it for the rest of the job when
  /// it answers anything but 404.
  public func enrichTimed(_ request: EnrichRequest) async -> TimedEnrichAttempt {
    guard configuration.apiMode == .sync else {
      return await post(request, url: configuration.enrichURL)
    }
    let path = currentSyncPath
    let first = await post(request, url: url(of: path))
    guard first.httpStatus == 404 else { return first }
    let other: SyncPath = path == .singleEnrich ? .syncSingleEnrich : .singleEnrich
    let second = await post(request, url: url(of: other))
    guard second.httpStatus != 404 else { return first }
    syncPath.withLock { $0 = other }
    logger.info("switched to the other path of the sync call", metadata: ["path": "\(other)"])
    return TimedEnrichAttempt(
      attempt: second.attempt, latency: first.latency + second.latency,
      httpStatus: second.httpStatus)
  }

  private func url(of path: SyncPath) -> String {
    path == .singleEnrich ? configuration.enrichURL : configuration.syncEnrichURL
  }

  /// `GET /contacts/{id}`: the result of a submitted request, classified.
  ///
  /// | answer | attempt |
  /// |---|---|
  /// | `status` pending, queued, processing | `submitted` (still working: poll again) |
  /// | `finished` (or any other status) with data / without | `found` / `notFound` |
  /// | 404 | `rowInvalid(404)`: no such id here (the caller keeps the id, never resends) |
  /// | 401/403, 429, 5xx, transport errors | as for `enrich` |
  public func pollTimed(enrichmentID id: String) async -> TimedEnrichAttempt {
    await exchange(url: configuration.resultURL(enrichmentID: id), body: nil, poll: id)
  }

  private func post(_ request: EnrichRequest, url: String) async -> TimedEnrichAttempt {
    do {
      return await exchange(url: url, body: try Self.makeEncoder().encode(request), poll: nil)
    } catch {
      return TimedEnrichAttempt(attempt: .transient(.badBody), latency: .zero, httpStatus: nil)
    }
  }

  private func exchange(url: String, body: Data?, poll id: String?) async -> TimedEnrichAttempt {
    let clock = ContinuousClock()
    let start = clock.now
    var status: Int?
    let attempt: EnrichAttempt
    do {
      var http = HTTPClientRequest(url: url)
      http.method = body == nil ? .GET : .POST
      if body != nil { http.headers.add(name: "Content-Type", value: "application/json") }
      http.headers.add(name: "Accept", value: "application/json")
      http.headers.add(name: "User-Agent", value: configuration.userAgent)
      http.headers.add(name: "X-API-KEY", value: apiKey.secret)
      if let body { http.body = .bytes(ByteBuffer(bytes: body)) }
      let response = try await self.http.execute(
        http, deadline: .now() + TimeAmount(configuration.requestTimeout), logger: logger)
      status = Int(response.status.code)
      let bytes = try await response.body.collect(upTo: configuration.maxBodyBytes)
      let retryAfter = response.headers.first(name: "Retry-After")
      let data = Data(bytes.readableBytesView)
      if let id {
        attempt = EnrichAttempt.classifyPoll(
          status: Int(response.status.code), retryAfter: retryAfter, body: data, id: id,
          redact: apiKey.redact)
      } else {
        attempt = EnrichAttempt.classify(
          status: Int(response.status.code), retryAfter: retryAfter, body: data,
          redact: apiKey.redact)
      }
    } catch {
      attempt = .transient(Self.classify(error: error, bodyStarted: status != nil))
    }
    let latency = clock.now - start
    var metadata: Logger.Metadata = [
      "outcome": "\(attempt.label)",
      "latency_ms": "\(Int(latency.seconds * 1000))",
    ]
    if let status { metadata["http_status"] = "\(status)" }
    logger.debug(id == nil ? "enrich attempt" : "poll attempt", metadata: metadata)
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
