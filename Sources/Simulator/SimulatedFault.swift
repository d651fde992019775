/// A failure the simulator can inject instead of a normal answer.
public enum SimulatedFault: String, Sendable, Hashable, Codable, CaseIterable {
  /// `500 Internal Server Error` with a JSON message.
  case http500 = "500"
  /// `502 Bad Gateway` with an HTML body.
  case http502 = "502"
  /// `503 Service Unavailable` with `Retry-After: 1`.
  case http503 = "503"
  /// The connection is closed before any answer; nothing was billed.
  case reset
  /// No answer at all until the client gives up (or the hang limit passes).
  case hang
  /// `200 OK` whose body is HTML, not JSON; nothing was billed.
  case garbage
  /// The request is billed, then the connection is closed before the answer:
  /// a retry pays again, which the ledger shows.
  case resetAfterBilling = "reset-after-billing"

  /// The kinds drawn by default: every kind except `hang` (which holds a
  /// connection until the client's deadline).
  public static let defaultKinds: [SimulatedFault] = [
    .http500, .http502, .http503, .reset, .garbage, .resetAfterBilling,
  ]

  /// Parses `500,502,reset,…`.
  ///
  /// - Throws: ``SimulatorError`` naming an unknown kind.
  public static func parseList(_ text: String) throws -> [SimulatedFault] {
    var result: [SimulatedFault] = []
    for part in text.split(separator: ",") {
      let name = part.trimmingCharacters(in: .whitespaces).lowercased()
      guard let fault = SimulatedFault(rawValue: name) else {
        throw SimulatorError(
          "unknown fault '\(name)' (use \(allCases.map(\.rawValue).joined(separator: ",")))")
      }
      if !result.contains(fault) { result.append(fault) }
    }
    return result
  }
}
