import JobStore
import LeadsheetCore
import ProntoClient

/// Every decision of a run, as a value type: events in, actions out, no I/O, no clock.
///
/// The runner actor (`JobRunner`) asks `nextAction(at:)` what to do, does it
/// (reads or writes the store, sends a request, sleeps), and reports what
/// happened as an event. Time is a `Double` of seconds passed in with each
/// call, so tests drive a run with a fake clock and no sockets, in the style of
/// async-http-client's `HTTPConnectionPool.StateMachine`.
///
/// It owns:
/// - the request queue and retries (`RequestQueue`), with one wait formula for
///   transient failures, 429s and outages (`RetryWait`);
/// - the gate a request passes to leave: the in-flight window, then the token
///   bucket, with the adaptive pace (`SendGate`);
/// - the commit buffer of outcomes, counters and pauses (`CommitBuffer`);
/// - the run statistics (`RunStatistics`);
/// - the credit budget (`CreditBudget`): a request is marked in flight only when its
///   worst case fits in `--max-credits`, counting what the job spent and what is in
///   flight;
/// - the daily cap (`DailyCap`): leadsheet's `--daily-credits` over every job and the
///   API's daily limit gate marking the same way; at the cap the run pauses
///   (`.dailyCapReached`) or, with `--wait`, sleeps to the reset
///   (`.waitForDailyReset`);
/// - how the run stops and ends (`StopCause`, `ending(unfinishedRequests:)`).
///
/// A run goes through three phases:
///
/// | phase | valid transitions |
/// |---|---|
/// | dispatching | `nextAction` gives `refill`, `mark`, `send` or `wait`; a stop event → stopping; no work left and nothing in flight → `finish(nil)` |
/// | stopping | `nextAction` gives only `wait(until: nil)` while requests are in flight, then `finish(cause)` |
/// | finished | `drainUnsent()`, the last commit, `ending(unfinishedRequests:)` |
///
///     var machine = RunnerStateMachine(configuration: config, random: SeededRandom(seed: 1))
///     switch machine.nextAction(at: clock.now) {
///     case .send(let work): … machine.answered(work, attempt, latency: 0.8, at: clock.now)
///     …
///     }
public struct RunnerStateMachine: Sendable {
  /// Pending requests read from the store at a time.
  public static let refillBatch = 500
  /// Requests are marked in flight this many seconds' worth at a time (about four
  /// mark commits per second): after a crash at most that many are "possibly billed"
  /// without having left.
  public static let markSpan = 0.25
  /// Requests marked at a time when the rate is unlimited (`--rate 0`).
  public static let unlimitedMarkBatch = 100
  /// How often to look again for requests while the ingest is still storing rows (seconds).
  public static let ingestPollInterval = 0.05

  let configuration: RunConfiguration
  let waits: RetryWait
  var random: SeededRandom

  var queue = RequestQueue()
  var gate: SendGate
  var buffer = CommitBuffer()
  var statistics = RunStatistics()
  /// The job's billing model (`configuration.billing`), its phone reservation raised
  /// when an answer holds more numbers than it assumed (`per-number`).
  private(set) var billing: BillingModel
  /// What the job spent and has in flight, against `--max-credits`.
  var budget: CreditBudget
  /// What was spent today and is in flight, against `--daily-credits` and the API's
  /// daily limit.
  var daily: DailyCap
  /// The wall clock (Unix seconds) minus the run's clock: the daily cap's days are
  /// wall-clock days.
  var wallOffset = 0.0
  /// A `readCredits` was asked and not answered yet.
  var creditsReadAsked = false
  /// Set by the first stop event; later ones do not replace it.
  private(set) var stopCause: StopCause?

  /// The current outage: since when the API has been unreachable (the send time of
  /// the first failed attempt), how many rounds it has backed off, and when the
  /// current round's retries are due (failures of requests already in flight join
  /// that round instead of lengthening the backoff once each).
  struct Outage: Sendable, Hashable {
    var since: Double
    var rounds = 0
    var retryAt: Double?
  }
  var outage: Outage?

