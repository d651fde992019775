import JobStore
import LeadsheetCore
import ProntoClient
import Testing

@testable import Runner

/// Drives a `RunnerStateMachine` with a fake clock and an in-memory store: no sockets.
struct Harness {
  var machine: RunnerStateMachine
  var now = 0.0
  /// Pending requests the store has not handed out yet.
  var store: [PendingRequest]
  /// Ids committed as in flight, in order.
  var markedInStore: [Int64] = []
  /// Requests sent and not answered yet, in order.
  var inFlight: [PendingRequest] = []
  /// Every send, in order (retries included).
  var sends: [Int64] = []
  var ingestEnded = true
  /// Submissions and polls in flight, and every one made.
  var callsInFlight: [Call] = []
  var madeCalls: [Call] = []
  /// What `GET /credits` tells about the API's day when the machine reads it.
  var apiCredits: (limit: Int?, used: Int?, resetAt: Double?)?

  init(
    requests: Int, types: [EnrichmentType] = [.email],
    configure: (inout RunConfiguration) -> Void = { _ in }
  ) {
    var config = RunConfiguration()
    config.rate = 0
    // The latency window has its own tests (LatencyLimitTests); here the window is the
    // 429 window alone unless a test turns it on.
    config.latencyWindow = false
    configure(&config)
    machine = RunnerStateMachine(configuration: config, random: SeededRandom(seed: 42))
    store = (1...max(1, requests)).prefix(requests).map {
      PendingRequest(
        id: Int64($0), request: EnrichRequest(firstname: "P\($0)", enrichmentType: types),
        attempts: 0)
    }
  }

  /// Carries out actions until the machine waits or finishes, and returns that action.
  @discardableResult
  mutating func run() -> RunnerStateMachine.Action {
    while true {
      let action = machine.nextAction(at: now)
      switch action {
      case .refill(let limit):
        let batch = Array(store.prefix(limit))
        store.removeFirst(batch.count)
        machine.refilled(batch, ingestEnded: ingestEnded)
      case .mark(let batch):
        markedInStore += batch.map(\.id)
        machine.marked(batch)
      case .send(let work):
        #expect(markedInStore.contains(work.id), "sent before it was marked in flight")
        inFlight.append(work)
        sends.append(work.id)
      case .call(let call):
        callsInFlight.append(call)
        madeCalls.append(call)
      case .readCredits:
        if let told = apiCredits {
          machine.apiCreditsRead(
            limit: told.limit, usedToday: told.used, resetAt: told.resetAt, at: now)
        } else {
          machine.apiCreditsUnread()
        }
      case .wait, .finish, .waitForDailyReset:
        return action
      }
    }
  }

  /// Answers request `id` (in flight) at the current time.
  mutating func answer(_ id: Int64, _ attempt: EnrichAttempt, latency: Double = 0.2) {
    guard let i = inFlight.firstIndex(where: { $0.id == id }) else {
      Issue.record("request \(id) is not in flight")
      return
    }
    let work = inFlight.remove(at: i)
    machine.answered(work, attempt, latency: latency, at: now)
  }

  /// Answers the first call in flight that `matches` at the current time.
  mutating func answerCall(
    _ attempt: EnrichAttempt, latency: Double = 0.2, where matches: (Call) -> Bool = { _ in true }
  ) {
    guard let i = callsInFlight.firstIndex(where: matches) else {
      Issue.record("no such call in flight")
      return
    }
    machine.callAnswered(callsInFlight.remove(at: i), attempt, latency: latency, at: now)
  }

  /// Answers every request in flight with `attempt`.
  mutating func answerAll(_ attempt: EnrichAttempt) {
    for work in inFlight { answer(work.id, attempt) }
  }
}

let found = EnrichAttempt.found(EnrichResponse(status: "success", email: "a@b.c"))
let notFound = EnrichAttempt.notFound(EnrichResponse(status: "error"))

