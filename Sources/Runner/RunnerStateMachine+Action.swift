import JobStore
import LeadsheetCore
import ProntoClient

extension RunnerStateMachine {
  /// What the runner actor must do next; it reports back with the matching event.
  ///
  /// The enum is meant to grow: asynchronous submissions would add `submit` (with a
  /// `submitted` state between `send` and the answer) and `poll(id, at:)` on a poll
  /// schedule; staged requests a `stage`; budgets end a run through `finish` with a
  /// new `StopCause`.
  public enum Action: Sendable, Hashable {
    /// Send this request now; report with `answered(_:_:latency:at:)`.
    case send(PendingRequest)
    /// Make this call now (an async submission or a poll); report with
    /// `callAnswered(_:_:latency:at:)`.
    case call(Call)
    /// Read up to `limit` pending requests from the store; report with
    /// `refilled(_:ingestEnded:)` (or `storageFailed(_:)`).
    case refill(limit: Int)
    /// Commit these requests as in flight before any is sent; report with
    /// `marked(_:)` (or `storageFailed(_:)`).
    case mark([PendingRequest])
    /// Nothing to do before `until` (seconds on the run's clock), or before the next
    /// event when `nil`; then ask again.
    case wait(until: Double?)
    /// Read `GET /credits` now (the API's day ended); report with
    /// `apiCreditsRead(limit:usedToday:resetAt:)` or `apiCreditsUnread()`.
    case readCredits
    /// A daily cap is reached, nothing is in flight, and `--wait` was given: sleep
    /// until `pause.wakeAt` (wall clock), read `GET /credits`, then report with
    /// `dailyWaitEnded(seconds:)` and ask again. A stop event ends the sleep.
    case waitForDailyReset(DailyPause)
    /// Dispatching is over and nothing is in flight: put back the unsent requests
    /// (`drainUnsent()`), commit, and end the run with `ending(unfinishedRequests:)`.
    /// `nil`: every request was sent and answered (or `--limit` was reached).
    case finish(StopCause?)
  }

  /// Why a run stopped before running out of work.
  public enum StopCause: Sendable, Hashable, CustomStringConvertible {
    /// Ctrl-C or SIGTERM.
    case interrupted
    /// The API refused the job as a whole (key, consent, credits, base URL).
    case jobStop(JobStopReason)
    /// The API could not be reached for this many seconds (past `--give-up-after`).
    case network(seconds: Double)
    /// The job database failed.
    case storage(LeadsheetError)
    /// The credit budget (`--max-credits`) is reached: the next request's worst case
    /// does not fit in what is left.
    case budgetReached(nextWorstCase: Int)
    /// A daily cap is reached (leadsheet's `--daily-credits` or the API's limit) and
    /// `--wait` was not given.
    case dailyCapReached(DailyPause)

    /// A short description for the log.
    public var description: String {
      switch self {
      case .interrupted: "interrupted"
      case .jobStop(let reason): "job stop: \(reason.label)"
      case .network(let seconds): "network: unreachable for \(Int(seconds)) s"
      case .storage(let error): "storage: \(error)"
      case .budgetReached(let worst): "budget reached (next request: up to \(worst) credits)"
      case .dailyCapReached(let pause): "daily cap: \(pause.reason)"
      }
    }
  }

  /// How a run ends: what the command prints and the state the job is left in.
  public enum Ending: Sendable, Hashable {
    /// The run ended normally or on a stop: `end` for the summary, `state` for the job.
    case ended(RunEnd, JobState)
    /// The database failed: the run ends with this error (committed work is kept).
    case failed(LeadsheetError)
  }
}