  /// Requests whose parts are bought one call each or polled by id (async mode,
  /// pending answers, requests with a ledger from an earlier run), by id.
  var awaiting: [Int64: AwaitedRequest] = [:]
  /// Submissions and polls waiting for their time.
  var calls: [ScheduledCall] = []
  /// When to poll, learned from the answers.
  var polling: PollSchedule

  /// Creates the machine of one run.
  ///
  /// - Parameters:
  ///   - configuration: Rate, window, retries, `--give-up-after`, `--limit`.
  ///   - random: The jitter's source (seeded from the system by the runner, fixed in tests).
  public init(configuration: RunConfiguration, random: SeededRandom) {
    self.configuration = configuration
    self.waits = RetryWait(backoff: configuration.backoff)
    self.random = random
    self.gate = SendGate(configuration: configuration)
    self.polling = PollSchedule(timeout: configuration.pollTimeout)
    self.billing = configuration.billing
    self.budget = CreditBudget(limit: configuration.maxCredits)
    self.daily = DailyCap(limit: configuration.dailyCredits, at: 0)
  }

  // MARK: - Reading the state

  /// The figures of the run so far.
  public var summary: RunSummary { statistics.summary }
  /// Requests in flight now.
  public var inFlight: Int { gate.inFlight }
  /// The in-flight window's current limit (the 429 window or the latency limit).
  public var windowLimit: Int { gate.limit }
  /// The latency-driven limit, unless `--no-latency-window`.
  public var latencyLimit: LatencyLimit? { gate.latency }
  /// The pace aimed at now, in requests per second.
  public var currentRate: Double { gate.bucket.rate }
  /// Why the run is stopping, once a stop event arrived.
  public var stopping: StopCause? { stopCause }
  /// Credits the job has spent (earlier runs and this one's answers), under its model.
  public var creditsSpent: Int { budget.spent }
  /// The worst case of the requests in flight or submitted, not answered yet.
  public var creditsCommitted: Int { budget.committed }
  /// Requests waiting to be sent again, and when the first is due.
  public var waitingRetries: (count: Int, nextDue: Double?) {
    (queue.retries.count, queue.nextRetryDue)
  }

  /// How many requests to mark in one commit.
  var markBatch: Int {
    configuration.rate > 0
      ? max(1, Int(configuration.pacedRate * Self.markSpan)) : Self.unlimitedMarkBatch
  }

  // MARK: - Dispatching