private func isWait(_ action: RunnerStateMachine.Action) -> Double?? {
  if case .wait(let until) = action { return .some(until) }
  return nil
}

// MARK: - A run to the end

@Test func sendsEveryRequestThenEndsDone() throws {
  var h = Harness(requests: 3)
  let waited = h.run()
  #expect(isWait(waited) == .some(nil))
  #expect(h.sends == [1, 2, 3])
  h.answer(1, found)
  h.answer(2, notFound)
  h.answer(3, found)
  let action = h.run()
  #expect(action == .finish(nil))
  let s = h.machine.summary
  #expect((s.sent, s.finished, s.found, s.notFound, s.failed) == (3, 3, 2, 1, 0))
  #expect(h.machine.ending(unfinishedRequests: { 0 }) == .ended(.done, .done))
  // Requests left in the store at the end (another process, a race): paused, not done.
  #expect(
    h.machine.ending(unfinishedRequests: { 2 })
      == .ended(
        .paused(reason: "requests left unfinished", remedy: "resume the job"),
        .paused(reason: "requests left unfinished")))
}

@Test func marksAQuarterSecondsWorthAtATime() {
  var h = Harness(requests: 100) { $0.rate = 50 }
  _ = h.run()
  // 49/s paced: 12 marked in the first commit, one sent (the bucket holds the rest).
  #expect(h.markedInStore.count == 12)
  #expect(h.sends == [1])
}

// MARK: - The gate

@Test func pacesAtTheRateLessTheMargin() {
  var h = Harness(requests: 5) { $0.rate = 50 }
  let first = h.run()
  #expect(h.sends.count == 1)
  guard case .wait(let until?) = first else {
    Issue.record("expected a timed wait, got \(first)")
    return
  }
  #expect(abs(until - 1 / 49) < 1e-6)
  h.now = until / 2
  _ = h.run()
  #expect(h.sends.count == 1, "sent before its slot")
  h.now = until
  _ = h.run()
  #expect(h.sends.count == 2)
}

@Test func theWindowCapsRequestsInFlight() {
  var h = Harness(requests: 5) { $0.maxInFlight = 2 }
  let waited = h.run()
  #expect(isWait(waited) == .some(nil))
  #expect(h.sends == [1, 2])
  #expect(h.machine.inFlight == 2)
  h.answer(1, found)
  _ = h.run()
  #expect(h.sends == [1, 2, 3])
  #expect(h.machine.inFlight == 2)
}

// MARK: - Retries

@Test func transientFailuresAreRetriedUpToTheCapThenFail() throws {
  var h = Harness(requests: 1) { $0.backoff = Backoff(maxRetries: 2) }
  h.run()
  for retry in 0..<2 {
    h.answer(1, .transient(.timeout))
    let due = try #require(h.machine.waitingRetries.nextDue)
    // Full jitter under the ceiling 0.5 s × 2ⁿ.
    #expect(due >= h.now && due <= h.now + 0.5 * Double(1 << retry))
    let waited = h.run()
    #expect(isWait(waited) == .some(due))
    h.now = due
    h.run()
    #expect(h.sends == Array(repeating: 1, count: retry + 2))
  }
  h.answer(1, .transient(.timeout))
  let action = h.run()
  #expect(action == .finish(nil))
  let s = h.machine.summary
  #expect((s.retries, s.failed, s.finished, s.sent) == (2, 1, 1, 3))
  let takenBatch = h.machine.takeCommit()
  let batch = try #require(takenBatch)
  #expect(
    batch.outcomes.last?.result
      == .failed(errorClass: "timeout", message: "gave up after 3 attempts: timeout"))
  #expect(batch.counters == RunCounters(requestsSent: 3, retries: 2, rateLimited: 0))
}

