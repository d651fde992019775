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

  init(status: Int, body: String, headers: [String: String] = [:]) throws {
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
    var head = "HTTP/1.1 \(status) Canned\r\nContent-Type: application/json\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
    let answer = Array((head + body).utf8)
    Thread.detachNewThread {
      while true {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return }
        Self.readRequest(client)
        _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        close(client)
      }
    }
  }

  /// Reads the head and a `Content-Length` body.
  private static func readRequest(_ fd: Int32) {
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      guard n > 0 else { return }
      data += buffer[0..<n]
      let text = String(decoding: data, as: UTF8.self)
      guard let end = text.range(of: "\r\n\r\n") else { continue }
      let head = text[..<end.lowerBound].lowercased()
      let length =
        head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
        ?? 0
      if text.utf8.count - text[..<end.upperBound].utf8.count >= length { return }
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
