import JobStore
import LeadsheetCore
import ProntoClient

extension RunnerStateMachine {
  /// Puts back every request that was marked but not sent, or waits as a retry.
  ///
  /// Each is buffered as `retryLater` ("stopped"), so that the last commit puts it
  /// back to `pending`. Returns how many went back.
  @discardableResult
  public mutating func drainUnsent() -> Int {
    let back = queue.drainUnsent().filter { awaiting[$0.id] == nil }
    for work in back {
      budget.release(work.id)
      daily.release(work.id)
      buffer.add(
        RequestOutcome(requestID: work.id, result: .retryLater(errorClass: "stopped", message: "")))
    }
    return back.count + drainAwaiting().count
  }

  /// How the run ends, once dispatching is over and the last commit is done.
  ///
  /// | stop | end | job state |
  /// |---|---|---|
  /// | none, no unfinished request | `done` | `done` |
  /// | none, `--limit` set | `limitReached` | paused: `--limit N reached` |
  /// | none, requests left | `paused` (resume) | paused |
  /// | Ctrl-C / SIGTERM | `interrupted` | paused: interrupted |
  /// | key, consent, credits, base URL | `paused` with the reason's remedy | paused |
  /// | API unreachable | `paused` (check the network) | paused |
  /// | `--max-credits` reached | `budgetReached` (resume with a higher budget) | paused: budget reached |
  /// | a daily cap reached, no `--wait` | `dailyCapReached` (resume after the reset) | paused: daily cap reached |
  /// | database failure | the error | unchanged |
  ///
  /// - Parameter unfinishedRequests: Requests of the job not done, read after the last
  ///   commit (only asked when the run was not stopped).
  public func ending(unfinishedRequests: () throws -> Int) rethrows -> Ending {
    switch stopCause {
    case .storage(let error)?:
      return .failed(error)
    case .interrupted?:
      return .ended(.interrupted, .paused(reason: "interrupted"))
    case .jobStop(let reason)?:
      return .ended(
        .paused(reason: reason.sentence, remedy: reason.remedy),
        .paused(reason: reason.sentence))
    case .budgetReached(let worst)?:
      let pause = BudgetPause(
        spent: budget.spent, limit: configuration.maxCredits ?? budget.spent,
        nextWorstCase: worst)
      return .ended(.budgetReached(pause), .paused(reason: pause.reason))
    case .dailyCapReached(let pause)?:
      return .ended(.dailyCapReached(pause), .paused(reason: pause.reason))
    case .network(let seconds)?:
      let text = "the API was unreachable for \(Int(seconds)) s"
      return .ended(
        .paused(reason: text, remedy: "check the network connection, then resume the job"),
        .paused(reason: text))
    case nil:
      if try unfinishedRequests() == 0 { return .ended(.done, .done) }
      if let limit = configuration.limit {
        return .ended(.limitReached(limit), .paused(reason: "--limit \(limit) reached"))
      }
      return .ended(
        .paused(reason: "requests left unfinished", remedy: "resume the job"),
        .paused(reason: "requests left unfinished"))
    }
  }

  /// A progress snapshot at `now`.
  ///
  /// - Parameters:
  ///   - doneBefore: Requests done before this run.
  ///   - total: Distinct requests in the job, as far as known.
  public func progress(at now: Double, doneBefore: Int, total: Int) -> RunProgress {
    let s = statistics.summary
    var p = RunProgress(
      requestsDone: doneBefore + s.finished + s.reusedRequests, requestsTotal: total,
      found: s.found + s.reusedFound,
      retries: s.retries, rateLimited: s.rateLimited, inFlight: gate.inFlight,
      ratePerSecond: statistics.ratePerSecond(at: now), elapsed: now,
      creditsSpent: budget.spent, maxCredits: configuration.maxCredits)
    p.creditsToday = daily.limit != nil ? daily.spentToday : daily.api?.used ?? 0
    p.dailyCap = daily.limit ?? daily.api?.limit
    p.unixTime = wall(now)
    return p
  }

  /// Seconds from the first request sent to the last answer.
  public var activeSeconds: Double { statistics.activeSeconds }

  /// Notes what `recoverInFlight` found at the start of the run.
  public mutating func recovered(inFlight: Int, resent: Bool) {
    statistics.summary.recoveredInFlight = inFlight
    statistics.summary.resentInFlight = resent
  }
}
