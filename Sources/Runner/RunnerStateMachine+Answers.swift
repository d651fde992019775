import JobStore
import LeadsheetCore
import ProntoClient

extension RunnerStateMachine {
  /// A request sent by `send` came back at `now`, classified, after `latency` seconds.
  ///
  /// | answer | what the machine does |
  /// |---|---|
  /// | found / not found | buffers the final outcome; the window and pace grow back |
  /// | submitted (pending + id, 202 + id) | the id is stored with the request and polled (`callAnswered`); never sent again, never not-found |
  /// | unexpected 2xx | buffers `failed` with the body's first 200 characters; never retried |
  /// | row invalid (400/422) | buffers `failed` with the API's message |
  /// | job stop (401/403, consent, credits, 404) | buffers `retryLater`; stops the run |
  /// | 429 | waits `Retry-After`, else `RetryWait(.rateLimited)`; the window halves, the pace drops; a storm pauses the bucket; `failed` after `RetryWait.maxRateLimited` |
  /// | cannot connect | joins the outage: one job-wide backoff round (`RetryWait(.outage)`), the bucket paused; past `--give-up-after`, the run stops |
  /// | other transient | retried after `RetryWait(.transient)`; `failed` after `--max-retries` (an unreadable 2xx body: with its first 200 characters) |
  public mutating func answered(
    _ work: PendingRequest, _ attempt: EnrichAttempt, latency: Double, at now: Double
  ) {
    gate.landed(work.id, LatencyLimit.Sample(attempt, latency: latency))
    statistics.latency(seconds: latency)
    let ms = RunStatistics.milliseconds(latency)
    if awaiting[work.id] != nil || attempt.isSubmitted {
      answeredPart(work, attempt, latency: latency, at: now)
      return
    }
    switch attempt {
    case .found(let response), .notFound(let response):
      answeredNormally(at: now)
      buffer.add(
        RequestOutcome(
          requestID: work.id, result: .response(response, json: nil), latencyMilliseconds: ms))
      settleCredits(work.id, types: work.request.enrichmentType, .response(response, json: nil))
      // A first stage's answer is not the row's: it comes back for its deferred types.
      guard work.deferred.isEmpty else { return }
      statistics.summary.finished += 1
      if response.isFound {
        statistics.summary.found += 1
      } else {
        statistics.summary.notFound += 1
      }
    case .submitted:
      break  // taken by answeredPart above: the id is stored and polled
    case .unexpectedAnswer(let status, let excerpt, let id):
      answeredNormally(at: now)
      fail(
        work, errorClass: "unexpected_answer",
        message: "unexpected answer (HTTP \(status)), not sent again as it may have been billed: "
          + excerpt, latency: ms, at: nil, enrichmentID: id)
    case .rowInvalid(let status, let message):
      answeredNormally(at: now)
      fail(work, errorClass: "http_\(status)", message: message, latency: ms, at: nil)
    case .jobStop(let reason) where Self.isDailyLimit(reason):
      refusedForToday(work, reason, at: now)
    case .jobStop(let reason):
      buffer.add(
        RequestOutcome(
          requestID: work.id,
          result: .retryLater(errorClass: reason.label, message: reason.sentence)))
      budget.release(work.id)
      daily.release(work.id)
      stop(.jobStop(reason))
    case .rateLimited(let retryAfter):
      rateLimited(work, retryAfter: retryAfter.map(RetryWait.seconds), latency: ms, at: now)
    case .transient(.connectFailed):
      unreachable(work, sentAt: now - latency, at: now)
    case .transient(let failure):
      outage = nil
      // The server may have done (and billed) the work before the deadline passed.
      if failure == .timeout { statistics.summary.timedOut += 1 }
      let n = queue.retries(of: work.id)
      guard n < waits.maxRetries else {
        var words = failure.label.replacingOccurrences(of: "_", with: " ")
        if case .unreadableBody(let status, let excerpt) = failure {
          words = "unreadable answer (HTTP \(status)): \(excerpt)"
        }
        fail(
          work, errorClass: failure.label, message: "gave up after \(n + 1) attempts: \(words)",
          latency: ms, at: now)
        return
      }
      _ = queue.countRetry(work.id)
      buffer.countRetry()
      statistics.summary.retries += 1
      queue.addRetry(work, due: now + waits.wait(.transient, n, unitRandom: random.unit()))
    }
  }