@Test func rateLimitedWithRetryAfterWaitsExactlyThatLong() throws {
  var h = Harness(requests: 2) { $0.rate = 50 }
  h.run()
  h.now = 1
  h.answer(1, .rateLimited(retryAfter: .seconds(3)))
  #expect(h.machine.waitingRetries.nextDue == 4)
  #expect(h.machine.gate.window.limit == 100, "the 429 window halves on a 429")
  #expect(h.machine.currentRate < 49, "the pace drops on a 429")
  #expect(h.machine.summary.rateLimited == 1)
  h.now = 3.99
  h.run()
  #expect(!h.sends.dropFirst().contains(1))
  h.now = 4.1
  h.run()
  #expect(h.sends.filter { $0 == 1 }.count == 2)
}

@Test func rateLimitedWithoutRetryAfterBacksOffWithTheSameFormula() throws {
  var h = Harness(requests: 1)
  h.run()
  for n in 0..<3 {
    h.answer(1, .rateLimited(retryAfter: nil))
    let due = try #require(h.machine.waitingRetries.nextDue)
    let ceiling = 0.5 * Double(1 << n)
    // At least half the ceiling, at most the ceiling.
    #expect(due - h.now >= ceiling / 2 && due - h.now <= ceiling)
    h.now = due
    h.run()
  }
  #expect(h.machine.summary.retries == 0, "429s are not transient retries")
}

@Test func aRequestRateLimitedPastTheCapFails() throws {
  var h = Harness(requests: 1)
  h.run()
  for _ in 0..<RetryWait.defaultMaxRateLimited {
    h.answer(1, .rateLimited(retryAfter: .milliseconds(10)))
    h.now += 0.01
    h.run()
  }
  #expect(h.machine.summary.failed == 0)
  h.answer(1, .rateLimited(retryAfter: .milliseconds(10)))
  let action = h.run()
  #expect(action == .finish(nil))
  #expect(h.machine.summary.failed == 1)
  let takenBatch = h.machine.takeCommit()
  let batch = try #require(takenBatch)
  #expect(
    batch.outcomes.last?.result
      == .failed(errorClass: "rate_limited", message: "rate limited 31 times in a row"))
}

@Test func aStormOf429sPausesTheWholeJob() throws {
  var h = Harness(requests: 10) { $0.maxInFlight = 3 }
  h.run()
  h.now = 1
  h.answer(1, .rateLimited(retryAfter: .seconds(2)))
  h.answer(2, .rateLimited(retryAfter: .seconds(2)))
  let first = h.machine.takeCommit()
  #expect(try #require(first).pauses.isEmpty, "two 429s are not a storm")
  h.answer(3, .rateLimited(retryAfter: .seconds(2)))
  let second = h.machine.takeCommit()
  let batch = try #require(second)
  #expect(batch.pauses == [CommitBuffer.Pause(reason: "rate limited (429 storm)", seconds: 2)])
  // Nothing leaves before the pause ends, not even a fresh request.
  let sendsBefore = h.sends.count
  let waited = h.run()
  #expect(isWait(waited) == .some(3))
  #expect(h.sends.count == sendsBefore)
  h.now = 3
  h.run()
  #expect(h.sends.count > sendsBefore)
}

// MARK: - Outages

@Test func anOutagePausesTheJobThenGivesUp() throws {
  var h = Harness(requests: 3) { $0.giveUpAfter = .seconds(10) }
  h.run()
  h.now = 1
  h.answer(1, .transient(.connectFailed), latency: 1)
  let due = try #require(h.machine.waitingRetries.nextDue)
  #expect(due - h.now >= 0.25 && due - h.now <= 0.5)
  // A request already in flight that fails meanwhile joins the same round.
  h.now = 1.1
  h.answer(2, .transient(.connectFailed), latency: 1.1)
  #expect(h.machine.waitingRetries.count == 2)
  #expect(h.machine.waitingRetries.nextDue == due)
  let takenBatch = h.machine.takeCommit()
  let batch = try #require(takenBatch)
  #expect(batch.pauses.count == 1)
  #expect(batch.pauses.first?.reason == "API unreachable")
  // Past --give-up-after since the first failed attempt was sent (t = 0): the run stops.
  h.now = 12
  h.answer(3, .transient(.connectFailed), latency: 1)
  #expect(h.machine.stopping == .network(seconds: 12))
  let action = h.run()
  #expect(action == .finish(.network(seconds: 12)))
  let putBack = h.machine.drainUnsent()
  #expect(putBack == 2)
  #expect(
    h.machine.ending(unfinishedRequests: { 3 })
      == .ended(
        .paused(
          reason: "the API was unreachable for 12 s",
          remedy: "check the network connection, then resume the job"),
        .paused(reason: "the API was unreachable for 12 s")))
}

