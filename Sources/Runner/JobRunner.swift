import Foundation
import JobStore
import LeadsheetCore
import Logging
import ProntoClient

/// Runs a stored job through the API: paced, many in flight, retried, every outcome committed.
///
/// The decisions are value types (`TokenBucket`, `ConcurrencyWindow`,
/// `Backoff`); this actor only carries them out. One dispatch loop takes the
/// next request (a retry that came due, else the next pending one in chunk
/// order), waits for a free slot in the in-flight window and for its slot in
/// the token bucket, and sends it in a child task. Answers come back to the
/// actor, which classifies them:
///
/// | answer | consequence |
/// |---|---|
/// | found / not found | final outcome, committed with the next group commit |
/// | row invalid (400/422) | final `failed` with the API's message |
/// | rate limited (429) | the whole job waits `Retry-After`; the window halves; sent again |
/// | transient (5xx, reset, timeout, bad body) | retried after `Backoff` (full jitter), then `failed` |
/// | cannot connect | the whole job backs off; past `giveUpAfter` the job pauses |
/// | job stop (401/403, consent, credits) | no more dispatch; in-flight requests finish; job paused |
///
/// Requests are marked in flight in the store (committed) before they are
/// sent, a few hundred milliseconds' worth at a time, so a crash at any
/// moment leaves the job knowing exactly which requests may have been billed.
public actor JobRunner {
  private enum StopCause: Sendable {
    case interrupted
    case jobStop(JobStopReason)
    case network(seconds: Double)
    case storage(LeadsheetError)
  }

  private struct Retry {
    var due: Double
    var work: PendingRequest
  }

  private let store: JobStore
  private let ingest: LiveIngest?
  private var waitingForIngest = false
  private var totalsLoaded = false
  private let client: ProntoClient
  private let jobID: JobID
  private let config: RunConfiguration
  private let logger: Logger
  private let clock = ContinuousClock()
  private let started: ContinuousClock.Instant

  private var bucket: TokenBucket
  private var adaptive: AdaptiveRate
  private var window: ConcurrencyWindow
  private var rng = SystemRandomNumberGenerator()

  private var unmarked: ArraySlice<PendingRequest> = []
  private var marked: ArraySlice<PendingRequest> = []
  private var retries: [Retry] = []
  private var retryCount: [Int64: Int] = [:]
  private var rateLimitCount: [Int64: Int] = [:]
  private var storeExhausted = false
  private var inFlight = 0
  private var distinctSent = 0
  private var outageSince: Double?
  private var outageCount = 0
  /// When the current outage round's retries are due: failures of requests that were
  /// already in flight join that round instead of lengthening the backoff once each.
  private var outageRetryAt: Double?
  private var waiter: CheckedContinuation<Void, Never>?
  private var stopping: StopCause?

  private var outcomes: [RequestOutcome] = []
  private var counters = RunCounters()
  private var pauses: [(reason: String, seconds: Double)] = []
  private var runID: Int64 = 0
  private var summary = RunSummary(end: .done)
  private var firstSend: Double?
  private var lastAnswer: Double = 0
  private var recentAnswers: [Double] = []
  private var doneBefore = 0
  private var totalRequests = 0

  /// Opens the job's store and prepares a run.
  ///
  /// - Parameters:
  ///   - databasePath: The job database.
  ///   - job: The job to run.
  ///   - client: The API client (shared, many requests in flight).
  ///   - configuration: Rate, window, retries.
  ///   - logger: Where to log; never given the API key.
  ///   - ingest: The job's ingest, when it is still storing rows in this process:
  ///     the run sends the committed chunks' requests meanwhile, and settles the
  ///     job's state only once the ingest has ended.
  /// - Throws: `LeadsheetError(.storage)` when the database cannot be opened.
  public init(
    databasePath: String, job: JobID, client: ProntoClient, configuration: RunConfiguration,
    logger: Logger, ingest: LiveIngest? = nil
  ) throws {
    self.store = try JobStore(path: databasePath)
    self.ingest = ingest
    self.jobID = job
    self.client = client
    self.config = configuration
    self.logger = logger
    self.started = clock.now
    self.bucket = TokenBucket(rate: configuration.pacedRate)
    self.adaptive = AdaptiveRate(ceiling: configuration.pacedRate)
    self.window = ConcurrencyWindow(maximum: configuration.maxInFlight)
  }

  private func now() -> Double {
    let d = clock.now - started
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }

  // MARK: - Running

  /// Runs the job until every request has a final outcome, or a stop.
  ///
  /// - Parameters:
  ///   - stop: Ctrl-C / SIGTERM: the first one stops gracefully.
  ///   - progress: Called a few times per second with a snapshot.
  /// - Returns: What the run did and how it ended.
  /// - Throws: `LeadsheetError` when the job is locked by another process, or
  ///   the database fails (disk full, read-only): committed work is kept.
  public func run(
    stop: StopSignal? = nil, progress: (@Sendable (RunProgress) -> Void)? = nil
  ) async throws -> RunSummary {
    _ = try store.acquireLock(job: jobID, pid: JobStore.currentPID, host: JobStore.currentHost)
    defer {
      _ = try? store.releaseLock(job: jobID, pid: JobStore.currentPID, host: JobStore.currentHost)
    }
    guard let job = try store.job(jobID) else {
      throw LeadsheetError(.notFound, "no job \(jobID)", hint: "list jobs with: leadsheet jobs")
    }
    if job.state == .ingesting && ingest == nil {
      throw LeadsheetError(
        .refused, "job \(jobID) was never fully read",
        hint: "continue it with leadsheet resume \(jobID)")
    }
    summary.recoveredInFlight = try store.recoverInFlight(job: jobID, resend: config.resendInFlight)
    summary.resentInFlight = config.resendInFlight
    if job.state.name != "running" && job.state != .ingesting {
      _ = try store.setState(job: jobID, to: .running)
    }
    runID = try store.startRun(job: jobID)

    stop?.onSignal { [weak self] _ in
      guard let self else { return }
      Task { await self.requestStop(.interrupted) }
    }
    let flusher = Task { [weak self, interval = config.commitInterval] in
      while !Task.isCancelled {
        try? await Task.sleep(for: interval)
        await self?.flush()
      }
    }
    let ticker = Task { [weak self, interval = config.progressInterval] in
      guard let progress else { return }
      // The totals (a scan of the job's requests) wait until the first requests are out.
      try? await Task.sleep(for: .milliseconds(100))
      try? await self?.loadTotals()
      while !Task.isCancelled {
        try? await Task.sleep(for: interval)
        if let snapshot = await self?.snapshot() { progress(snapshot) }
      }
    }
    await dispatchAll()
    flusher.cancel()
    ticker.cancel()
    if let progress {
      try? loadTotals()
      progress(snapshot())
    }
    return try await finish()
  }

  /// Counts the job's requests by state, for the progress line.
  private func loadTotals() throws {
    guard !totalsLoaded else { return }
    totalsLoaded = true
    let counts = try store.requestCountsByState(job: jobID)
    totalRequests = counts.values.reduce(0, +)
    doneBefore = max(0, (counts[.done] ?? 0) - summary.finished)
  }

  private func requestStop(_ cause: StopCause) {
    if stopping == nil {
      stopping = cause
      logger.info("stopping", metadata: ["cause": "\(cause)"])
    }
    wake()
  }

  private func wake() {
    let w = waiter
    waiter = nil
    w?.resume()
  }

  /// Waits until an answer arrives, a stop is asked, or `timeout` passes.
  private func waitForEvent(timeout: Double?) async {
    var timer: Task<Void, Never>?
    if let timeout {
      timer = Task { [weak self] in
        try? await Task.sleep(for: .milliseconds(max(1, Int(timeout * 1000))))
        await self?.wake()
      }
    }
    await withCheckedContinuation { waiter = $0 }
    timer?.cancel()
  }

  private func dispatchAll() async {
    await withDiscardingTaskGroup { group in
      while stopping == nil {
        if inFlight >= window.limit {
          await waitForEvent(timeout: nil)
          continue
        }
        let work: PendingRequest?
        do {
          work = try nextWork()
        } catch let error as LeadsheetError {
          requestStop(.storage(error))
          break
        } catch {
          requestStop(.storage(LeadsheetError(.storage, "\(error)")))
          break
        }
        guard let work else {
          if inFlight == 0 && retries.isEmpty && !waitingForIngest { break }
          var due = retries.map(\.due).min().map { max(0.001, $0 - now()) }
          // Rows are still being stored: look again for newly committed requests.
          if waitingForIngest { due = min(due ?? 0.05, 0.05) }
          await waitForEvent(timeout: due)
          continue
        }
        let delay = bucket.reserve(at: now())
        if delay > 0 { try? await Task.sleep(for: .milliseconds(Int((delay * 1000).rounded(.up)))) }
        if stopping != nil {
          marked.insert(work, at: marked.startIndex)
          break
        }
        inFlight += 1
        summary.sent += 1
        counters.requestsSent += 1
        if firstSend == nil { firstSend = now() }
        let client = self.client
        group.addTask {
          let answer = await client.enrichTimed(work.request)
          await self.complete(work, answer)
        }
      }
      while inFlight > 0 { await waitForEvent(timeout: nil) }
    }
  }

  /// The next request to send: a retry that came due, else the next pending one.
  private func nextWork() throws -> PendingRequest? {
    let t = now()
    if let i = retries.firstIndex(where: { $0.due <= t }) {
      return retries.remove(at: i).work
    }
    if let first = marked.popFirst() {
      distinctSent += 1
      return first
    }
    if let limit = config.limit, distinctSent >= limit {
      waitingForIngest = false
      return nil
    }
    if unmarked.isEmpty && !storeExhausted {
      // Sampled before the query: once the ingest has ended, an empty answer is final.
      let ingestEnded = ingest?.hasEnded ?? true
      let batch = try store.nextRequests(job: jobID, limit: 500)
      storeExhausted = batch.isEmpty && ingestEnded
      waitingForIngest = batch.isEmpty && !ingestEnded
      unmarked = batch[...]
    }
    guard !unmarked.isEmpty else { return nil }
    // Mark about a quarter of a second's worth in flight in one commit.
    var k = config.rate > 0 ? max(1, Int(config.pacedRate / 4)) : 100
    k = min(k, unmarked.count)
    if let limit = config.limit { k = min(k, limit - distinctSent) }
    let batch = Array(unmarked.prefix(k))
    try store.markInFlight(job: jobID, batch.map(\.id))
    unmarked.removeFirst(k)
    marked.append(contentsOf: batch)
    distinctSent += 1
    return marked.popFirst()
  }

  // MARK: - Answers

  private func complete(_ work: PendingRequest, _ answer: TimedEnrichAttempt) {
    inFlight -= 1
    let t = now()
    let ms =
      answer.latency.components.seconds * 1000
      + answer.latency.components.attoseconds / 1_000_000_000_000_000
    summary.latency.record(milliseconds: Double(ms))
    switch answer.attempt {
    case .found(let response), .notFound(let response):
      answered(at: t)
      outcomes.append(
        RequestOutcome(
          requestID: work.id, result: .response(response, json: nil),
          latencyMilliseconds: Int(ms)))
      summary.finished += 1
      if response.isSuccess { summary.found += 1 } else { summary.notFound += 1 }
    case .rowInvalid(let status, let message):
      answered(at: t)
      finalFailure(work, errorClass: "http_\(status)", message: message, latency: Int(ms))
    case .jobStop(let reason):
      outcomes.append(
        RequestOutcome(
          requestID: work.id,
          result: .retryLater(errorClass: reason.label, message: reason.sentence)))
      requestStop(.jobStop(reason))
    case .rateLimited(let retryAfter):
      outageSince = nil
      counters.rateLimited += 1
      summary.rateLimited += 1
      window.rateLimited(at: t)
      let n = rateLimitCount[work.id, default: 0] + 1
      rateLimitCount[work.id] = n
      let wait =
        retryAfter.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        ?? Double.random(in: 0.5...1, using: &rng) * min(30, 0.5 * Double(1 << min(n, 6)))
      // A lone 429 slows the job a little; a storm also pauses it for Retry-After.
      if adaptive.rateLimited(at: t) {
        bucket.pause(until: t + wait)
        pauses.append((reason: "rate limited (429 storm)", seconds: wait))
      }
      bucket.setRate(adaptive.current, at: t)
      if n > 30 {
        finalFailure(
          work, errorClass: "rate_limited", message: "rate limited 30 times in a row",
          latency: Int(ms))
      } else {
        retries.append(Retry(due: t + wait, work: work))
      }
    case .transient(.connectFailed):
      // Unreachable since this attempt was sent: the pool keeps trying to connect
      // until its connect timeout before it gives the failure back.
      let sentAt = t - seconds(answer.latency)
      let since = min(outageSince ?? sentAt, sentAt)
      outageSince = since
      if t - since > seconds(config.giveUpAfter) {
        outcomes.append(
          RequestOutcome(
            requestID: work.id,
            result: .retryLater(errorClass: "connect_failed", message: "API unreachable")))
        requestStop(.network(seconds: t - since))
      } else if let due = outageRetryAt, due > t {
        retries.append(Retry(due: due, work: work))
      } else {
        outageCount += 1
        var wait =
          Double.random(in: 0.5...1, using: &rng) * min(30, 0.5 * Double(1 << min(outageCount, 6)))
        // Try again no later than the give-up deadline, so the job pauses on time.
        wait = min(wait, max(0.1, since + seconds(config.giveUpAfter) - t + 0.1))
        outageRetryAt = t + wait
        bucket.pause(until: t + wait)
        pauses.append((reason: "API unreachable", seconds: wait))
        retries.append(Retry(due: t + wait, work: work))
      }
    case .transient(let failure):
      outageSince = nil
      let n = retryCount[work.id, default: 0]
      if let delay = config.backoff.delay(forRetry: n, using: &rng) {
        retryCount[work.id] = n + 1
        counters.retries += 1
        summary.retries += 1
        retries.append(Retry(due: t + seconds(delay), work: work))
      } else {
        finalFailure(
          work, errorClass: failure.label,
          message:
            "gave up after \(n + 1) attempts: \(failure.label.replacingOccurrences(of: "_", with: " "))",
          latency: Int(ms))
      }
    }
    wake()
  }

  private func answered(at t: Double) {
    outageSince = nil
    outageCount = 0
    outageRetryAt = nil
    window.answered()
    if let newRate = adaptive.answered(at: t) { bucket.setRate(newRate, at: t) }
    lastAnswer = t
    recentAnswers.append(t)
    if recentAnswers.count > 4096 { recentAnswers.removeFirst(recentAnswers.count - 2048) }
  }

  private func finalFailure(
    _ work: PendingRequest, errorClass: String, message: String, latency: Int
  ) {
    outcomes.append(
      RequestOutcome(
        requestID: work.id, result: .failed(errorClass: errorClass, message: message),
        latencyMilliseconds: latency))
    summary.finished += 1
    summary.failed += 1
    recentAnswers.append(now())
  }

  private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }

  // MARK: - Committing

  /// Commits the outcomes and counters gathered since the last commit.
  private func flush() {
    guard !outcomes.isEmpty || counters != RunCounters() || !pauses.isEmpty else { return }
    let batch = outcomes
    let delta = counters
    let newPauses = pauses
    do {
      try store.recordOutcomes(job: jobID, batch)
      outcomes.removeAll(keepingCapacity: true)
      try store.addToRun(runID, delta)
      counters = RunCounters()
      for p in newPauses { try store.recordPause(run: runID, reason: p.reason, seconds: p.seconds) }
      pauses.removeAll()
    } catch let error as LeadsheetError {
      requestStop(.storage(error))
    } catch {
      requestStop(.storage(LeadsheetError(.storage, "\(error)")))
    }
  }

  private func snapshot() -> RunProgress {
    let t = now()
    let windowStart = max(0, t - 5)
    let recent = recentAnswers.reversed().prefix { $0 >= windowStart }.count
    let span = min(5, max(0.25, t - (firstSend ?? t)))
    return RunProgress(
      requestsDone: doneBefore + summary.finished,
      requestsTotal: max(totalRequests, ingest?.committed?.requests ?? 0),
      found: summary.found, retries: summary.retries, rateLimited: summary.rateLimited,
      inFlight: inFlight, ratePerSecond: Double(recent) / span, elapsed: t)
  }

  /// Puts unsent work back, commits, and sets the job's state from how the run ended.
  ///
  /// With a live ingest, waits for it first: Ctrl-C (or a storage error)
  /// stops it after its current chunk, leaving the job `ingesting` for
  /// `resume` to continue; any other end lets it store the rest.
  private func finish() async throws -> RunSummary {
    let putBack = Array(marked) + retries.map(\.work)
    for work in putBack {
      outcomes.append(
        RequestOutcome(requestID: work.id, result: .retryLater(errorClass: "stopped", message: "")))
    }
    marked = []
    retries = []
    flush()
    if let ingest {
      switch stopping {
      case .interrupted?, .storage?: ingest.cancel()
      default: break
      }
      switch await ingest.outcome() {
      case .finished: break
      case .failed(let error):
        try? store.endRun(runID, reason: "ingest failed")
        throw error
      case .suspended:
        try store.endRun(runID, reason: "interrupted while storing the list")
        if case .storage(let error)? = stopping { throw error }
        summary.seconds = firstSend.map { max(0, lastAnswer - $0) } ?? 0
        summary.end = .interrupted
        return summary
      }
    }
    summary.seconds = firstSend.map { max(0, lastAnswer - $0) } ?? 0
    let end: RunEnd
    let state: JobState
    switch stopping {
    case .storage(let error)?:
      try? store.endRun(runID, reason: "storage error")
      throw error
    case .interrupted?:
      end = .interrupted
      state = .paused(reason: "interrupted")
    case .jobStop(let reason)?:
      end = .paused(reason: reason.sentence, remedy: reason.remedy)
      state = .paused(reason: reason.sentence)
    case .network(let s)?:
      let text = "the API was unreachable for \(Int(s)) s"
      end = .paused(
        reason: text, remedy: "check the network connection, then resume the job")
      state = .paused(reason: text)
    case nil:
      if try store.unfinishedRequests(job: jobID) == 0 {
        end = .done
        state = .done
      } else if let limit = config.limit {
        end = .limitReached(limit)
        state = .paused(reason: "--limit \(limit) reached")
      } else {
        end = .paused(reason: "requests left unfinished", remedy: "resume the job")
        state = .paused(reason: "requests left unfinished")
      }
    }
    _ = try store.setState(job: jobID, to: state)
    try store.endRun(runID, reason: state.description)
    summary.end = end
    return summary
  }
}
