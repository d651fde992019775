import LeadsheetCore

/// The life of a job, as a value: the states and the transitions allowed between them.
///
///     ingesting ──► running ◄──► paused(reason)
///         │            │  ▲          │
///         │            ▼  │          │
///         │          done ┘          │
///         ▼            ▼             ▼
///      failed(reason) ◄──────────────┘
///
/// (`failed` and `done` go back to `running` on `--retry-failed` or `resume`.)
/// The store refuses any other transition (`JobStore.setState(job:to:)`), so a
/// bug in the runner cannot, say, resume a job whose ingest never finished.
public enum JobState: Sendable, Hashable, CustomStringConvertible {
  /// Rows are being read into the job; only the process storing them may
  /// send the requests of chunks already committed (`enrich` starts at once).
  ///
  /// Valid transitions are:
  /// - to `running` when the last row is committed;
  /// - to `failed` when the input cannot be read to the end. A job found in
  ///   this state after a crash or Ctrl-C is incomplete: `resume` continues
  ///   its ingest (same input bytes only), or it can be purged.
  case ingesting

  /// The job has work to do and is being (or about to be) worked on.
  ///
  /// A crash leaves a job `running` with a stale lock; `resume` carries on.
  /// Valid transitions are:
  /// - to `paused` (credits exhausted, Ctrl-C, network gone, too many 429s);
  /// - to `done` when every row has a final outcome;
  /// - to `failed` on an error that stops the job (bad API key, disk full).
  case running

  /// Stopped on purpose or by a condition the user can fix; `reason` says which.
  ///
  /// Valid transitions are:
  /// - to `running` on `resume`;
  /// - to `failed` when the user gives up on it.
  case paused(reason: String)

  /// Every row has a final outcome.
  ///
  /// Valid transitions are:
  /// - to `running` on `--retry-failed` (failed requests go back to pending).
  case done

  /// Stopped by an error; `reason` says which.
  ///
  /// Valid transitions are:
  /// - to `running` on `resume` or `--retry-failed`, except for a job whose
  ///   ingest never finished (`failed` from `ingesting` stays failed: see
  ///   `JobStore.setState(job:to:)`).
  case failed(reason: String)

  /// The state's name as stored (`ingesting`, `running`, `paused`, `done`, `failed`).
  public var name: String {
    switch self {
    case .ingesting: "ingesting"
    case .running: "running"
    case .paused: "paused"
    case .done: "done"
    case .failed: "failed"
    }
  }

  /// The reason of `paused` and `failed`, `nil` otherwise.
  public var reason: String? {
    switch self {
    case .paused(let reason), .failed(let reason): reason
    default: nil
    }
  }

  /// Rebuilds a state from its stored name and reason; `nil` for an unknown name.
  public init?(name: String, reason: String?) {
    switch name {
    case "ingesting": self = .ingesting
    case "running": self = .running
    case "paused": self = .paused(reason: reason ?? "")
    case "done": self = .done
    case "failed": self = .failed(reason: reason ?? "")
    default: return nil
    }
  }

  /// Whether a job in this state may move to `next` (the list in each case's doc comment).
  ///
  /// Moving to the same state is refused except `paused → paused` and
  /// `failed → failed`, which only change the reason.
  public func canTransition(to next: JobState) -> Bool {
    switch (self, next) {
    case (.ingesting, .running), (.ingesting, .failed): true
    case (.running, .paused), (.running, .done), (.running, .failed): true
    case (.paused, .running), (.paused, .paused), (.paused, .failed): true
    case (.done, .running): true
    case (.failed, .running), (.failed, .failed): true
    default: false
    }
  }

  /// Moves to `next`.
  ///
  /// - Throws: `LeadsheetError(.usage)` naming both states when the
  ///   transition is not allowed.
  public mutating func transition(to next: JobState) throws {
    guard canTransition(to: next) else {
      throw LeadsheetError(
        .usage, "a job that is \(self) cannot become \(next.name)",
        hint: hint(for: next))
    }
    self = next
  }

  private func hint(for next: JobState) -> String? {
    switch (self, next) {
    case (.ingesting, _): "the job's input was not fully stored: leadsheet resume continues it"
    case (.done, _): "the job is finished: use --retry-failed to retry its failed rows"
    default: nil
    }
  }

  /// The name with its reason: `paused (credits exhausted)`.
  public var description: String {
    if let reason, !reason.isEmpty { return "\(name) (\(reason))" }
    return name
  }
}

/// The state of a chunk: a run of consecutive rows (100 by default) worked on together.
///
/// A chunk's state is derived from its rows and kept in the `chunks` table so
/// that progress (`chunks done / total`) is one cheap query.
public enum ChunkState: String, Sendable, Hashable, CaseIterable {
  /// No request of the chunk has been sent yet.
  ///
  /// Valid transitions are:
  /// - to `running` when a request of one of its rows is marked in flight;
  /// - to `done` at ingest when none of its rows needs a request (all invalid
  ///   or skipped), or when the requests its rows share with earlier chunks
  ///   all finish.
  case pending

  /// Some requests of the chunk were sent; some rows lack a final outcome.
  ///
  /// Valid transitions are:
  /// - to `done` when the last of its rows gets a final outcome.
  ///   (Requests put back to pending after a crash or a transient failure
  ///   leave the chunk `running`.)
  case running

  /// Every row of the chunk has a final outcome (found, not found, failed,
  /// invalid or skipped).
  ///
  /// Valid transitions are:
  /// - to `pending` on `--retry-failed` when one of its rows failed.
  case done
}

/// The state of a request: one API call, shared by every row with the same `contactKey`.
///
///     pending ──markInFlight──► inFlight ──recordOutcomes──► done
///        ▲                        │  (found / not_found / failed)
///        └──── transient failure, ┘
///              recoverInFlight(resend: true), resetFailed (from done+failed)
public enum RequestState: String, Sendable, Hashable, CaseIterable {
  /// Not sent yet, or to be sent again.
  ///
  /// Valid transitions are:
  /// - to `inFlight`, committed *before* the request is sent.
  case pending

  /// Committed as about to be sent: it may have been billed.
  ///
  /// Valid transitions are:
  /// - to `done` with its outcome;
  /// - to `pending` after a transient failure (429, 5xx, timeout), or after a
  ///   crash with `recoverInFlight(resend: true)`;
  /// - to `done` as failed ("interrupted: may have been billed") after a
  ///   crash with `recoverInFlight(resend: false)`.
  case inFlight

  /// Taken by the API, which gave an enrichment id for every part not answered yet:
  /// it may be billed and is never sent again; its ids are polled (`GET /contacts/{id}`),
  /// also by `resume` after a crash.
  ///
  /// Valid transitions are:
  /// - to `done` with its outcome (answered, or `failed` as still pending at
  ///   `--poll-timeout`, which the next run puts back here to poll again).
  case submitted

  /// Has its final outcome: `found`, `not_found` or `failed`.
  ///
  /// Valid transitions are:
  /// - to `pending` on `--retry-failed`, only when the outcome is `failed`.
  case done
}