  /// What the runner should do now.
  ///
  /// Order: a retry whose time has come, else the next marked request, else mark
  /// more, else read more from the store; a request leaves only when the window has
  /// room and the bucket a slot. Requests are marked only as far as their worst case
  /// fits in the credit budget; when the next one does not fit, nothing more is
  /// marked, and once nothing is in flight the run stops (`.budgetReached`).
  public mutating func nextAction(at now: Double) -> Action {
    if let stopCause {
      return gate.inFlight > 0 ? .wait(until: nil) : .finish(stopCause)
    }
    daily.roll(to: wall(now))
    if daily.needsAPIRead && !creditsReadAsked {
      creditsReadAsked = true
      return .readCredits
    }
    // The API refused the day (a daily-limit 422): nothing more leaves before the reset.
    if daily.isClosed {
      if gate.inFlight > 0 { return .wait(until: nil) }
      if queue.isEmpty && calls.isEmpty && awaiting.isEmpty {
        if queue.storeExhausted { return .finish(nil) }
        if queue.needsRefill(at: now, ingestPoll: Self.ingestPollInterval) {
          queue.refillStarted(at: now)
          return .refill(limit: Self.refillBatch)
        }
      }
      let next = queue.peekMarked() ?? queue.retries.first?.work ?? queue.unmarked.first
      return dailyCapReached(nextCost: next.map(worstCase) ?? 0, at: now)
    }
    guard gate.windowOpen else { return .wait(until: nil) }
    if let action = dueCall(at: now) { return action }
    if queue.peekDue(at: now) != nil {
      if let delay = gate.reserve(at: now) { return .wait(until: now + delay) }
      return send(queue.popDue(at: now)!, at: now)
    }
    while let work = queue.peekMarked(), needsParts(work) {
      _ = queue.popMarked()
      begin(work, at: now)
      if let action = dueCall(at: now) { return action }
    }
    if !queue.marked.isEmpty {
      if let delay = gate.reserve(at: now) { return .wait(until: now + delay) }
      return send(queue.popMarked()!, at: now)
    }
    var room = Int.max
    if let limit = configuration.limit {
      room = limit - queue.distinctMarked
      if room <= 0 { queue.limitReached() }
    }
    var overBudget: Int?
    var overDaily: Int?
    if room > 0 {
      if !queue.unmarked.isEmpty {
        let batch = queue.toMark(min(markBatch, room))
        let costs = batch.map(worstCase)
        let withinBudget = budget.fitting(costs)
        let fitting = min(withinBudget, daily.fitting(costs))
        if fitting > 0 { return .mark(Array(batch.prefix(fitting))) }
        if withinBudget == 0 { overBudget = costs[0] } else { overDaily = costs[0] }
      } else if queue.needsRefill(at: now, ingestPoll: Self.ingestPollInterval) {
        queue.refillStarted(at: now)
        return .refill(limit: Self.refillBatch)
      }
    }
    if gate.inFlight == 0 && queue.retries.isEmpty && !queue.waitingForIngest && calls.isEmpty
      && awaiting.isEmpty
    {
      // Every reservation is settled and the next request still does not fit.
      if let overBudget {
        stop(.budgetReached(nextWorstCase: overBudget))
        return .finish(stopCause)
      }
      if let overDaily { return dailyCapReached(nextCost: overDaily, at: now) }
      return .finish(nil)
    }
    var due = [queue.nextRetryDue, nextCallDue].compactMap { $0 }.min()
    // Rows are still being stored: look again for newly committed requests.
    if queue.waitingForIngest {
      due = min(due ?? .infinity, queue.lastRefill + Self.ingestPollInterval)
    }
    return .wait(until: due)
  }

  mutating func send(_ work: PendingRequest, at now: Double) -> Action {
    statistics.sent(at: now)
    gate.sent(work.id)
    buffer.countSent()
    return .send(work)
  }

  // MARK: - Store events

  /// The most requests one refill may finish from the contact store: 100 while the
  /// ingest still writes the job, `JobStore.maxReusedPerRefill` once it has ended.
  public static func maxReused(ingestEnded: Bool) -> Int {
    ingestEnded ? JobStore.maxReusedPerRefill : 100
  }

  /// The store answered `refill` with `batch`; `ingestEnded` was sampled before the
  /// query (once the ingest has ended, an empty answer means no more work).
  public mutating func refilled(_ batch: [PendingRequest], ingestEnded: Bool) {
    queue.refilled(batch, ingestEnded: ingestEnded, waiting: false)
  }

  /// The store answered `refill` with `refill` (see `JobStore.takeRequests`): requests
  /// to send, requests it finished from the contact store, and whether some wait for
  /// a contact another request is buying (then an empty answer is not the end: the
  /// machine looks again soon, as while the ingest stores rows).
  ///
  /// While the list is still being stored, rows the contact store answers are finished
  /// a few at a time (`maxReused(ingestEnded:)`), one refill per `ingestPollInterval`:
  /// a refill that stopped early is not asked again at once, so the ingest's own
  /// transactions come first (creating the job is what the user waits for).
  public mutating func refilled(_ refill: Refill, ingestEnded: Bool) {
    queue.refilled(
      refill.requests, ingestEnded: ingestEnded, waiting: refill.waiting || refill.more,
      more: refill.more && ingestEnded)
    statistics.summary.reusedRequests += refill.reusedRequests
    statistics.summary.reusedFound += refill.reusedFound
    for (type, n) in refill.reusedTypes {
      statistics.summary.reusedTypes[type, default: 0] += n
    }
    for (type, n) in refill.skippedTypes {
      statistics.summary.skippedTypes[type, default: 0] += n
      statistics.summary.creditsSparedByStages += n * billing.worstCase(types: [type])
    }
    for answers in refill.reused {
      statistics.summary.creditsSavedByReuse += billing.cost(
        of: answers.types, answer: answers.merged(into: nil))
    }
  }

