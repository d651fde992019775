import Foundation
import LeadsheetCore

/// Everything the simulator keeps between requests: keys, limiter, credits,
/// the daily cap, asynchronous enrichments, fault draws, counters and the
/// billing ledger.
actor SimulatorState {
  /// What ``bill(billingKey:types:keyIndex:status:enrichmentID:fault:endpoint:findings:)`` decided.
  enum Billing: Sendable {
    /// Billed.
    case billed
    /// Too few credits left for this request (`--credits`): nothing billed.
    case noCredits
    /// The account's daily cap is reached (`--daily-credits`): nothing billed.
    case dailyLimit(DailyCreditCap.Refusal)
  }

  private(set) var keys: [String]
  private var revoked: Set<String> = []
  private var noConsentKeys: Set<String>
  private var rate: Int
  /// Whether a 429 carries `Retry-After`.
  private(set) var sendsRetryAfter: Bool
  private(set) var latency: LatencyDistribution
  private var faultRate: Double
  private var faults: [SimulatedFault]
  private var creditsRemaining: Int?
  let creditsExhaustedStatus: Int
  let seed: UInt64
  /// The most numbers a found phone holds (`--max-phones`).
  let maxPhones: Int
  private var random: SplitMix64
  private let clock = ContinuousClock()
  private var limiters: [String: SlidingWindowCounter] = [:]
  private var acceptedWindow = SlidingWindowCounter()
  private var ledger: FileHandle?
  private var dailyCap: DailyCreditCap
  /// How a served request is priced (`--billing`, `--credit-cost`).
  let billing: BillingModel
  private var asyncEnrichments = AsyncEnrichmentStore()
  /// The `--max-concurrent` queue in front of enrichment work.
  let gate: ConcurrencyGate
  /// How the synchronous endpoints write `phones`.
  let phonesShape: PhonesShape
  /// The status of an accepted asynchronous submission.
  let asyncSubmitStatus: Int
  /// Whether polls count toward the rate limit.
  let pollsRateLimited: Bool

  private var requests = 0
  private var accepted = 0
  private var byStatus: [Int: Int] = [:]
  private var rateLimited = 0
  private var unauthorized = 0
  private var faultCounts: [String: Int] = [:]
  private var found = 0
  private var notFound = 0
  private var billed = 0
  private var creditsBilled = 0
  private var billedPerContact: [String: Int] = [:]
  private var inFlight = 0
  private var peakConcurrency = 0
  private var peakRate = 0
  private var polls = 0
  private var dailyLimited = 0
  private var billedByEndpoint: [String: Int] = [:]

  init(configuration c: SimulatorConfiguration, keys: [String]) throws {
    self.keys = keys
    self.noConsentKeys = Set(c.noConsentKeys)
    self.rate = max(0, c.rate)
    self.sendsRetryAfter = c.sendsRetryAfter
    self.latency = c.latency
    self.faultRate = min(max(c.faultRate, 0), 1)
    self.faults = c.faults
    self.creditsRemaining = c.credits
    self.creditsExhaustedStatus = c.creditsExhaustedStatus
    self.seed = c.seed
    self.maxPhones = max(1, c.maxPhones)
    self.random = SplitMix64(seed: c.seed ^ 0x5EED_F417)
    self.dailyCap = DailyCreditCap(limit: c.dailyCredits, daySeconds: c.daySeconds)
    self.billing = c.billing
    self.gate = ConcurrencyGate(limit: c.maxConcurrent)
    self.phonesShape = c.phonesShape
    self.asyncSubmitStatus = c.asyncSubmitStatus
    self.pollsRateLimited = c.pollsRateLimited
    if let path = c.ledgerPath {
      guard FileManager.default.createFile(atPath: path, contents: nil),
        let handle = FileHandle(forWritingAtPath: path)
      else { throw SimulatorError("cannot write the ledger file \(path)") }
      self.ledger = handle
    }
  }

  // MARK: Request life cycle

  /// Counts a request coming in.
  func begin() {
    requests += 1
    inFlight += 1
    peakConcurrency = max(peakConcurrency, inFlight)
  }

  /// Counts a request leaving, with the status answered (`nil` for a reset or hang).
  func end(status: Int?) {
    inFlight -= 1
    if let status { byStatus[status, default: 0] += 1 }
    if status == 401 { unauthorized += 1 }
    if status == 429 { rateLimited += 1 }
  }

  /// The index (1-based) of an accepted key, or `nil`.
  func keyIndex(_ key: String?) -> Int? {
    guard let key, !revoked.contains(key), let i = keys.firstIndex(of: key) else { return nil }
    return i + 1
  }

  /// Admits a request under the key's rate, or says how long to wait.
  func admit(key: String) -> Duration? {
    let now = clock.now
    if rate > 0 {
      var limiter = limiters[key] ?? SlidingWindowCounter()
      if limiter.count(now: now) >= rate {
        let wait = (limiter.oldestExpiry ?? now) - now
        limiters[key] = limiter
        return wait
      }
      limiter.record(now)
      limiters[key] = limiter
    }
    accepted += 1
    acceptedWindow.record(now)
    peakRate = max(peakRate, acceptedWindow.count(now: now))
    return nil
  }

  /// Whether the key's account lacks personal-email consent.
  func lacksConsent(_ key: String) -> Bool { noConsentKeys.contains(key) }

  /// Whether credits are used up.
  var creditsExhausted: Bool { creditsRemaining.map { $0 <= 0 } ?? false }

  /// Draws the fault for an accepted, valid request, if any.
  func drawFault() -> SimulatedFault? {
    guard faultRate > 0, !faults.isEmpty else { return nil }
    guard SplitMix64.unit(random.next()) < faultRate else { return nil }
    let fault = faults[Int(random.next() % UInt64(faults.count))]
    faultCounts[fault.rawValue, default: 0] += 1
    return fault
  }

  /// Draws an answer delay.
  func drawLatency() -> Duration {
    latency.sample(SplitMix64.unit(random.next()), SplitMix64.unit(random.next()))
  }

  /// Why the account's daily cap refuses one more credit now, if it does
  /// (counted as a refusal).
  func dailyRefusal(keyIndex: Int) -> DailyCreditCap.Refusal? {
    let refusal = dailyCap.refusal(account: keyIndex, now: Date())
    if refusal != nil { dailyLimited += 1 }
    return refusal
  }

  /// Bills one request to `endpoint` what it costs under `billing`, or refuses when
  /// the balance or the account's daily cap would not cover it (nothing billed then).
  ///
  /// The ledger line carries the credits billed (`credits`) and names what the
  /// answer found (`found`, `phone_numbers`) when `findings` is given, so that tests
  /// can price it under any billing model.
  func bill(
    billingKey key: String, types: [EnrichmentType], keyIndex: Int, status: String,
    enrichmentID: String, fault: SimulatedFault?, endpoint: SimulatedEndpoint,
    findings: AnswerFindings? = nil
  ) -> Billing {
    let now = Date()
    let cost = billing.cost(of: types, answer: findings ?? AnswerFindings())
    if let refusal = dailyCap.refusal(account: keyIndex, cost: cost, now: now) {
      dailyLimited += 1
      return .dailyLimit(refusal)
    }
    if let left = creditsRemaining {
      guard left >= cost, left > 0 else { return .noCredits }
      creditsRemaining = left - cost
    }
    _ = dailyCap.charge(account: keyIndex, credits: cost, now: now)
    billed += 1
    creditsBilled += cost
    billedByEndpoint[endpoint.rawValue, default: 0] += 1
    billedPerContact[key, default: 0] += 1
    if fault == nil {
      if status == "success" { found += 1 } else { notFound += 1 }
    }
    if let ledger {
      var line: [String: Any] = [
        "seq": billed,
        "time": Self.ledgerTime(now),
        "endpoint": endpoint.rawValue,
        "key": "key-\(keyIndex)",
        "contact": key,
        "types": types.map(\.rawValue),
        "status": status,
        "enrichment_id": enrichmentID,
        "billed_count": billedPerContact[key] ?? 1,
        "credits": cost,
      ]
      if let fault { line["fault"] = fault.rawValue }
      // What the answer found, so a ledger can be priced under any billing model.
      if let findings {
        line["found"] = types.filter {
          switch $0 {
          case .email: findings.email
          case .phone: findings.phoneNumbers > 0
          case .personalEmail: findings.personalEmail
          }
        }.map(\.rawValue)
        line["phone_numbers"] = findings.phoneNumbers
      }
      if var data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) {
        data.append(0x0A)
        ledger.write(data)
      }
    }
    return .billed
  }

  /// A ledger line's time: ISO 8601 with milliseconds (`2026-12-03T12:00:19.734Z`), so
  /// that lines can be grouped by days of a few seconds (`--day-seconds`).
  static func ledgerTime(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }

  // MARK: Asynchronous enrichments and account

  /// Stores a billed asynchronous submission; its result is ready after `latency`.
  func submitAsync(id: String, keyIndex: Int, latency: Duration, pending: Data, finished: Data) {
    asyncEnrichments.submit(
      id: id.lowercased(),
      .init(
        account: keyIndex, readyAt: clock.now + latency, pending: pending, finished: finished))
  }

  /// Counts a poll, and admits it under the key's rate (or says how long to
  /// wait) when polls are rate-limited.
  func admitPoll(key: String) -> Duration? {
    polls += 1
    return pollsRateLimited ? admit(key: key) : nil
  }

  /// What `GET /contacts/{id}` finds for this account now.
  func lookupAsync(id: String, keyIndex: Int) -> AsyncEnrichmentStore.Lookup {
    asyncEnrichments.lookup(id: id, account: keyIndex, now: clock.now)
  }

  /// The body of `GET /account`: who the key belongs to.
  func accountBody(keyIndex: Int) -> [String: String] {
    [
      "email": "account-\(keyIndex)@simulator.invalid",
      "name": "Simulator account \(keyIndex)",
      "plan": "simulator",
    ]
  }

  /// The body of `GET /credits`: `credits_remaining` (`null` when unlimited),
  /// `daily_limit` (`null` when none), `used_today` (credits of this day),
  /// `resets_at` (the start of the next day, ISO 8601) and `day_seconds`.
  func creditsBody(keyIndex: Int) -> Data {
    let now = Date()
    let body: [String: Any] = [
      "credits_remaining": creditsRemaining.map { $0 as Any } ?? NSNull(),
      "daily_limit": dailyCap.limit.map { $0 as Any } ?? NSNull(),
      "used_today": dailyCap.usedToday(account: keyIndex, now: now),
      "resets_at": ISO8601DateFormatter().string(from: dailyCap.nextReset(after: now)),
      "day_seconds": Int(dailyCap.daySeconds),
    ]
    return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
  }

  // MARK: Control and stats

  /// Applies a runtime change.
  func apply(_ change: SimulatorControl) throws {
    if let r = change.faultRate { faultRate = min(max(r, 0), 1) }
    if let f = change.faults { faults = try SimulatedFault.parseList(f) }
    if let c = change.credits { creditsRemaining = c < 0 ? nil : c }
    for k in change.addKeys ?? [] {
      revoked.remove(k)
      if !keys.contains(k) { keys.append(k) }
    }
    for k in change.revokeKeys ?? [] { revoked.insert(k) }
    if let n = change.noConsentKeys { noConsentKeys = Set(n) }
    if let r = change.rate { rate = max(0, r) }
    if let l = change.latencyMs { latency = try LatencyDistribution.parse(l) }
    if let r = change.retryAfter { sendsRetryAfter = r }
  }

  /// A snapshot of the counters.
  func stats() async -> SimulatorStats {
    let doubles = billedPerContact.filter { $0.value > 1 }
      .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    return SimulatorStats(
      requests: requests, accepted: accepted,
      responsesByStatus: Dictionary(uniqueKeysWithValues: byStatus.map { ("\($0.key)", $0.value) }),
      rateLimited: rateLimited, unauthorized: unauthorized, faults: faultCounts, found: found,
      notFound: notFound, billed: billed, distinctContactsBilled: billedPerContact.count,
      contactsBilledMoreThanOnce: doubles.count,
      doubleBilled: doubles.prefix(100).map { .init(contact: $0.key, count: $0.value) },
      creditsRemaining: creditsRemaining, creditsBilled: creditsBilled,
      peakConcurrency: peakConcurrency, peakRate: peakRate,
      polls: polls, dailyLimited: dailyLimited, billedByEndpoint: billedByEndpoint,
      peakWorking: await gate.peakWorking, peakQueued: await gate.peakWaiting)
  }

  /// Closes the ledger.
  func close() {
    try? ledger?.close()
    ledger = nil
  }
}
