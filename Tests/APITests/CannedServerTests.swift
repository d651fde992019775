import Foundation
import LeadsheetCore
import Logging
import Testing

@testable import ProntoClient

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers every request with one canned
/// answer (status, headers, body) and closes the connection: the real client meets
/// shapes the simulator does not send (a 202 pending, an unknown 2xx, a limit).
final class CannedServer: Sendable {
  let port: Int
  private let listener: Int32

  /// The request lines received (`POST /v2/contacts/single_enrich HTTP/1.1`), in order.
  var requestLines: [String] { lines.all }
  private let lines = LineLog()

  /// The request lines, appended from the server's thread.
  final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
  }

  /// - Parameter routes: Answers by the end of the request's path (the first that
  ///   matches), before the default one.
  init(
    status: Int, body: String, headers: [String: String] = [:],
    routes: [(path: String, status: Int, body: String)] = []
  ) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw CannedServerError() }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(fd, pointer, length) == 0 && listen(fd, 16) == 0
          && getsockname(fd, pointer, &length) == 0
      }
    }
    guard bound else {
      close(fd)
      throw CannedServerError()
    }
    listener = fd
    port = Int(UInt16(bigEndian: address.sin_port))
    func answer(_ status: Int, _ body: String) -> [UInt8] {
      var head = "HTTP/1.1 \(status) Canned\r\nContent-Type: application/json\r\n"
      for (name, value) in headers { head += "\(name): \(value)\r\n" }
      head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
      return Array((head + body).utf8)
    }
    let standard = answer(status, body)
    let routed = routes.map { (path: $0.path, answer: answer($0.status, $0.body)) }
    let lines = self.lines
    Thread.detachNewThread {
      while true {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return }
        let line = Self.readRequest(client)
        lines.append(line)
        let target = line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        let chosen = routed.first { target.hasSuffix($0.path) }?.answer ?? standard
        _ = chosen.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        close(client)
      }
    }
  }

  /// Reads the head and a `Content-Length` body; returns the request line.
  private static func readRequest(_ fd: Int32) -> String {
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    var requestLine: String {
      String(decoding: data, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
    }
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      guard n > 0 else { return requestLine }
      data += buffer[0..<n]
      let text = String(decoding: data, as: UTF8.self)
      guard let end = text.range(of: "\r\n\r\n") else { continue }
      let head = text[..<end.lowerBound].lowercased()
      let length =
        head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
        ?? 0
      if text.utf8.count - text[..<end.upperBound].utf8.count >= length { return requestLine }
    }
  }

  var baseURL: String { "http://127.0.0.1:\(port)/v2" }

  func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }
}

struct CannedServerError: Error {}

/// Runs `body` with a client pointed at a canned server.
func withCanned<T>(
  status: Int, body: String, headers: [String: String] = [:],
  _ run: (ProntoClient) async throws -> T
) async throws -> T {
  let server = try CannedServer(status: status, body: body, headers: headers)
  defer { server.stop() }
  let client = ProntoClient(
    configuration: try ProntoClientConfiguration(baseURL: server.baseURL),
    apiKey: APIKey("canned-key-0123456789")!, logger: Logger(label: "test.canned"))
  do {
    let result = try await run(client)
    try await client.shutdown()
    return result
  } catch {
    try? await client.shutdown()
    throw error
  }
}

/// Answer shapes through real HTTP: the client reads them as the classifier does.
@Suite struct CannedServerTests {
  @Test func a202PendingIsSubmittedNeverRetried() async throws {
    let body = #"{"enrichment_id":"e-202","first_name":"Ada","status":"pending"}"#
    let attempt = try await withCanned(status: 202, body: body) { client in
      await client.enrich(contact(1))
    }
    #expect(attempt == .submitted(enrichmentID: "e-202", status: "pending"))
    #expect(!attempt.isRetryable)
  }

  @Test func a200PendingIsSubmittedNotNotFound() async throws {
    let body = #"{"enrichment_id":"e-200","status":"queued","email":null}"#
    let attempt = try await withCanned(status: 200, body: body) { client in
      await client.enrich(contact(1))
    }
    #expect(attempt == .submitted(enrichmentID: "e-200", status: "queued"))
  }