@Test func anAnswerEndsTheOutage() throws {
  var h = Harness(requests: 3) { $0.giveUpAfter = .seconds(10) }
  h.run()
  h.now = 5
  h.answer(1, .transient(.connectFailed), latency: 5)
  h.answer(2, found)
  // A new failure 20 s later starts a new outage: no stop.
  h.now = 25
  h.answer(3, .transient(.connectFailed), latency: 1)
  #expect(h.machine.stopping == nil)
}

// MARK: - Stops and ends

@Test func aStopWaitsForRequestsInFlightThenPutsTheRestBack() throws {
  var h = Harness(requests: 200) { $0.rate = 50 }
  h.run()
  #expect(h.sends == [1])
  h.machine.stop(.interrupted)
  let replaced = h.machine.stop(.jobStop(.unauthorized(status: 401)))
  #expect(!replaced, "the first cause stays")
  let draining = h.run()
  #expect(draining == .wait(until: nil), "the request in flight is waited for")
  h.answer(1, found)
  let action = h.run()
  #expect(action == .finish(.interrupted))
  let putBack = h.machine.drainUnsent()
  #expect(putBack == 11, "the marked requests not sent go back")
  let takenBatch = h.machine.takeCommit()
  let batch = try #require(takenBatch)
  #expect(batch.outcomes.count == 12)
  #expect(
    batch.outcomes.dropFirst().allSatisfy {
      $0.result == .retryLater(errorClass: "stopped", message: "")
    })
  #expect(
    h.machine.ending(unfinishedRequests: { 199 })
      == .ended(.interrupted, .paused(reason: "interrupted")))
}

@Test func noCreditsPausesTheJobForResume() throws {
  var h = Harness(requests: 4) { $0.maxInFlight = 2 }
  h.run()
  let reason = JobStopReason.creditsExhausted(status: 402, message: "no credits")
  h.answer(1, .jobStop(reason))
  #expect(h.machine.stopping == .jobStop(reason))
  let waited = h.run()
  #expect(isWait(waited) == .some(nil))
  #expect(h.sends == [1, 2], "nothing new is sent after a job stop")
  h.answer(2, found)
  let action = h.run()
  #expect(action == .finish(.jobStop(reason)))
  let takenBatch = h.machine.takeCommit()
  let batch = try #require(takenBatch)
  #expect(
    batch.outcomes.first?.result
      == .retryLater(errorClass: "credits_exhausted", message: reason.sentence))
  #expect(
    h.machine.ending(unfinishedRequests: { 3 })
      == .ended(
        .paused(reason: reason.sentence, remedy: reason.remedy), .paused(reason: reason.sentence)))
}

@Test func aRefusedKeyStopsTheJob() throws {
  var h = Harness(requests: 1)
  h.run()
  let reason = JobStopReason.unauthorized(status: 401)
  h.answer(1, .jobStop(reason))
  let action = h.run()
  #expect(action == .finish(.jobStop(reason)))
  guard case .ended(.paused(let text, _), .paused) = h.machine.ending(unfinishedRequests: { 1 })
  else {
    Issue.record("expected a paused end")
    return
  }
  #expect(text.contains("refused the API key"))
}

