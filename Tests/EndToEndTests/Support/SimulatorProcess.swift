import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `leadsheet simulate` in its own process: the API leadsheet talks to in these tests.
final class SimulatorProcess: @unchecked Sendable {
  /// The process.
  let process: ChildProcess
  /// `http://127.0.0.1:PORT`.
  let address: String
  /// The port it listens on.
  let port: Int
  /// What to give `enrich --base-url`.
  var baseURL: String { address + "/v2" }

  /// Starts a simulator accepting `testAPIKey` and reads its address line.
  ///
  /// - Parameters:
  ///   - workdir: Where its logs go.
  ///   - port: `0` for a free port, or a port to listen on again after a restart.
  ///   - latency: `MEDIAN,P99` milliseconds.
  ///   - extra: More flags (`--fault-rate`, `--credits`, `--seed`…).
  init(
    in workdir: Workdir, port: Int = 0, latency: String = "50,400", extra: [String] = []
  ) async throws {
    process = try workdir.start(
      [
        "simulate", "--port", "\(port)", "--keys", testAPIKey, "--rate", "0",
        "--latency-ms", latency,
      ] + extra, db: false)
    var line: Substring?
    _ = await process.waitFor(timeout: .seconds(20)) { out, _ in
      line = out.split(separator: "\n").first { $0.hasPrefix("listening on ") }
      return line != nil
    }
    guard let line, let colon = line.lastIndex(of: ":"),
      let p = Int(line[line.index(after: colon)...])
    else {
      process.send(SIGKILL)
      throw SimulatorStartError(stderr: process.stderr)
    }
    address = String(line.dropFirst("listening on ".count))
    self.port = p
  }

  /// The simulator did not print its address.
  struct SimulatorStartError: Error, CustomStringConvertible {
    var stderr: String
    var description: String { "leadsheet simulate did not start: \(stderr)" }
  }

  /// `GET /__stats`.
  func stats() async throws -> Stats {
    let (data, _) = try await URLSession.shared.data(from: URL(string: address + "/__stats")!)
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    return Stats(raw: object)
  }

  /// `POST /__control` with `body` (see `SimulatorControl`).
  func control(_ body: [String: Any]) async throws {
    var request = URLRequest(url: URL(string: address + "/__control")!)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = try JSONSerialization.data(withJSONObject: body)
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    #expect(status == 200, "control \(body): \(String(decoding: data, as: UTF8.self))")
  }

  /// Waits until `predicate` holds for the stats (polling), or `timeout` passes.
  @discardableResult
  func waitUntil(
    timeout: Duration = .seconds(20), _ predicate: (Stats) -> Bool
  ) async throws -> Stats {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var last = try await stats()
    while !predicate(last), clock.now < deadline {
      try await Task.sleep(for: .milliseconds(25))
      last = try await stats()
    }
    return last
  }

  /// Stops it with SIGTERM (SIGKILL if it lingers).
  func stop() async {
    process.send(SIGTERM)
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(5)
    while process.termination == nil, clock.now < deadline {
      try? await Task.sleep(for: .milliseconds(20))
    }
    process.send(SIGKILL)
    await process.wait(timeout: .seconds(5))
  }

  /// The `/__stats` fields the tests read.
  struct Stats: CustomStringConvertible {
    var raw: [String: Any]
    func int(_ key: String) -> Int { raw[key] as? Int ?? 0 }
    var requests: Int { int("requests") }
    var billed: Int { int("billed") }
    var polls: Int { int("polls") }
    var distinctContactsBilled: Int { int("distinct_contacts_billed") }
    var contactsBilledMoreThanOnce: Int { int("contacts_billed_more_than_once") }
    /// Billings beyond the first of each contact: billed − distinct contacts billed.
    var extraBillings: Int { billed - distinctContactsBilled }
    /// Faults injected of `kind`.
    func faults(_ kind: String) -> Int { (raw["faults"] as? [String: Any])?[kind] as? Int ?? 0 }
    var description: String {
      "requests \(requests), billed \(billed) (distinct \(distinctContactsBilled),"
        + " \(contactsBilledMoreThanOnce) more than once), faults \(raw["faults"] ?? [:])"
    }
  }
}

/// Billings per contact and types, counted from `--ledger` files (one JSON line each).
///
/// Several simulators (one restarted on the same port) bill into several
/// ledgers: together they are what the account paid.
func billedPerContact(ledgers: [String]) -> [String: Int] {
  var counts: [String: Int] = [:]
  for path in ledgers {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
    for line in text.split(separator: "\n") {
      guard
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let contact = object["contact"] as? String
      else { continue }
      let types = (object["types"] as? [String] ?? []).joined(separator: ",")
      counts[contact + "|" + types, default: 0] += 1
    }
  }
  return counts
}
