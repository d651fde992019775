import JobStore
import LeadsheetCore
import ProntoClient

/// One HTTP call the run makes for part of a request, other than a plain send.
public enum Call: Sendable, Hashable {
  /// Send the request as it is to the sync call (its types narrowed to the part
  /// still to buy); report with `answered(_:_:latency:at:)`.
  case send(PendingRequest)
  /// Submit one type of the request to the async call (`enrichment_type` holds one
  /// type); report with `callAnswered(_:_:latency:at:)`.
  case submit(PendingRequest, EnrichmentType)
  /// `GET /contacts/{id}` for one part; report with `callAnswered(_:_:latency:at:)`.
  case poll(requestID: Int64, part: String, id: String)

  /// The request this call is for.
  public var requestID: Int64 {
    switch self {
    case .send(let w), .submit(let w, _): w.id
    case .poll(let id, _, _): id
    }
  }

  /// The part key this call is for.
  var part: String {
    switch self {
    case .send(let w): SubmissionLedger.key(w.request.enrichmentType)
    case .submit(_, let type): SubmissionLedger.key([type])
    case .poll(_, let part, _): part
    }
  }

  /// The key the in-flight window's latency limit files this call under: the request's
  /// id for a send, one per (request, type) for a submission (two may be in flight at
  /// once), none for a poll (a quick read, not the server's enrichment work).
  var gateKey: Int64 {
    switch self {
    case .send(let w): w.id
    case .submit(let w, let type):
      -(w.id * 4 + Int64(EnrichmentType.allCases.firstIndex(of: type) ?? 0) + 1)
    case .poll: Int64.min
    }
  }

  var isPoll: Bool {
    if case .poll = self { return true }
    return false
  }
}

/// A call waiting for its time (seconds on the run's clock).
struct ScheduledCall: Sendable, Hashable {
  var due: Double
  var call: Call
}

extension PendingRequest {
  /// The same request asking only for `types`.
  func narrowed(to types: [EnrichmentType]) -> PendingRequest {
    var copy = self
    copy.request.enrichmentType = types
    return copy
  }
}

extension RunnerStateMachine {
  // MARK: - Dispatching calls

  /// The earliest due call as an action, when the gate lets it leave now; a wait
  /// for the bucket; or `nil` when no call is due.
  mutating func dueCall(at now: Double) -> Action? {
    var earliest: Int?
    for i in calls.indices where calls[i].due <= now {
      if earliest.map({ calls[i].due < calls[$0].due }) ?? true { earliest = i }
    }
    guard let i = earliest else { return nil }
    let call = calls[i].call
    if call.isPoll && !configuration.pollsUseRate {
      gate.admitWithoutToken()
    } else if let delay = gate.reserve(at: now) {
      return .wait(until: now + delay)
    }
    calls.remove(at: i)
    switch call {
    case .send(let work):
      return send(work, at: now)
    case .poll(let requestID, let part, _):
      statistics.summary.polls += 1
      awaiting[requestID]?.polls[part, default: 0] += 1
      return .call(call)
    case .submit:
      statistics.sent(at: now)
      gate.sent(call.gateKey)
      buffer.countSent()
      return .call(call)
    }
  }

  /// When the next call is due, if any waits.
  var nextCallDue: Double? { calls.map(\.due).min() }

  /// Whether `work` goes through parts (submissions, polls) rather than one plain send:
  /// always in async mode, and in sync mode when an earlier run left it a ledger.
  func needsParts(_ work: PendingRequest) -> Bool {
    configuration.apiMode == .async || !work.ledger.isEmpty
  }

  /// Starts the parts of a request: polls for the ids it already has, and the calls
  /// that buy what is neither submitted nor answered (one per type in async mode,
  /// one send of the remaining types in sync mode).
  mutating func begin(_ work: PendingRequest, at now: Double) {
    var entry = AwaitedRequest(work: work, at: now)
    for part in work.ledger.awaitingParts {
      entry.open.insert(part)
      entry.pollingSince[part] = now
      if let id = work.ledger.ids[part] {
        calls.append(ScheduledCall(due: now, call: .poll(requestID: work.id, part: part, id: id)))
      }
    }
    let toBuy = work.ledger.unbought
    if !toBuy.isEmpty {
      if configuration.apiMode == .async {
        for type in toBuy {
          entry.open.insert(SubmissionLedger.key([type]))
          calls.append(ScheduledCall(due: now, call: .submit(work, type)))
        }
      } else {
        entry.open.insert(SubmissionLedger.key(toBuy))
        calls.append(ScheduledCall(due: now, call: .send(work.narrowed(to: toBuy))))
      }
    }
    awaiting[work.id] = entry
    finishIfAnswered(work.id, at: now)
  }

