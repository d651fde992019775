import Foundation
import LeadsheetCore
import Simulator
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A raw HTTP answer: status, headers and the JSON body as an object.
struct RawAnswer {
  var status: Int
  var headers: [String: String]
  var json: [String: Any]

  func header(_ name: String) -> String? {
    headers.first { $0.key.lowercased() == name.lowercased() }?.value
  }
}

/// Talks to a running simulator over real HTTP, without the leadsheet client
/// (which does not know the asynchronous endpoints yet).
struct RawHTTP {
  let session: URLSession
  let key: String

  init(key: String) {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpMaximumConnectionsPerHost = 32
    configuration.timeoutIntervalForRequest = 30
    session = URLSession(configuration: configuration)
    self.key = key
  }

  func send(_ method: String, _ url: String, _ body: [String: Any]? = nil, key: String? = nil)
    async throws -> RawAnswer
  {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    request.setValue(key ?? self.key, forHTTPHeaderField: "X-API-KEY")
    if let body {
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      request.httpBody = try JSONSerialization.data(withJSONObject: body)
    }
    let (data, response) = try await session.data(for: request)
    let http = response as! HTTPURLResponse
    var headers: [String: String] = [:]
    for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
    let json =
      data.isEmpty ? [:] : (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return RawAnswer(status: http.statusCode, headers: headers, json: json)
  }
}

/// A request body for person `i`.
func person(_ i: Int, _ types: [String]) -> [String: Any] {
  [
    "firstname": "Grace\(i)", "lastname": "Hopper", "company_name": "Navy",
    "domain": "navy.mil", "linkedin_url": "https://www.linkedin.com/in/grace-\(i)/",
    "enrichment_type": types, "custom": ["row": "\(i)"],
  ]
}

/// Starts a simulator, runs `body` with it and a raw client, stops it.
func withSimulator<T>(
  _ configuration: SimulatorConfiguration, _ body: (Simulator, RawHTTP) async throws -> T
) async throws -> T {
  let sim = try await Simulator.start(configuration)
  let http = RawHTTP(key: sim.keys[0])
  do {
    let result = try await body(sim, http)
    await sim.stop()
    return result
  } catch {
    await sim.stop()
    throw error
  }
}

/// Every endpoint Pronto documents today, through the simulator's real HTTP server.
@Suite struct SimulatorEndpointTests {
  static let allTypes = ["email", "phone", "personal_email"]