  @Test func asyncResultWithPhoneKeyIsFound() async throws {
    let body = #"""
      {"enrichment_id":"e-1","status":"finished","email":"ada@engine.io",
       "email_status":"deliverable","phone":[{"number":"+33612345678","type":"mobile"}]}
      """#
    let attempt = try await withCanned(status: 200, body: body) { client in
      await client.enrich(contact(1))
    }
    #expect(attempt.label == "found")
    #expect(attempt.response?.phones == [.init("+33612345678", type: "mobile")])
    #expect(attempt.response?.emailStatus == "deliverable")
  }

  @Test func aDailyLimitPausesWithRetryAfter() async throws {
    let body = #"{"message":"Daily limit of 2500 credits reached"}"#
    let attempt = try await withCanned(
      status: 422, body: body, headers: ["Retry-After": "7200"]
    ) { client in
      await client.enrich(contact(1))
    }
    #expect(
      attempt
        == .jobStop(
          .limitReached(
            status: 422, message: "Daily limit of 2500 credits reached",
            retryAfter: .seconds(7200))))
  }

  @Test func anUnknownShapeKeepsItsExcerptWithoutTheKey() async throws {
    let body = #"{"result":"ok","echo":"canned-key-0123456789"}"#
    let attempt = try await withCanned(status: 200, body: body) { client in
      await client.enrich(contact(1))
    }
    guard case .unexpectedAnswer(200, let excerpt, nil) = attempt else {
      Issue.record("expected an unexpected answer, got \(attempt)")
      return
    }
    #expect(excerpt.contains(#""result":"ok""#))
    #expect(!excerpt.contains("canned-key-0123456789"))
  }
}

/// The sync call's two documented paths, and the poll of an id.
@Suite struct SyncPathAndPollTests {
  private func client(_ server: CannedServer) throws -> ProntoClient {
    ProntoClient(
      configuration: try ProntoClientConfiguration(baseURL: server.baseURL),
      apiKey: APIKey("canned-key-0123456789")!, logger: Logger(label: "test.canned"))
  }

  /// A 404 on `single_enrich` (never billed): the client tries `sync_single_enrich`
  /// at once, and keeps using it.
  @Test func a404MovesToTheOtherSyncPathForGood() async throws {
    let found = #"{"status":"success","email":"ada@engine.io","email_status":"valid"}"#
    let server = try CannedServer(
      status: 404, body: #"{"message":"Not Found"}"#,
      routes: [(path: "/contacts/sync_single_enrich", status: 200, body: found)])
    defer { server.stop() }
    let client = try client(server)
    let first = await client.enrich(contact(1))
    let second = await client.enrich(contact(2))
    try await client.shutdown()
    #expect(first.label == "found" && second.label == "found")
    #expect(client.currentSyncPath == .syncSingleEnrich)
    #expect(
      server.requestLines.map { $0.split(separator: " ")[1] } == [
        "/v2/contacts/single_enrich", "/v2/contacts/sync_single_enrich",
        "/v2/contacts/sync_single_enrich",
      ])
  }

  /// Both paths 404: the base URL is wrong, the job stops (nothing was billed).
  @Test func a404OnBothPathsStopsTheJob() async throws {
    let attempt = try await withCanned(status: 404, body: #"{"message":"Not Found"}"#) {
      await $0.enrich(contact(1))
    }
    #expect(attempt == .jobStop(.endpointNotFound(status: 404)))
  }

  /// `GET /contacts/{id}`: pending is "still working", finished is the result, a 404
  /// fails this id only (never a job stop, never a resend).
  @Test func pollAnswers() async throws {
    let pending = #"{"enrichment_id":"e-1","status":"pending","first_name":"Ada"}"#
    let finished = #"""
      {"enrichment_id":"e-2","status":"finished","email":null,"email_status":"N/A","phone":[]}
      """#
    let found = #"{"enrichment_id":"e-3","status":"finished","phone":["+33612345678"]}"#
    let server = try CannedServer(
      status: 404, body: #"{"message":"Enrichment not found"}"#,
      routes: [
        (path: "/contacts/e-1", status: 200, body: pending),
        (path: "/contacts/e-2", status: 200, body: finished),
        (path: "/contacts/e-3", status: 200, body: found),
      ])
    defer { server.stop() }
    let client = try client(server)
    let a = await client.pollTimed(enrichmentID: "e-1").attempt
    let b = await client.pollTimed(enrichmentID: "e-2").attempt
    let c = await client.pollTimed(enrichmentID: "e-3").attempt
    let d = await client.pollTimed(enrichmentID: "e 4/x").attempt
    try await client.shutdown()
    #expect(a == .submitted(enrichmentID: "e-1", status: "pending"))
    #expect(b.label == "not_found")
    #expect(c.label == "found" && c.response?.phones == [.init("+33612345678")])
    #expect(d == .rowInvalid(status: 404, message: "Enrichment not found"))
    #expect(server.requestLines.allSatisfy { $0.hasPrefix("GET /v2/contacts/") })
    #expect(server.requestLines.last?.contains("/contacts/e%204%2Fx ") == true)
  }
}
