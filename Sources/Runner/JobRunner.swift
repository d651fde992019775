import Foundation
import JobStore
import LeadsheetCore
import Logging
import Mapping
import ProntoClient

/// Runs a stored job through the API: paced, many in flight, retried, every outcome committed.
///
/// Every decision is `RunnerStateMachine`'s (what to send, when, what to retry,
/// what to commit, how the run ends); this actor only carries out its actions
/// — reads and writes the store, sends requests in child tasks, sleeps — and
/// reports what happened back to it as events. One dispatch loop asks the
/// machine for its next action; answers, the group-commit timer and Ctrl-C
/// come back to the actor as events and wake the loop.
///
/// Requests are marked in flight in the store (committed) before they are
/// sent, a few hundred milliseconds' worth at a time, so a crash at any
/// moment leaves the job knowing exactly which requests may have been billed.
public actor JobRunner {
  private let store: JobStore
  private let ingest: LiveIngest?
  private let client: ProntoClient
  private let jobID: JobID
  private let config: RunConfiguration
  private let logger: Logger
  private let clock = ContinuousClock()
  private let started: ContinuousClock.Instant

  private var machine: RunnerStateMachine
  private var waiter: CheckedContinuation<Void, Never>?
  private var runID: Int64 = 0
  /// The progress line's totals: read once, after the first requests are out.
  private var totals: (doneBefore: Int, requests: Int)?
  /// Credits the job had spent when this run started.
  private var creditsBefore = 0
  /// Set while the run sleeps to a daily reset (`--wait`), with the rows left.
  private var dailyWait: DailyPause?
  /// `--order-by`: nothing is sent before the whole list is stored and ranked.
  private var holdsUntilIngested = false
  /// Whether the first requests were marked in flight (the ingest's turn again).
  private var marked = false
  /// Seconds a live ingest lets the run's first writes go first, at most.
  public static let startPreference = 1.0
  /// Which stored answers stand in for buying: the configuration's policy for this job.
  private let reuse: ReuseDecision
  /// Which types wait for the email, and `--max-per`: `nil` when nothing is staged.
  private let stage: StageDecision?
  /// `--max-per`'s column in the job's header, until its groups are assigned.
  private var groupColumn: Int?

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
    self.reuse = configuration.reuse.decision(job: job)
    self.stage = configuration.stage.decision
    var system = SystemRandomNumberGenerator()
    self.machine = RunnerStateMachine(
      configuration: configuration, random: SeededRandom(seed: system.next()))
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
  ///   - credits: What `GET /credits` answered just before the run, if it was read:
  ///     its daily limit gates the run from the first request.
  /// - Returns: What the run did and how it ended.
  /// - Throws: `LeadsheetError` when the job is locked by another process, or
  ///   the database fails (disk full, read-only): committed work is kept.
  public func run(
    stop: StopSignal? = nil, progress: (@Sendable (RunProgress) -> Void)? = nil,
    credits: AccountAnswer? = nil
  ) async throws -> RunSummary {
    // Beside a live ingest, the writes up to the first requests marked in flight go
    // first: each would otherwise wait for one of the ingest's transactions.
    if ingest != nil { JobStore.preferWrites(for: Self.startPreference) }
    defer { if ingest != nil { JobStore.endWritePreference() } }
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
    // A job with a send order waits for its whole list: the ingest ranks the
    // requests in its last transaction, and the best row may be the last one.
    holdsUntilIngested = JobOptions(json: job.spec.options)?.orderBy != nil
    // --max-per groups requests by a column of their first row: also after the whole list.
    if let maxPer = config.stage.maxPer {
      groupColumn = try ColumnMapping.orderColumn(
        maxPer.column, in: job.spec.header, option: "--max-per")
      holdsUntilIngested = true
    }
    // A run held until the whole list is stored sends nothing before: the ingest goes on.
    if holdsUntilIngested, ingest != nil { JobStore.endWritePreference() }
    let recovered = try store.recoverInFlight(job: jobID, resend: config.resendInFlight)
    machine.recovered(inFlight: recovered, resent: config.resendInFlight)
    // Requests the API took (ids known) are polled, never sent again; those an
    // earlier run gave up polling (`--poll-timeout`) are polled again.
    try store.reopenSubmitted(job: jobID)
    // What the job spent before this run, under its model: the budget counts from there.
    // Without a budget it is read at the end instead (it reads every request: a
    // million-row job's first request should not wait for it).
    // Under per-number, the job's answers also tell how many numbers a phone may
    // hold: reservations start there, for the budget and the daily cap alike.
    let perNumberCap = config.dailyCredits != nil && config.billing.kind == .perNumber
    if config.maxCredits != nil || perNumberCap {
      let tally = try store.creditTally(job: jobID)
      machine.phoneNumbersSeen(tally.mostPhoneNumbers)
      if config.maxCredits != nil {
        creditsBefore = tally.spent(under: config.billing)
        machine.budgetStarts(spent: creditsBefore)
      }
    }
    // Today's spend over every job (an index of today's requests): only with a cap.
    let unixNow = Date().timeIntervalSince1970
    var spentToday = 0
    if config.dailyCredits != nil {
      let midnight = Double(DailyCap.dayNumber(unixNow)) * DailyCap.utcDay
      spentToday = try store.creditsSpent(finishedFrom: midnight, to: midnight + DailyCap.utcDay)
    }
    machine.dailyCapStarts(spentToday: spentToday, unixTime: unixNow, at: now())
    if let told = credits?.dailyLimit {
      machine.apiCreditsRead(
        limit: told.limit, usedToday: told.usedToday, resetAt: told.resetsAt, at: now())
    }
    // Claims left by a crash of this job go; the requests the API holds for it claim
    // their contacts again, so that another job waits for their answers.
    try store.releaseClaims(job: jobID)
    let submitted = try store.submittedRequests(job: jobID)
    try store.claimSubmitted(job: jobID, submitted)
    machine.resumeSubmitted(submitted, at: now())
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
    if let limit = machine.latencyLimit {
      logger.info(
        "latency window at the end of the run",
        metadata: ["latency_window": "\(limit)", "window": "\(machine.windowLimit)"])
    }
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
    guard totals == nil else { return }
    let counts = try store.requestCountsByState(job: jobID)
    totals = (
      max(0, (counts[.done] ?? 0) - machine.summary.finished - machine.summary.reusedRequests),
      counts.values.reduce(0, +)
    )
  }

  private func requestStop(_ cause: RunnerStateMachine.StopCause) {
    if machine.stop(cause) { logStop() }
    wake()
  }

  private func logStop() {
    if let cause = machine.stopping { logger.info("stopping", metadata: ["cause": "\(cause)"]) }
  }

  private func wake() {
    let w = waiter
    waiter = nil
    w?.resume()
  }

  /// Waits until an event arrives (an answer, a stop), or until `instant` passes.
  private func waitForEvent(until instant: Double?) async {
    var timer: Task<Void, Never>?
    if let instant {
      let delay = max(0.001, instant - now())
      timer = Task { [weak self] in
        try? await Task.sleep(for: .milliseconds(max(1, Int((delay * 1000).rounded(.up)))))
        await self?.wake()
      }
    }
    await withCheckedContinuation { waiter = $0 }
    timer?.cancel()
  }

  /// Carries out the machine's actions until it says the run is over.
  private func dispatchAll() async {
    await withDiscardingTaskGroup { group in
      while true {
        switch machine.nextAction(at: now()) {
        case .send(let work):
          let client = self.client
          group.addTask {
            let answer = await client.enrichTimed(work.request)
            await self.complete(work, answer)
          }
        case .call(let call):
          let client = self.client
          group.addTask {
            let answer: TimedEnrichAttempt
            switch call {
            case .send(let work): answer = await client.enrichTimed(work.request)
            case .submit(let work, let type):
              answer = await client.enrichTimed(work.narrowed(to: [type]).request)
            case .poll(_, _, let id): answer = await client.pollTimed(enrichmentID: id)
            }
            await self.completeCall(call, answer)
          }
        case .refill(let limit):
          // Sampled before the query: once the ingest has ended, an empty answer is final.
          let ingestEnded = ingest?.hasEnded ?? true
          do {
            let held = holdsUntilIngested && !ingestEnded
            if !held, let column = groupColumn {
              try store.assignGroups(
                job: jobID, column: column, limited: StagePolicy.stagedTypes)
              groupColumn = nil
            }
            let refill =
              held
              ? Refill()
              : try store.takeRequests(
                job: jobID, limit: limit, reuse: reuse, stage: stage,
                maxReused: RunnerStateMachine.maxReused(ingestEnded: ingestEnded))
            machine.refilled(refill, ingestEnded: ingestEnded)
          } catch {
            requestStop(.storage(Self.storageError(error)))
          }
        case .mark(let batch):
          do {
            try store.markInFlight(job: jobID, batch.map(\.id))
            if ingest != nil, !marked {
              marked = true
              JobStore.endWritePreference()
            }
            machine.marked(batch)
          } catch {
            requestStop(.storage(Self.storageError(error)))
          }
        case .wait(let until):
          await waitForEvent(until: until)
        case .readCredits:
          if let told = await client.credits().dailyLimit {
            machine.apiCreditsRead(
              limit: told.limit, usedToday: told.usedToday, resetAt: told.resetsAt, at: now())
          } else {
            machine.apiCreditsUnread()
          }
        case .waitForDailyReset(let pause):
          await sleepToReset(pause)
        case .finish:
          return
        }
      }
    }
  }

  /// Sleeps until the daily reset (wall clock, `wakeAt`), waking for a stop; the progress line
  /// shows the wait meanwhile. Then reads `GET /credits` (the API's new day).
  private func sleepToReset(_ pause: DailyPause) async {
    flush()
    var waiting = pause
    waiting.rowsLeft = (try? store.counts(job: jobID).rowsByStatus[.pending]) ?? 0
    waiting.estimateLeft =
      (try? store.creditTally(job: jobID).estimateLeft(under: config.billing)) ?? 0
    logger.info("waiting for the daily reset", metadata: ["reason": "\(pause.reason)"])
    dailyWait = waiting
    let started = now()
    while machine.stopping == nil {
      let left = pause.wakeAt - Date().timeIntervalSince1970
      if left <= 0 { break }
      await waitForEvent(until: now() + min(left, 1))
    }
    dailyWait = nil
    machine.dailyWaitEnded(seconds: now() - started)
    guard machine.stopping == nil else { return }
    if let told = await client.credits().dailyLimit {
      machine.apiCreditsRead(
        limit: told.limit, usedToday: told.usedToday, resetAt: told.resetsAt, at: now())
    }
  }

  private static func storageError(_ error: any Error) -> LeadsheetError {
    (error as? LeadsheetError) ?? LeadsheetError(.storage, "\(error)")
  }

  // MARK: - Answers

  private func complete(_ work: PendingRequest, _ answer: TimedEnrichAttempt) {
    let wasStopping = machine.stopping != nil
    let drops = machine.latencyLimit?.drops
    machine.answered(work, answer.attempt, latency: RetryWait.seconds(answer.latency), at: now())
    if !wasStopping && machine.stopping != nil { logStop() }
    if let limit = machine.latencyLimit, limit.drops != drops {
      logger.info(
        "latency grew with the window: in-flight window lowered",
        metadata: ["latency_window": "\(limit)", "in_flight": "\(machine.inFlight)"])
    }
    wake()
  }

  private func completeCall(_ call: Call, _ answer: TimedEnrichAttempt) {
    let wasStopping = machine.stopping != nil
    machine.callAnswered(
      call, answer.attempt, latency: RetryWait.seconds(answer.latency), at: now())
    if !wasStopping && machine.stopping != nil { logStop() }
    wake()
  }

  // MARK: - Committing

  /// Commits the outcomes, counters and pauses gathered since the last commit.
  private func flush() {
    guard var batch = machine.takeCommit() else { return }
    do {
      try store.recordOutcomes(job: jobID, batch.outcomes)
      batch.outcomes = []
      try store.addToRun(runID, batch.counters)
      batch.counters = RunCounters()
      while let pause = batch.pauses.first {
        try store.recordPause(run: runID, reason: pause.reason, seconds: pause.seconds)
        batch.pauses.removeFirst()
      }
    } catch {
      let wasStopping = machine.stopping != nil
      machine.commitFailed(unrecorded: batch, error: Self.storageError(error))
      if !wasStopping { logStop() }
      wake()
    }
  }

  private func snapshot() -> RunProgress {
    var p = machine.progress(
      at: now(), doneBefore: totals?.doneBefore ?? 0,
      total: max(totals?.requests ?? 0, ingest?.committed?.requests ?? 0))
    p.dailyWait = dailyWait
    return p
  }

  /// Puts unsent work back, commits, and sets the job's state from how the run ended.
  ///
  /// With a live ingest, waits for it first: Ctrl-C (or a storage error)
  /// stops it after its current chunk, leaving the job `ingesting` for
  /// `resume` to continue; any other end lets it store the rest.
  private func finish() async throws -> RunSummary {
    machine.drainUnsent()
    flush()
    // Requests not sent claim nothing: another job may buy their contacts.
    try? store.releaseClaims(job: jobID)
    var summary = machine.summary
    summary.seconds = machine.activeSeconds
    summary.creditsSpent = machine.creditsSpent
    summary.creditsSpentThisRun = machine.creditsSpent - creditsBefore
    if config.maxCredits == nil {
      // The machine counted this run only; the job's total comes from the store.
      summary.creditsSpentThisRun = machine.creditsSpent
      summary.creditsSpent =
        (try? store.creditTally(job: jobID).spent(under: config.billing)) ?? machine.creditsSpent
    }
    summary.maxCredits = config.maxCredits
    summary.billing = config.billing.kind
    let figures = machine.dailyFigures
    summary.dailyCredits = config.dailyCredits
    summary.apiDailyLimit = figures.apiLimit
    if figures.cap != nil { summary.creditsToday = figures.today }
    if let ingest {
      switch machine.stopping {
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
        if case .storage(let error)? = machine.stopping { throw error }
        summary.end = .interrupted
        return summary
      }
    }
    switch try machine.ending(unfinishedRequests: { try store.unfinishedRequests(job: jobID) }) {
    case .failed(let error):
      try? store.endRun(runID, reason: "storage error")
      throw error
    case .ended(var end, var state):
      if case .budgetReached(var pause) = end {
        // What is left, and what it should cost under the job's model.
        pause.rowsLeft = try store.counts(job: jobID).rowsByStatus[.pending] ?? 0
        pause.estimateLeft = try store.creditTally(job: jobID).estimateLeft(under: config.billing)
        end = .budgetReached(pause)
        state = .paused(reason: pause.reason)
      }
      if case .dailyCapReached(var pause) = end {
        pause.rowsLeft = try store.counts(job: jobID).rowsByStatus[.pending] ?? 0
        pause.estimateLeft = try store.creditTally(job: jobID).estimateLeft(under: config.billing)
        end = .dailyCapReached(pause)
      }
      _ = try store.setState(job: jobID, to: state)
      try store.endRun(runID, reason: state.description)
      summary.end = end
      if case .network? = machine.stopping { summary.apiUnreachable = true }
      return summary
    }
  }
}