  @Test func bothSyncPathsGiveTheSameOutcomeAndTheLedgerNamesThem() async throws {
    let ledger = FileManager.default.temporaryDirectory
      .appendingPathComponent("sim-ledger-\(UUID().uuidString).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: ledger) }
    var config = fast
    config.ledgerPath = ledger
    try await withSimulator(config) { sim, http in
      var found = 0
      for i in 0..<30 {
        let a = try await http.send(
          "POST", sim.baseURL + "/contacts/single_enrich", person(i, Self.allTypes))
        let b = try await http.send(
          "POST", sim.baseURL + "/contacts/sync_single_enrich", person(i, Self.allTypes))
        #expect(a.status == 200 && b.status == 200)
        #expect(NSDictionary(dictionary: a.json).isEqual(to: b.json), "person \(i)")
        if a.json["status"] as? String == "success" { found += 1 }
      }
      #expect(found > 5)
      let stats = await sim.stats()
      #expect(stats.billedByEndpoint == ["single_enrich": 30, "sync_single_enrich": 30])
    }
    let lines = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n")
    let endpoints = try lines.map {
      try #require(
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["endpoint"]
        as? String
    }
    #expect(endpoints.count == 60)
    #expect(Set(endpoints) == ["single_enrich", "sync_single_enrich"])
  }

  @Test func phonesAsObjectsCarryTheSameNumbers() async throws {
    var objects = fast
    objects.phonesShape = .objects
    let strings = try await withSimulator(fast) { sim, http in
      try await (0..<30).asyncMap {
        try await http.send("POST", sim.baseURL + "/contacts/single_enrich", person($0, ["phone"]))
      }
    }
    try await withSimulator(objects) { sim, http in
      var numbers = 0
      for i in 0..<30 {
        let answer = try await http.send(
          "POST", sim.baseURL + "/contacts/sync_single_enrich", person(i, ["phone"]))
        let expected = strings[i].json["phones"] as? [String] ?? []
        let got = try #require(answer.json["phones"] as? [[String: String]])
        #expect(got.map { $0["number"] } == expected)
        #expect(got.allSatisfy { $0["type"] == "mobile" })
        numbers += got.count
      }
      #expect(numbers > 3)
    }
  }

  @Test func asyncSubmitPollsPendingThenFinishedWithTheSyncOutcome() async throws {
    var config = SimulatorConfiguration(keys: ["k1", "k2"], rate: 0, latency: .none)
    config.phonesShape = .objects
    try await withSimulator(config) { sim, http in
      let people = 0..<12
      let sync = try await people.asyncMap {
        try await http.send(
          "POST", sim.baseURL + "/contacts/sync_single_enrich", person($0, ["email", "phone"]))
      }
      // The same server, now slow: each result is ready 3 s after its submission.
      let latency = Duration.seconds(3)
      try await sim.control(SimulatorControl(latencyMs: "3000,3000"))
      let clock = ContinuousClock()
      var ids: [Int: [String: String]] = [:]
      var pendingSeen = 0
      for i in people {
        for type in ["email", "phone"] {
          let sent = clock.now
          let submitted = try await http.send(
            "POST", sim.asyncBaseURL + "/contacts/single_enrich", person(i, [type]))
          #expect(submitted.status == 200)
          #expect(submitted.json["status"] as? String == "pending")
          #expect(submitted.json["first_name"] as? String == "Grace\(i)")
          #expect(submitted.json["custom"] as? [String: String] == ["row": "\(i)"])
          #expect(submitted.json["email"] == nil && submitted.json["phone"] == nil)
          let id = try #require(submitted.json["enrichment_id"] as? String)
          #expect(UUID(uuidString: id) != nil)
          ids[i, default: [:]][type] = id
          let early = try await http.send("GET", sim.asyncBaseURL + "/contacts/\(id)")
          #expect(early.status == 200)
          if clock.now - sent < latency {
            #expect(early.json["status"] as? String == "pending")
            pendingSeen += 1
          }
          // Another account cannot read it.
          let other = try await http.send("GET", sim.asyncBaseURL + "/contacts/\(id)", key: "k2")
          #expect(other.status == 404)
        }
      }
      #expect(pendingSeen > 0)
      try await Task.sleep(until: clock.now + latency + .milliseconds(100))
      var phones = 0
      var emails = 0
      for i in people {
        let email = try await http.send("GET", sim.asyncBaseURL + "/contacts/\(ids[i]!["email"]!)")
        let phone = try await http.send("GET", sim.asyncBaseURL + "/contacts/\(ids[i]!["phone"]!)")
        for answer in [email, phone] {
          #expect(answer.status == 200 && answer.json["status"] as? String == "finished")
          #expect(answer.json["custom"] as? [String: String] == ["row": "\(i)"])
        }
        let syncEmail = sync[i].json["email"] as? String
        #expect(email.json["email"] as? String == syncEmail)
        let vocabulary = [
          "valid": "deliverable", "deliverable": "deliverable", "catch-all": "catch-all",
        ]
        let status = sync[i].json["email_status"] as? String ?? ""
        #expect(
          email.json["email_status"] as? String
            == (syncEmail == nil ? "N/A" : vocabulary[status] ?? "N/A"))
        let syncPhones = (sync[i].json["phones"] as? [[String: String]] ?? []).compactMap {
          $0["number"]
        }
        #expect(phone.json["phone"] as? [String] == syncPhones)
        #expect(phone.json["phones"] == nil)
        if syncEmail != nil { emails += 1 }
        phones += syncPhones.count
      }
      #expect(emails > 2 && phones > 2)
      let missing = try await http.send("GET", sim.asyncBaseURL + "/contacts/\(UUID().uuidString)")
      #expect(missing.status == 404)
      let stats = await sim.stats()
      #expect(stats.billedByEndpoint == ["sync_single_enrich": 12, "async_single_enrich": 24])
      #expect(stats.polls == 24 + 24 + 24 + 1)
    }
  }

