import Foundation
import Hummingbird
import LeadsheetCore

/// The simulator's HTTP endpoints: the enrich endpoint, `/__stats` and `/__control`.
struct SimulatorRoutes: Sendable {
  let state: SimulatorState
  let hangLimit: Duration

  /// The consent refusal, word for word from the contract.
  static let consentMessage =
    "You can't use the personal email enrichment feature without consenting with our terms of use"
  /// The credits refusal.
  static let creditsMessage =
    "Insufficient credits: you don't have enough credits to perform this enrichment"

  /// Thrown after closing a connection on purpose.
  struct ClosedOnPurpose: Error {}

  func register(on router: Router<SimulatorRequestContext>) {
    router.post("/v2/contacts/single_enrich") { request, context in
      try await enrich(request, context)
    }
    router.get("/__stats") { _, _ in
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
      return Self.json(200, data: try encoder.encode(await state.stats()))
    }
    router.post("/__control") { request, _ in
      let body = try await request.body.collect(upTo: 1 << 16)
      guard let change = try? JSONDecoder().decode(SimulatorControl.self, from: Data(buffer: body))
      else { return Self.json(400, ["message": "Malformed control body"]) }
      do {
        try await state.apply(change)
      } catch {
        return Self.json(422, ["message": "\(error)"])
      }
      return Self.json(200, ["message": "ok"])
    }
  }

  func enrich(_ request: Request, _ context: SimulatorRequestContext) async throws -> Response {
    await state.begin()
    var status: Int?
    defer { Task { [status] in await state.end(status: status) } }
    do {
      let response = try await answer(request, context)
      status = Int(response.status.code)
      return response
    } catch {
      status = nil
      throw error
    }
  }

  private func answer(_ request: Request, _ context: SimulatorRequestContext) async throws
    -> Response
  {
    guard let key = request.headers.first(where: { $0.name.canonicalName == "x-api-key" })?.value,
      let keyIndex = await state.keyIndex(key)
    else {
      return Self.json(401, ["message": "Invalid or missing API key"])
    }
    if let wait = await state.admit(key: key) {
      let seconds = max(1, Int((Double(wait.components.seconds) + 0.999).rounded(.down)))
      let headers: HTTPFields =
        await state.sendsRetryAfter ? [.retryAfter: "\(seconds)"] : [:]
      return Self.json(
        429, ["message": "Rate limit exceeded: 50 requests per second per user"],
        headers: headers)
    }
    let body = try await request.body.collect(upTo: 1 << 20)
    let contact: SimulatedContact
    do {
      contact = try SimulatedContact(body: Array(buffer: body))
    } catch {
      return Self.json(error.status, ["message": error.message])
    }
    if contact.types.contains(.personalEmail), await state.lacksConsent(key) {
      return Self.json(422, ["message": Self.consentMessage])
    }
    if await state.creditsExhausted { return creditsAnswer() }

    let fault = await state.drawFault()
    if fault == .hang { return try await hang(context) }
    try await Task.sleep(for: await state.drawLatency())

    switch fault {
    case .http500:
      return Self.json(500, ["message": "Internal server error"])
    case .http502:
      return Self.text(502, "<html><body><h1>502 Bad Gateway</h1></body></html>")
    case .http503:
      return Self.json(
        503, ["message": "Service temporarily unavailable"], headers: [.retryAfter: "1"])
    case .garbage:
      return Self.text(200, "<html><body>upstream returned an unexpected answer</body></html>")
    case .reset:
      try await close(context)
    case .resetAfterBilling, .hang, nil:
      break
    }

    let outcome = SimulatedOutcome(contact: contact, seed: state.seed)
    let id = outcome.body["enrichment_id"] as? String ?? ""
    guard
      await state.bill(
        billingKey: contact.billingKey, types: contact.types, keyIndex: keyIndex,
        status: outcome.status, enrichmentID: id,
        fault: fault)
    else { return creditsAnswer() }
    if fault == .resetAfterBilling { try await close(context) }
    let data = try JSONSerialization.data(
      withJSONObject: outcome.body, options: [.sortedKeys, .withoutEscapingSlashes])
    return Self.json(200, data: data)
  }

  private func creditsAnswer() -> Response {
    Self.json(state.creditsExhaustedStatus, ["message": Self.creditsMessage])
  }

  /// Closes the connection without an answer.
  private func close(_ context: SimulatorRequestContext) async throws -> Never {
    await context.closeConnection()
    throw ClosedOnPurpose()
  }

  /// Holds the request until the client goes away, the hang limit passes or
  /// the simulator stops, then closes the connection.
  private func hang(_ context: SimulatorRequestContext) async throws -> Response {
    let clock = ContinuousClock()
    let deadline = clock.now + hangLimit
    while context.isConnected(), clock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    try await close(context)
  }

  static func json(_ status: Int, _ object: [String: String], headers: HTTPFields = [:])
    -> Response
  {
    let data =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return json(status, data: data, headers: headers)
  }

  static func json(_ status: Int, data: Data, headers: HTTPFields = [:]) -> Response {
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(
      status: .init(code: status), headers: fields,
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func text(_ status: Int, _ text: String) -> Response {
    Response(
      status: .init(code: status), headers: [.contentType: "text/html"],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }
}
