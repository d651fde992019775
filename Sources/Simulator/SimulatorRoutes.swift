import Foundation
import Hummingbird
import LeadsheetCore

/// The simulator's HTTP endpoints: both synchronous enrich paths, the
/// asynchronous submission and its result, account and credits, `/__stats` and
/// `/__control`.
struct SimulatorRoutes: Sendable {
  let state: SimulatorState
  let hangLimit: Duration
  /// Whether `GET /credits` is served.
  let servesCredits: Bool

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
      try await enrich(request, context, .singleEnrich)
    }
    router.post("/v2/contacts/sync_single_enrich") { request, context in
      try await enrich(request, context, .syncSingleEnrich)
    }
    router.post("/api/v2/contacts/single_enrich") { request, context in
      try await enrich(request, context, .asyncSingleEnrich)
    }
    router.get("/api/v2/contacts/:id") { request, context in
      try await poll(request, context)
    }
    for prefix in ["/v2", "/api/v2"] {
      router.get(RouterPath("\(prefix)/account")) { request, _ in
        guard let keyIndex = await keyIndex(request) else { return Self.unauthorized() }
        return Self.json(200, await state.accountBody(keyIndex: keyIndex))
      }
      guard servesCredits else { continue }
      router.get(RouterPath("\(prefix)/credits")) { request, _ in
        guard let keyIndex = await keyIndex(request) else { return Self.unauthorized() }
        return Self.json(200, data: await state.creditsBody(keyIndex: keyIndex))
      }
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

  func enrich(
    _ request: Request, _ context: SimulatorRequestContext, _ endpoint: SimulatedEndpoint
  ) async throws -> Response {
    await state.begin()
    var status: Int?
    defer { Task { [status] in await state.end(status: status) } }
    do {
      let response = try await answer(request, context, endpoint)
      status = Int(response.status.code)
      return response
    } catch {
      status = nil
      throw error
    }
  }

  /// The request's `X-API-KEY`.
  private static func key(_ request: Request) -> String? {
    request.headers.first(where: { $0.name.canonicalName == "x-api-key" })?.value
  }

  /// The index of the request's key when it is accepted.
  private func keyIndex(_ request: Request) async -> Int? {
    await state.keyIndex(Self.key(request))
  }

  private func answer(
    _ request: Request, _ context: SimulatorRequestContext, _ endpoint: SimulatedEndpoint
  ) async throws -> Response {
    guard let key = Self.key(request), let keyIndex = await state.keyIndex(key) else {
      return Self.unauthorized()
    }
    if let wait = await state.admit(key: key) { return await rateLimited(wait) }
    let body = try await request.body.collect(upTo: 1 << 20)
    let contact: SimulatedContact
    do {
      contact = try SimulatedContact(
        body: Array(buffer: body), singleType: endpoint == .asyncSingleEnrich)
    } catch {
      return Self.json(error.status, ["message": error.message])
    }
    if contact.types.contains(.personalEmail), await state.lacksConsent(key) {
      return Self.json(422, ["message": Self.consentMessage])
    }
    if await state.creditsExhausted { return creditsAnswer() }
    if let refusal = await state.dailyRefusal(keyIndex: keyIndex) {
      return Self.dailyLimitAnswer(refusal)
    }
    await state.gate.acquire()
    do {
      let response = try await work(contact, keyIndex, endpoint, context)
      await state.gate.release()
      return response
    } catch {
      await state.gate.release()
      throw error
    }
  }

  /// The work behind an admitted enrichment request: fault, latency (the
  /// asynchronous submission answers at once: its latency delays the
  /// result), billing and the answer.
  private func work(
    _ contact: SimulatedContact, _ keyIndex: Int, _ endpoint: SimulatedEndpoint,
    _ context: SimulatorRequestContext
  ) async throws -> Response {
    let fault = await state.drawFault()
    if fault == .hang { return try await hang(context) }
    let latency = await state.drawLatency()
    if endpoint != .asyncSingleEnrich { try await Task.sleep(for: latency) }

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

    let outcome = SimulatedOutcome(contact: contact, seed: state.seed, maxPhones: state.maxPhones)
    let isAsync = endpoint == .asyncSingleEnrich
    let id =
      isAsync
      ? UUID().uuidString.lowercased() : outcome.body["enrichment_id"] as? String ?? ""
    switch await state.bill(
      billingKey: contact.billingKey, types: contact.types, keyIndex: keyIndex,
      status: outcome.status, enrichmentID: id, fault: fault, endpoint: endpoint,
      findings: AnswerFindings(
        email: !((outcome.body["email"] as? String) ?? "").isEmpty,
        personalEmail: !((outcome.body["personal_email"] as? String) ?? "").isEmpty,
        phoneNumbers: (outcome.body["phones"] as? [Any])?.count ?? 0))
    {
    case .billed: break
    case .noCredits: return creditsAnswer()
    case .dailyLimit(let refusal): return Self.dailyLimitAnswer(refusal)
    }
    var body = outcome.body
    var status = 200
    if isAsync {
      body = AsyncEnrichmentBody.pending(id: id, contact: contact)
      let finished = AsyncEnrichmentBody.finished(id: id, contact: contact, outcome: outcome)
      await state.submitAsync(
        id: id, keyIndex: keyIndex, latency: latency, pending: try Self.encode(body),
        finished: try Self.encode(finished))
      status = state.asyncSubmitStatus
    } else {
      state.phonesShape.apply(to: &body)
    }
    if fault == .resetAfterBilling { try await close(context) }
    return Self.json(status, data: try Self.encode(body))
  }

  /// `GET /api/v2/contacts/{id}`: the asynchronous result, `pending` until the
  /// latency drawn at submission has passed; 404 for an id this account did
  /// not submit.
  private func poll(_ request: Request, _ context: SimulatorRequestContext) async throws
    -> Response
  {
    guard let key = Self.key(request), let keyIndex = await state.keyIndex(key) else {
      return Self.unauthorized()
    }
    if let wait = await state.admitPoll(key: key) { return await rateLimited(wait) }
    let id = context.parameters.get("id") ?? ""
    switch await state.lookupAsync(id: id, keyIndex: keyIndex) {
    case .unknown: return Self.json(404, ["message": "Enrichment not found"])
    case .pending(let data), .finished(let data): return Self.json(200, data: data)
    }
  }

  private static func encode(_ body: [String: Any]) throws -> Data {
    try JSONSerialization.data(
      withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
  }

  private static func unauthorized() -> Response {
    json(401, ["message": "Invalid or missing API key"])
  }

  /// The 429 for a request beyond the key's rate, after `wait`.
  private func rateLimited(_ wait: Duration) async -> Response {
    let seconds = max(1, Int((Double(wait.components.seconds) + 0.999).rounded(.down)))
    let headers: HTTPFields = await state.sendsRetryAfter ? [.retryAfter: "\(seconds)"] : [:]
    return Self.json(
      429, ["message": "Rate limit exceeded: 50 requests per second per user"], headers: headers)
  }

  private func creditsAnswer() -> Response {
    Self.json(state.creditsExhaustedStatus, ["message": Self.creditsMessage])
  }

  /// The 422 once the account's daily cap is reached, with `Retry-After`
  /// (seconds to the next UTC midnight) and `reset_at`.
  private static func dailyLimitAnswer(_ refusal: DailyCreditCap.Refusal) -> Response {
    json(
      422,
      [
        "message": refusal.message,
        "reset_at": ISO8601DateFormatter().string(from: refusal.resetAt),
      ],
      headers: [.retryAfter: "\(refusal.retryAfterSeconds)"])
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