  @Test func asyncTakesExactlyOneTypeAndCanAnswer202() async throws {
    var config = fast
    config.asyncSubmitStatus = 202
    try await withSimulator(config) { sim, http in
      for types in [["email", "phone"], [], Self.allTypes] {
        let answer = try await http.send(
          "POST", sim.asyncBaseURL + "/contacts/single_enrich", person(1, types))
        #expect(answer.status == 400, "\(types)")
        #expect((answer.json["message"] as? String)?.contains("exactly one type") == true)
      }
      let ok = try await http.send(
        "POST", sim.asyncBaseURL + "/contacts/single_enrich", person(1, ["personal_email"]))
      #expect(ok.status == 202 && ok.json["status"] as? String == "pending")
      // The synchronous paths still take several types.
      let sync = try await http.send(
        "POST", sim.baseURL + "/contacts/single_enrich", person(1, Self.allTypes))
      #expect(sync.status == 200)
      let billed = await sim.stats().billedByEndpoint
      #expect(billed == ["async_single_enrich": 1, "single_enrich": 1])
    }
  }

  @Test func accountAndCreditsCheckTheKey() async throws {
    var config = fast
    config.credits = 10
    config.dailyCredits = 5
    try await withSimulator(config) { sim, http in
      _ = try await http.send("POST", sim.baseURL + "/contacts/single_enrich", person(1, ["email"]))
      for base in [sim.baseURL, sim.asyncBaseURL] {
        let account = try await http.send("GET", base + "/account")
        #expect(account.status == 200)
        #expect(account.json["email"] is String && account.json["name"] is String)
        #expect(account.json["plan"] as? String == "simulator")
        let credits = try await http.send("GET", base + "/credits")
        #expect(credits.status == 200)
        #expect(credits.json["credits_remaining"] as? Int == 9)
        #expect(credits.json["daily_limit"] as? Int == 5)
        #expect(credits.json["used_today"] as? Int == 1)
        for path in ["/account", "/credits"] {
          let bad = try await http.send("GET", base + path, key: "wrong")
          #expect(bad.status == 401, "\(base)\(path)")
        }
      }
    }
  }

  @Test func aServerWithoutTheCreditsEndpoint() async throws {
    var config = fast
    config.servesCreditsEndpoint = false
    try await withSimulator(config) { sim, http in
      for base in [sim.baseURL, sim.asyncBaseURL] {
        let credits = try await http.send("GET", base + "/credits")
        let account = try await http.send("GET", base + "/account")
        #expect(credits.status == 404)
        #expect(account.status == 200)
      }
    }
  }

