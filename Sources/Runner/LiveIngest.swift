import Foundation
import JobStore

/// A job being stored on its own thread while the caller goes on (and runs it).
///
/// Made by `JobBuilder.start(...)` or `JobBuilder.continueIngest(...)`. The
/// job stays `ingesting` until the last row is committed; the runner works
/// on the chunks already committed meanwhile (`JobRunner`), and waits for
/// `outcome()` before it settles the job's state. A crash leaves the job
/// `ingesting` with whole chunks: `leadsheet resume` continues it.
public final class LiveIngest: @unchecked Sendable {
  /// How an ingest ended.
  public enum Outcome: Sendable {
    /// Every row is stored; the job is `running`.
    case finished(JobBuilder.Result)
    /// Stopped by `cancel()` after its last committed chunk; the job is still `ingesting`.
    case suspended
    /// Stopped by an error; the job is `failed`.
    case failed(any Error)
  }

  /// The job as created (state `ingesting`).
  public let job: Job
  private let condition = NSCondition()
  private var stored: IngestSummary?
  private var ending: Outcome?
  private var cancelled = false

  init(job: Job) { self.job = job }

  /// Asks the ingest to stop after its current chunk, leaving the job `ingesting`.
  public func cancel() {
    condition.withLock {
      cancelled = true
      condition.broadcast()
    }
  }

  /// Whether `cancel()` was called.
  var isCancelled: Bool { condition.withLock { cancelled } }

  /// What is committed so far (`nil` before the first commit).
  public var committed: IngestSummary? { condition.withLock { stored } }

  /// Whether the ingest has ended (finished, suspended or failed).
  public var hasEnded: Bool { condition.withLock { ending != nil } }

  /// Blocks until the first commit or the end.
  func waitForFirstCommit() {
    condition.lock()
    while stored == nil && ending == nil { condition.wait() }
    condition.unlock()
  }

  /// Blocks until the ingest ends.
  public func outcome() -> Outcome {
    condition.lock()
    defer { condition.unlock() }
    while ending == nil { condition.wait() }
    return ending!
  }

  /// Waits, without blocking a thread of the concurrency pool, until the ingest ends.
  public func outcome() async -> Outcome {
    while true {
      if let ending = condition.withLock({ ending }) { return ending }
      try? await Task.sleep(for: .milliseconds(20))
    }
  }

  func didCommit(_ summary: IngestSummary) {
    condition.withLock {
      stored = summary
      condition.broadcast()
    }
  }

  func end(_ outcome: Outcome) {
    condition.withLock {
      ending = outcome
      condition.broadcast()
    }
  }
}
