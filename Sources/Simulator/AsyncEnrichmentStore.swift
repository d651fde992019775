import Foundation

/// The asynchronous enrichments submitted, and when each one's result is ready.
///
/// A value type with the time passed in: `pending` until the latency drawn at
/// submission has passed, then `finished`. Bodies are stored as JSON bytes.
struct AsyncEnrichmentStore: Sendable {
  /// One submission.
  struct Entry: Sendable, Hashable {
    /// The account (1-based key index) that submitted it: only it may read it.
    var account: Int
    /// When the result is ready.
    var readyAt: ContinuousClock.Instant
    /// The body while pending.
    var pending: Data
    /// The body once finished.
    var finished: Data
  }

  /// What `GET /contacts/{id}` finds.
  enum Lookup: Sendable, Hashable {
    /// No such id for this account: 404.
    case unknown
    /// Still working: the pending body.
    case pending(Data)
    /// Done: the finished body.
    case finished(Data)
  }

  private var entries: [String: Entry] = [:]

  /// Submissions stored.
  var count: Int { entries.count }

  /// Stores a submission under its id.
  mutating func submit(id: String, _ entry: Entry) { entries[id] = entry }

  /// The state of `id` for `account` at `now`.
  func lookup(id: String, account: Int, now: ContinuousClock.Instant) -> Lookup {
    guard let entry = entries[id.lowercased()], entry.account == account else { return .unknown }
    return now >= entry.readyAt ? .finished(entry.finished) : .pending(entry.pending)
  }
}