  @Test func maxConcurrentQueuesTheRestInsteadOfFailing() async throws {
    var config = SimulatorConfiguration(
      rate: 0, latency: .init(medianMilliseconds: 1000, p99Milliseconds: 1000))
    config.maxConcurrent = 2
    try await withSimulator(config) { sim, http in
      let clock = ContinuousClock()
      let start = clock.now
      let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
        for i in 0..<6 {
          group.addTask {
            try await http.send(
              "POST", sim.baseURL + "/contacts/single_enrich", person(i, ["email"])
            )
            .status
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      let elapsed = clock.now - start
      #expect(statuses == Array(repeating: 200, count: 6))
      // 6 requests, 2 at a time, 1 s each: about 3 latencies (never less); one
      // at a time would take 6, no limit 1. The margin is for a loaded machine.
      #expect(elapsed >= .milliseconds(2950) && elapsed < .milliseconds(5500), "\(elapsed)")
      let stats = await sim.stats()
      #expect(stats.peakWorking == 2)
      #expect(stats.peakQueued >= 2)
      #expect(stats.billed == 6)
    }
  }

  @Test func dailyCapRefusesTheFourthRequestWithRetryAfterAndNoBill() async throws {
    var config = fast
    config.dailyCredits = 3
    try await withSimulator(config) { sim, http in
      for i in 0..<3 {
        let path = [
          sim.baseURL + "/contacts/single_enrich", sim.baseURL + "/contacts/sync_single_enrich",
          sim.asyncBaseURL + "/contacts/single_enrich",
        ][i]
        let answer = try await http.send("POST", path, person(i, ["email"]))
        #expect(answer.status == 200)
      }
      for path in [
        sim.baseURL + "/contacts/single_enrich", sim.asyncBaseURL + "/contacts/single_enrich",
      ] {
        let refused = try await http.send("POST", path, person(9, ["email"]))
        #expect(refused.status == 422)
        let message = try #require(refused.json["message"] as? String)
        #expect(message.contains("daily limit of 3 credits"))
        let now = Date()
        let reset = DateInterval(
          start: now,
          end: Date(
            timeIntervalSince1970: ((now.timeIntervalSince1970 / 86_400).rounded(.down) + 1)
              * 86_400))
        let iso = ISO8601DateFormatter().string(from: reset.end)
        #expect(message.contains(iso))
        #expect(refused.json["reset_at"] as? String == iso)
        let retryAfter = try #require(refused.header("Retry-After").flatMap { Int($0) })
        #expect(abs(Double(retryAfter) - reset.duration) <= 2)
      }
      let stats = await sim.stats()
      #expect(stats.billed == 3)
      #expect(stats.dailyLimited == 2)
      let credits = try await http.send("GET", sim.baseURL + "/credits")
      #expect(credits.json["used_today"] as? Int == 3)
    }
  }
}

/// The simulator's billing (issue 12, item 8): `--billing` and `--credit-cost` price
/// each ledger line, `--credits` is a balance in credits, `--day-seconds` shortens days.
@Suite struct SimulatorBillingTests {
  /// The ledger's lines as objects.
  static func ledgerLines(_ path: String) -> [[String: Any]] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  static func ledgerPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "sim-ledger-\(UUID().uuidString).jsonl"
    ).path
  }

  @Test(arguments: ["per-request", "per-found", "per-number"])
  func eachLedgerLineCarriesItsCredits(_ billing: String) async throws {
    var config = fast
    let ledger = Self.ledgerPath()
    defer { try? FileManager.default.removeItem(atPath: ledger) }
    config.ledgerPath = ledger
    let kind = try #require(BillingModel.Kind(rawValue: billing))
    config.billing = BillingModel(kind, costs: try CreditCosts.parse("email=2,phone=7"))
    try await withSimulator(config) { sim, http in
      for i in 0..<30 {
        let answer = try await http.send(
          "POST", sim.baseURL + "/contacts/single_enrich", person(i, ["email", "phone"]))
        #expect(answer.status == 200)
      }
      let stats = await sim.stats()
      let lines = Self.ledgerLines(ledger)
      #expect(lines.count == 30)
      var total = 0
      for line in lines {
        let credits = try #require(line["credits"] as? Int)
        let found = line["found"] as? [String] ?? []
        let numbers = line["phone_numbers"] as? Int ?? 0
        let expected: Int
        switch kind {
        case .perRequest: expected = 9
        case .perFound:
          expected = (found.contains("email") ? 2 : 0) + (numbers > 0 ? 7 : 0)
        case .perNumber:
          expected = (found.contains("email") ? 2 : 0) + 7 * numbers
        }
        #expect(credits == expected, "\(line)")
        total += credits
      }
      #expect(stats.creditsBilled == total)
    }
  }