@Test func aStorageFailureEndsWithTheError() {
  var h = Harness(requests: 3)
  h.run()
  let error = LeadsheetError(.storage, "disk full")
  h.machine.storageFailed(error)
  h.answerAll(found)
  let action = h.run()
  #expect(action == .finish(.storage(error)))
  #expect(h.machine.ending(unfinishedRequests: { 0 }) == .failed(error))
}

@Test func limitMarksOnlyThatManyThenPauses() {
  var h = Harness(requests: 20) { $0.limit = 5 }
  h.run()
  #expect(h.markedInStore == [1, 2, 3, 4, 5])
  h.answerAll(found)
  let action = h.run()
  #expect(action == .finish(nil))
  #expect(
    h.machine.ending(unfinishedRequests: { 15 })
      == .ended(.limitReached(5), .paused(reason: "--limit 5 reached")))
}

@Test func waitsForTheIngestThenSendsWhatItStored() {
  var h = Harness(requests: 2)
  let stored = h.store
  h.store = []
  h.ingestEnded = false
  let waiting = h.run()
  #expect(waiting == .wait(until: RunnerStateMachine.ingestPollInterval))
  h.store = stored
  h.now = 0.05
  h.run()
  #expect(h.sends == [1, 2])
  h.answerAll(found)
  // The store had nothing more at 0.05 s: the next look is one poll later.
  h.ingestEnded = true
  let early = h.run()
  #expect(early == .wait(until: 0.1))
  h.now = 0.1
  let action = h.run()
  #expect(action == .finish(nil))
}

// MARK: - Commits

@Test func commitsHandOutEverythingOnceInOrder() throws {
  var h = Harness(requests: 3)
  let none = h.machine.takeCommit()
  #expect(none == nil)
  h.run()
  h.answer(2, found)
  h.answer(1, notFound)
  let takenBatch = h.machine.takeCommit()
  let batch = try #require(takenBatch)
  #expect(batch.outcomes.map(\.requestID) == [2, 1])
  #expect(batch.counters.requestsSent == 3)
  let again = h.machine.takeCommit()
  #expect(again == nil, "a batch is handed out once")
  h.answer(3, found)
  let takenNext = h.machine.takeCommit()
  let next = try #require(takenNext)
  #expect(next.outcomes.map(\.requestID) == [3])
  // A failed commit gives its batch back ahead of newer outcomes, and stops the run.
  h.machine.commitFailed(unrecorded: next, error: LeadsheetError(.storage, "disk full"))
  let restored = h.machine.takeCommit()
  #expect(restored?.outcomes.map(\.requestID) == [3])
  #expect(h.machine.stopping == .storage(LeadsheetError(.storage, "disk full")))
}

// MARK: - Answers the API took without a result (issue 11)

/// A submitted request (pending + id) may be billed: it is never sent again and
/// never counted not-found; its id is stored at once and polled until it answers.
@Test func aSubmittedRequestIsPolledNeverResentNorNotFound() throws {
  var h = Harness(requests: 2)
  h.run()
  h.answer(1, .submitted(enrichmentID: "enr-1", status: "pending"))
  h.answer(2, found)
  // The id is committed with the next group commit, the request `submitted`.
  let firstCommit = h.machine.takeCommit()
  let first = try #require(firstCommit)
  let saved = try #require(first.outcomes.first { $0.requestID == 1 })
  guard case .submitted(let ledger, let complete) = saved.result else {
    Issue.record("expected the ledger, got \(saved.result)")
    return
  }
  #expect(ledger.ids == ["email": "enr-1"] && complete)
  // Nothing to do until the first poll is due (about 1 s).
  guard case .wait(let until?) = h.run() else {
    Issue.record("expected a wait for the poll")
    return
  }
  #expect((0.9...1.1).contains(until))
  h.now = until
  h.run()
  #expect(h.madeCalls == [.poll(requestID: 1, part: "email", id: "enr-1")])
  h.answerCall(.submitted(enrichmentID: "enr-1", status: "pending"))
  if case .wait(let next?) = h.run() { h.now = next }
  h.run()
  #expect(h.madeCalls.count == 2, "polled again after a pending answer")
  h.answerCall(found)
  #expect(h.run() == .finish(nil))
  #expect(h.sends == [1, 2], "a submitted request is not sent again")
  let s = h.machine.summary
  #expect((s.finished, s.found, s.notFound, s.failed, s.retries) == (2, 2, 0, 0, 0))
  #expect((s.submitted, s.polls, s.polledResults, s.pollsPerResult) == (1, 2, 1, [2]))
  let lastCommit = h.machine.takeCommit()
  let last = try #require(lastCommit)
  let outcome = try #require(last.outcomes.first { $0.requestID == 1 })
  guard case .response(let response, _) = outcome.result else {
    Issue.record("expected the polled answer, got \(outcome.result)")
    return
  }
  #expect(response.email == "a@b.c" && response.enrichmentID == "enr-1")
}

