import JobStore

/// What has happened since the last group commit: outcomes, counters, pauses.
///
/// The runner commits it every `RunConfiguration.commitInterval` (250 ms) in one
/// transaction; `take()` hands the whole buffer out and empties it, and a failed
/// commit gives it back with `restore(_:)` so nothing is lost before the run stops.
public struct CommitBuffer: Sendable {
  /// One group commit's worth.
  public struct Batch: Sendable, Hashable {
    /// Outcomes to record, in the order they arrived.
    public var outcomes: [RequestOutcome] = []
    /// Counter deltas to add to the run.
    public var counters = RunCounters()
    /// Job-wide pauses to record: why, and for how long (seconds).
    public var pauses: [Pause] = []

    /// Whether there is nothing to commit.
    public var isEmpty: Bool { outcomes.isEmpty && counters == RunCounters() && pauses.isEmpty }
  }

  /// A job-wide pause: a 429 storm or an outage round.
  public struct Pause: Sendable, Hashable {
    /// Why: `rate limited (429 storm)` or `API unreachable`.
    public var reason: String
    /// How long, in seconds.
    public var seconds: Double
  }

  /// What is buffered now.
  public private(set) var pending = Batch()

  /// Buffers an outcome.
  mutating func add(_ outcome: RequestOutcome) { pending.outcomes.append(outcome) }

  /// Buffers a job-wide pause.
  mutating func addPause(_ reason: String, seconds: Double) {
    pending.pauses.append(Pause(reason: reason, seconds: seconds))
  }

  /// Counts a request sent.
  mutating func countSent() { pending.counters.requestsSent += 1 }
  /// Counts a retry.
  mutating func countRetry() { pending.counters.retries += 1 }
  /// Counts a 429.
  mutating func countRateLimited() { pending.counters.rateLimited += 1 }

  /// An empty buffer.
  public init() {}

  /// Hands out everything buffered, or `nil` when there is nothing.
  mutating func take() -> Batch? {
    guard !pending.isEmpty else { return nil }
    defer { pending = Batch() }
    return pending
  }

  /// Gives back a batch whose commit failed, ahead of what arrived since.
  mutating func restore(_ batch: Batch) {
    pending.outcomes.insert(contentsOf: batch.outcomes, at: 0)
    pending.counters.requestsSent += batch.counters.requestsSent
    pending.counters.retries += batch.counters.retries
    pending.counters.rateLimited += batch.counters.rateLimited
    pending.pauses.insert(contentsOf: batch.pauses, at: 0)
  }
}