  /// An answer that was not a 429 nor a failure to connect.
  mutating func answeredNormally(at now: Double) {
    outage = nil
    gate.answered(at: now)
    statistics.answered(at: now)
  }

  mutating func rateLimited(
    _ work: PendingRequest, retryAfter: Double?, latency ms: Int, at now: Double
  ) {
    outage = nil
    buffer.countRateLimited()
    statistics.summary.rateLimited += 1
    let n = queue.countRateLimited(work.id)
    let wait = retryAfter ?? waits.wait(.rateLimited, n, unitRandom: random.unit())
    // A lone 429 slows the job a little; a storm also pauses it for the wait.
    if gate.rateLimited(at: now, wait: wait) {
      buffer.addPause("rate limited (429 storm)", seconds: wait)
    }
    if n >= waits.maxRateLimited {
      fail(
        work, errorClass: "rate_limited", message: "rate limited \(n + 1) times in a row",
        latency: ms, at: now)
    } else {
      queue.addRetry(work, due: now + wait)
    }
  }

  /// Cannot connect: unreachable since this attempt was sent (the pool keeps trying
  /// until its connect timeout before it gives the failure back).
  mutating func unreachable(_ work: PendingRequest, sentAt: Double, at now: Double) {
    if let due = outageRetry(sentAt: sentAt, at: now) {
      queue.addRetry(work, due: due)
    } else if awaiting[work.id] == nil {
      buffer.add(
        RequestOutcome(
          requestID: work.id,
          result: .retryLater(errorClass: "connect_failed", message: "API unreachable")))
      budget.release(work.id)
      daily.release(work.id)
    }
  }

  /// Joins the current outage (or starts one): when to try again, or `nil` when the
  /// API has been unreachable past `--give-up-after` and the run stops.
  ///
  /// Failures of calls already in flight join the current round instead of
  /// lengthening the backoff once each.
  mutating func outageRetry(sentAt: Double, at now: Double) -> Double? {
    var current = outage ?? Outage(since: sentAt)
    current.since = min(current.since, sentAt)
    let giveUp = RetryWait.seconds(configuration.giveUpAfter)
    defer { outage = current }
    if now - current.since > giveUp {
      stop(.network(seconds: now - current.since))
      return nil
    }
    if let due = current.retryAt, due > now { return due }
    var wait = waits.wait(.outage, current.rounds, unitRandom: random.unit())
    current.rounds += 1
    // Try again no later than the give-up deadline, so the job pauses on time.
    wait = min(wait, max(0.1, current.since + giveUp - now + 0.1))
    current.retryAt = now + wait
    gate.pause(until: now + wait)
    buffer.addPause("API unreachable", seconds: wait)
    return now + wait
  }

  /// A final failure: `failed` with `errorClass` and `message`.
  ///
  /// `now` counts it in the progress line's rate (an answer already counted passes `nil`).
  mutating func fail(
    _ work: PendingRequest, errorClass: String, message: String, latency ms: Int, at now: Double?,
    enrichmentID: String? = nil
  ) {
    buffer.add(
      RequestOutcome(
        requestID: work.id, result: .failed(errorClass: errorClass, message: message),
        latencyMilliseconds: ms, enrichmentID: enrichmentID))
    settleCredits(
      work.id, types: work.request.enrichmentType,
      .failed(errorClass: errorClass, message: message))
    statistics.summary.finished += 1
    statistics.summary.failed += 1
    if let now { statistics.noteFinal(at: now) }
  }
}