/// A 2xx in a shape leadsheet does not know is failed with its excerpt, never resent.
@Test func anUnexpectedAnswerFailsWithItsExcerptAndIsNotResent() throws {
  var h = Harness(requests: 1)
  h.run()
  h.answer(1, .unexpectedAnswer(status: 202, excerpt: #"{"status":"accepted"}"#, enrichmentID: nil))
  let ended = h.run()
  #expect(ended == .finish(nil))
  #expect(h.sends == [1])
  #expect(h.machine.summary.notFound == 0)
  let taken = h.machine.takeCommit()
  let batch = try #require(taken)
  guard case .failed("unexpected_answer", let message) = batch.outcomes.first?.result else {
    Issue.record("expected failed, got \(String(describing: batch.outcomes.first))")
    return
  }
  #expect(message.contains("HTTP 202"))
  #expect(message.contains(#"{"status":"accepted"}"#))
}

/// A body that is not JSON is retried (a proxy's page), and when retries run out the
/// row fails with the body's beginning, never as not found.
@Test func anUnreadableBodyIsRetriedThenFailsWithItsExcerpt() throws {
  var h = Harness(requests: 1) { $0.backoff = Backoff(maxRetries: 1) }
  h.run()
  let page = EnrichAttempt.transient(.unreadableBody(status: 200, excerpt: "<html>oops"))
  h.answer(1, page)
  h.now = 100
  h.run()
  #expect(h.sends == [1, 1])
  h.answer(1, page)
  let ended = h.run()
  #expect(ended == .finish(nil))
  let taken = h.machine.takeCommit()
  let batch = try #require(taken)
  guard case .failed("bad_body", let message) = batch.outcomes.last?.result else {
    Issue.record("expected failed, got \(String(describing: batch.outcomes.last))")
    return
  }
  #expect(message.contains("unreadable answer (HTTP 200): <html>oops"))
  #expect(h.machine.summary.notFound == 0)
}

/// A plan or import limit pauses the whole job like missing credits.
@Test func aReachedLimitPausesTheJob() throws {
  var h = Harness(requests: 3) { $0.maxInFlight = 1 }
  h.run()
  let reason = JobStopReason.limitReached(
    status: 422, message: "Import limit reached", retryAfter: .seconds(600))
  h.answer(1, .jobStop(reason))
  let ended = h.run()
  #expect(ended == .finish(.jobStop(reason)))
  #expect(h.sends == [1])
  let taken = h.machine.takeCommit()
  let batch = try #require(taken)
  #expect(
    batch.outcomes.first?.result
      == .retryLater(errorClass: "limit_reached", message: reason.sentence))
  guard
    case .ended(.paused(let text, let remedy), .paused) = h.machine.ending(unfinishedRequests: { 3 }
    )
  else {
    Issue.record("expected a paused end")
    return
  }
  #expect(text.contains("Import limit reached"))
  #expect(remedy.contains("10 min"))
}