  /// The store committed `mark`'s requests as in flight: their worst case is reserved.
  public mutating func marked(_ batch: [PendingRequest]) {
    for work in batch { reserve(work) }
    queue.marked(batch)
  }

  // MARK: - Credits

  /// What the job spent before this run, under its billing model: call before
  /// `resumeSubmitted` and the first `nextAction`.
  public mutating func budgetStarts(spent: Int) {
    budget = CreditBudget(limit: configuration.maxCredits, spent: spent)
  }

  /// An earlier answer of the job held `phoneNumbers` numbers: under `per-number`,
  /// phones are reserved at that many at least (`BillingModel.learning`). Call
  /// before the first reservation.
  public mutating func phoneNumbersSeen(_ phoneNumbers: Int) {
    billing = billing.learning(phoneNumbers: phoneNumbers)
  }

  /// The most `work` can cost: its types' full sum (phones at the most numbers
  /// assumed or seen under `per-number`).
  func worstCase(_ work: PendingRequest) -> Int {
    billing.worstCase(types: work.request.enrichmentType)
  }

  /// Holds `work`'s worst case in the budget and the daily cap until it is answered.
  mutating func reserve(_ work: PendingRequest) {
    let worst = worstCase(work)
    let perNumber = billing.perExtraNumber(types: work.request.enrichmentType)
    budget.reserve(work.id, worst: worst, perNumber: perNumber)
    daily.reserve(work.id, worst: worst, perNumber: perNumber)
  }

  /// Request `id`, asking for `types`, has its final outcome `result`: its
  /// reservation becomes what it cost under the job's model.
  mutating func settleCredits(_ id: Int64, types: [EnrichmentType], _ result: RequestOutcome.Result)
  {
    switch result {
    case .response(let response, _):
      let findings = AnswerFindings(response)
      let cost = billing.cost(of: types, answer: findings)
      budget.settle(id, actual: cost)
      daily.settle(id, actual: cost)
      if types.contains(.phone) {
        // More numbers than assumed: every phone still held may hold as many.
        let assumed = billing.phoneNumbersAtMost
        billing = billing.learning(phoneNumbers: findings.phoneNumbers)
        let extra = billing.phoneNumbersAtMost - assumed
        budget.raise(extraNumbers: extra)
        daily.raise(extraNumbers: extra)
      }
    case .failed(let errorClass, _):
      let billed = BillingModel.mayHaveBeenBilled(errorClass: errorClass)
      let cost = billed ? billing.worstCase(types: types) : 0
      budget.settle(id, actual: cost)
      daily.settle(id, actual: cost)
    case .retryLater, .submitted:
      break
    }
  }

  /// The store failed: the run stops, keeping what was committed.
  public mutating func storageFailed(_ error: LeadsheetError) { stop(.storage(error)) }

  // MARK: - Stops

  /// Asks the run to stop: nothing new is sent, requests in flight finish.
  ///
  /// The first cause is kept. Returns whether this call started the stop.
  @discardableResult
  public mutating func stop(_ cause: StopCause) -> Bool {
    guard stopCause == nil else { return false }
    stopCause = cause
    return true
  }

  // MARK: - Commits

  /// Everything to commit since the last group commit, or `nil` when there is nothing.
  public mutating func takeCommit() -> CommitBuffer.Batch? { buffer.take() }

  /// Part of a commit failed: the run stops.
  ///
  /// `unrecorded` is what was not written; it goes back into the buffer.
  public mutating func commitFailed(unrecorded: CommitBuffer.Batch, error: LeadsheetError) {
    buffer.restore(unrecorded)
    stop(.storage(error))
  }
}