  @Test(arguments: [1, 3])
  func maxPhonesGivesSomeAnswersSeveralNumbersBilledPerNumber(_ maxPhones: Int) async throws {
    var config = fast
    let ledger = Self.ledgerPath()
    defer { try? FileManager.default.removeItem(atPath: ledger) }
    config.ledgerPath = ledger
    config.maxPhones = maxPhones
    config.billing = BillingModel(.perNumber)
    let (phones, billed) = try await withSimulator(config) { sim, http in
      var answers: [[String]] = []
      for i in 0..<200 {
        let answer = try await http.send(
          "POST", sim.baseURL + "/contacts/single_enrich", person(i, ["phone"]))
        #expect(answer.status == 200)
        answers.append(answer.json["phones"] as? [String] ?? [])
      }
      return (answers, await sim.stats().creditsBilled)
    }
    var counts: [Int: Int] = [:]
    for numbers in phones {
      counts[numbers.count, default: 0] += 1
      #expect(Set(numbers).count == numbers.count, "distinct numbers: \(numbers)")
      #expect(numbers.allSatisfy { $0.hasPrefix("+") && $0.count >= 11 }, "\(numbers)")
    }
    let histogram = counts
    #expect(histogram.keys.allSatisfy { $0 <= maxPhones }, "\(histogram)")
    #expect((histogram[1] ?? 0) > 40, "most found phones hold one number: \(histogram)")
    if maxPhones > 1 {
      #expect(
        (histogram[2] ?? 0) + (histogram[3] ?? 0) >= 5, "some hold two or three: \(histogram)")
    }
    let lines = Self.ledgerLines(ledger)
    let numbers = lines.reduce(0) { $0 + ($1["phone_numbers"] as? Int ?? 0) }
    #expect(numbers == phones.reduce(0) { $0 + $1.count })
    #expect(billed == 10 * numbers)
  }

  @Test func tooFewCreditsGet422AndNothingIsBilled() async throws {
    var config = fast
    config.credits = 12
    try await withSimulator(config) { sim, http in
      let phone = try await http.send(
        "POST", sim.baseURL + "/contacts/single_enrich", person(1, ["email", "phone"]))
      #expect(phone.status == 200, "11 of 12 credits")
      let refused = try await http.send(
        "POST", sim.baseURL + "/contacts/single_enrich", person(2, ["email", "phone"]))
      #expect(refused.status == 422)
      #expect((refused.json["message"] as? String ?? "").contains("Insufficient credits"))
      let email = try await http.send(
        "POST", sim.baseURL + "/contacts/single_enrich", person(3, ["email"]))
      #expect(email.status == 200, "the last credit buys an email")
      let stats = await sim.stats()
      #expect(stats.billed == 2)
      #expect(stats.creditsRemaining == 0)
      let credits = try await http.send("GET", sim.baseURL + "/credits")
      #expect(credits.json["credits_remaining"] as? Int == 0)
    }
  }

  @Test func theDailyCapCountsCreditsOnShortDays() async throws {
    var config = fast
    config.dailyCredits = 3
    config.daySeconds = 4
    try await withSimulator(config) { sim, http in
      // Start early in a 4-second day, so that the three requests share it.
      let now = Date().timeIntervalSince1970
      let intoDay = now.truncatingRemainder(dividingBy: 4)
      if intoDay > 2 { try await Task.sleep(for: .milliseconds(Int((4 - intoDay) * 1000) + 50)) }
      for i in 0..<3 {
        let answer = try await http.send(
          "POST", sim.baseURL + "/contacts/single_enrich", person(i, ["email"]))
        #expect(answer.status == 200)
      }
      let refused = try await http.send(
        "POST", sim.baseURL + "/contacts/single_enrich", person(9, ["email"]))
      #expect(refused.status == 422)
      let retryAfter = try #require(refused.header("Retry-After").flatMap { Int($0) })
      #expect(retryAfter >= 1 && retryAfter <= 4)
      let credits = try await http.send("GET", sim.baseURL + "/credits")
      #expect(credits.json["used_today"] as? Int == 3)
      #expect(credits.json["day_seconds"] as? Int == 4)
      let resets = try #require(credits.json["resets_at"] as? String)
      let reset = try #require(ISO8601DateFormatter().date(from: resets))
      #expect(reset.timeIntervalSince1970.truncatingRemainder(dividingBy: 4) == 0)
      try await Task.sleep(for: .seconds(Double(retryAfter) + 0.2))
      let nextDay = try await http.send(
        "POST", sim.baseURL + "/contacts/single_enrich", person(9, ["email"]))
      #expect(nextDay.status == 200, "a new 4-second day")
      #expect(await sim.stats().billed == 4)
    }
  }
}

extension Sequence {
  /// `map` with an async transform, in order.
  func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
    var result: [T] = []
    for element in self { result.append(try await transform(element)) }
    return result
  }
}