  /// Requests the API took in an earlier run (`submitted`): their ids are polled first.
  /// Their worst case is reserved in the credit budget until they are answered.
  public mutating func resumeSubmitted(_ requests: [PendingRequest], at now: Double) {
    for work in requests where awaiting[work.id] == nil {
      reserve(work)
      begin(work, at: now)
    }
  }

  // MARK: - Answers of parts

  /// A sync send that is part of an awaited request, or answered `pending` with an id.
  mutating func answeredPart(
    _ work: PendingRequest, _ attempt: EnrichAttempt, latency: Double, at now: Double
  ) {
    if awaiting[work.id] == nil {
      var entry = AwaitedRequest(work: work, at: now - latency)
      entry.open.insert(SubmissionLedger.key(work.request.enrichmentType))
      awaiting[work.id] = entry
    }
    partAnswered(.send(work), attempt, latency: latency, at: now)
  }

  /// A submission or a poll came back at `now`, classified, after `latency` seconds.
  ///
  /// | answer | submission | poll |
  /// |---|---|---|
  /// | submitted (id) | the id is stored (committed with the next group commit), first poll scheduled | still pending: next poll, or `failed` past `--poll-timeout` (kept for the next run) |
  /// | found / not found | the part's answer | the part's answer |
  /// | 429 | again after `Retry-After` or `RetryWait`; the pace drops | the same |
  /// | cannot connect | joins the outage | joins the outage |
  /// | other transient | again after `RetryWait`, then the part fails | again, then the part fails keeping its id |
  /// | row invalid, unexpected | the part fails | the part fails keeping its id |
  /// | daily-limit 422 | again after the day's reset (the day is closed) | the same |
  /// | job stop | the run stops; the request keeps its ledger | the same |
  public mutating func callAnswered(
    _ call: Call, _ attempt: EnrichAttempt, latency: Double, at now: Double
  ) {
    gate.landed(call.gateKey, call.isPoll ? .none : LatencyLimit.Sample(attempt, latency: latency))
    if !call.isPoll { statistics.latency(seconds: latency) }
    partAnswered(call, attempt, latency: latency, at: now)
  }

  private mutating func partAnswered(
    _ call: Call, _ attempt: EnrichAttempt, latency: Double, at now: Double
  ) {
    let id = call.requestID
    let part = call.part
    guard awaiting[id] != nil else { return }
    switch attempt {
    case .found(let response), .notFound(let response):
      answeredNormally(at: now)
      if call.isPoll {
        if awaiting[id]?.polls[part] == 1 { polling.firstPollAnswered(pending: false) }
        statistics.summary.polledResults += 1
        statistics.summary.pollsPerResult.append(awaiting[id]?.polls[part] ?? 1)
      }
      awaiting[id]?.ledger.results[part] = response
      close(id, part, at: now)
    case .submitted(let enrichmentID, _):
      answeredNormally(at: now)
      if call.isPoll {
        if awaiting[id]?.polls[part] == 1 { polling.firstPollAnswered(pending: true) }
        let since = awaiting[id]?.pollingSince[part] ?? now
        if polling.timedOut(since: since, at: now) {
          let minutes = Int((polling.timeout / 60).rounded())
          fail(
            id, part,
            .init(
              errorClass: "submitted",
              message:
                "still pending at Pronto after \(minutes) min (enrichment id \(enrichmentID)); "
                + "resume polls it again, it is never sent again", keepsID: true), at: now)
        } else {
          schedulePoll(id, part, enrichmentID, at: now)
        }
      } else {
        statistics.summary.submitted += 1
        awaiting[id]?.ledger.ids[part] = enrichmentID
        awaiting[id]?.pollingSince[part] = now
        saveLedger(id)
        schedulePoll(id, part, enrichmentID, at: now)
      }
    case .unexpectedAnswer(let status, let excerpt, let givenID):
      answeredNormally(at: now)
      if !call.isPoll, let givenID { awaiting[id]?.ledger.ids[part] = givenID }
      fail(
        id, part,
        .init(
          errorClass: "unexpected_answer",
          message: "unexpected answer (HTTP \(status)), not sent again as it may have been billed: "
            + excerpt, keepsID: call.isPoll || givenID != nil), at: now)
    case .rowInvalid(let status, let message):
      answeredNormally(at: now)
      if case .poll(_, _, let enrichmentID) = call {
        fail(
          id, part,
          .init(
            errorClass: "submitted",
            message: "GET /contacts/\(enrichmentID) answered HTTP \(status): \(message)",
            keepsID: true), at: now)
      } else {
        fail(
          id, part, .init(errorClass: "http_\(status)", message: message, keepsID: false), at: now)
      }
    case .jobStop(let reason) where Self.isDailyLimit(reason):
      // Not billed: the same call goes again once the day resets (the day is closed).
      refusedForToday(reason, at: now)
      calls.append(ScheduledCall(due: now, call: call))
    case .jobStop(let reason):
      stop(.jobStop(reason))
    case .rateLimited(let retryAfter):
      buffer.countRateLimited()
      statistics.summary.rateLimited += 1
      let n = awaiting[id]?.rateLimits[part, default: 0] ?? 0
      awaiting[id]?.rateLimits[part] = n + 1
      let wait =
        retryAfter.map(RetryWait.seconds) ?? waits.wait(.rateLimited, n, unitRandom: random.unit())
      if gate.rateLimited(at: now, wait: wait) {
        buffer.addPause("rate limited (429 storm)", seconds: wait)
      }
      calls.append(ScheduledCall(due: now + wait, call: call))
    case .transient(.connectFailed):
      if let due = outageRetry(sentAt: now - latency, at: now) {
        calls.append(ScheduledCall(due: due, call: call))
      }
    case .transient(let failure):
      outage = nil
      // The server may have done (and billed) the work before the deadline passed.
      if failure == .timeout && !call.isPoll { statistics.summary.timedOut += 1 }
      let n = awaiting[id]?.retries[part, default: 0] ?? 0
      guard n < waits.maxRetries else {
        fail(
          id, part,
          .init(
            errorClass: call.isPoll ? "submitted" : failure.label,
            message: "gave up after \(n + 1) attempts: "
              + failure.label.replacingOccurrences(of: "_", with: " "),
            keepsID: call.isPoll), at: now)
        return
      }
      awaiting[id]?.retries[part] = n + 1
      buffer.countRetry()
      statistics.summary.retries += 1
      calls.append(
        ScheduledCall(
          due: now + waits.wait(.transient, n, unitRandom: random.unit()), call: call))
    }
  }

  // MARK: - Parts' bookkeeping

  private mutating func schedulePoll(
    _ id: Int64, _ part: String, _ enrichmentID: String, at now: Double
  ) {
    let polls = awaiting[id]?.polls[part] ?? 0
    let delay = polling.delay(afterPolls: polls, unitRandom: random.unit())
    calls.append(
      ScheduledCall(
        due: now + delay, call: .poll(requestID: id, part: part, id: enrichmentID)))
  }

  private mutating func fail(
    _ id: Int64, _ part: String, _ failure: AwaitedRequest.Failure, at now: Double
  ) {
    awaiting[id]?.failures[part] = failure
    close(id, part, at: now)
  }

  /// A part has its final answer or failure.
  private mutating func close(_ id: Int64, _ part: String, at now: Double) {
    awaiting[id]?.open.remove(part)
    if awaiting[id]?.open.isEmpty == false { saveLedger(id) }
    finishIfAnswered(id, at: now)
  }

  /// Commits the request's ledger as it is now (with the next group commit).
  private mutating func saveLedger(_ id: Int64) {
    guard let entry = awaiting[id] else { return }
    buffer.add(
      RequestOutcome(
        requestID: id, result: .submitted(entry.ledger, complete: entry.isComplete)))
  }

  /// Once no part is open: the request's one outcome.
  private mutating func finishIfAnswered(_ id: Int64, at now: Double) {
    guard let entry = awaiting[id], entry.open.isEmpty else { return }
    awaiting[id] = nil
    let (outcome, kind) = entry.outcome(at: now)
    buffer.add(outcome)
    settleCredits(id, types: entry.work.request.enrichmentType, outcome.result)
    // A first stage's answer is not the row's: it comes back for its deferred types.
    if !entry.work.deferred.isEmpty, kind != .failed { return }
    statistics.summary.finished += 1
    switch kind {
    case .found: statistics.summary.found += 1
    case .notFound: statistics.summary.notFound += 1
    case .failed: statistics.summary.failed += 1
    }
    statistics.noteFinal(at: now)
  }

  /// On a stop: every awaited request keeps its ledger. One with nothing being sent
  /// without an id becomes `submitted` (the next run polls it); the others go back
  /// to `pending` with their ledger (the next run buys only what has neither id nor
  /// answer). Returns the requests put back to `pending`.
  mutating func drainAwaiting() -> [Int64] {
    var back: [Int64] = []
    for (id, entry) in awaiting.sorted(by: { $0.key < $1.key }) {
      if entry.isComplete {
        buffer.add(RequestOutcome(requestID: id, result: .submitted(entry.ledger, complete: true)))
      } else {
        buffer.add(RequestOutcome(requestID: id, result: .submitted(entry.ledger, complete: false)))
        buffer.add(
          RequestOutcome(requestID: id, result: .retryLater(errorClass: "stopped", message: "")))
        budget.release(id)
        daily.release(id)
        back.append(id)
      }
    }
    awaiting = [:]
    calls = []
    return back
  }
}
