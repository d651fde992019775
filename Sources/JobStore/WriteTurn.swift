import CSQLite
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Takes turns at SQLite's single write lock between a live ingest and the other
/// connections of the same process (the runner sending the first requests).
///
/// An ingest holds the write lock for a transaction at a time and begins the
/// next one microseconds after its commit. A connection waiting with SQLite's
/// plain busy timeout sleeps and polls, and would nearly always find the lock
/// taken again: it could wait out its 5 s and fail. So every connection
/// gets `busyHandler` instead: while an ingest of this process holds a
/// transaction, a waiting connection sleeps until that commit; and the
/// ingest, before its next `BEGIN`, lets such waiters go first. Waits on
/// other processes keep SQLite's behaviour (sleep and retry for 5 s).
final class WriteTurn: @unchecked Sendable {
  /// The one instance of the process.
  static let shared = WriteTurn()

  private let condition = NSCondition()
  private var ingesting = 0
  private var waiters = 0
  private var lastWaiterLeft = 0.0
  /// Until when (monotonic seconds) the ingest lets the other connections write first.
  private var preferredUntil = 0.0

  /// Called by an ingest before `BEGIN`: waits (at most 1 s) while other connections wait.
  ///
  /// Call `ingestBegan()` once `BEGIN` succeeded.
  func ingestWillBegin() {
    condition.lock()
    defer { condition.unlock() }
    let deadline = JobStore.monotonicSeconds() + 1
    while JobStore.monotonicSeconds() < deadline {
      // A waiter that just left needs a moment to take the lock it was given.
      let now = JobStore.monotonicSeconds()
      let recent = now - lastWaiterLeft < 0.002
      if waiters == 0 && !recent && now >= preferredUntil { break }
      _ = condition.wait(until: Date(timeIntervalSinceNow: 0.001))
    }
  }

  /// Lets the other connections of the process write before a live ingest for at most
  /// `seconds` (until `endPreference()`): the ingest finishes its open transaction and
  /// begins no other meanwhile, so a short series of writes (a run starting: its run
  /// row, its first requests marked in flight) waits for one commit instead of one each.
  func prefer(for seconds: Double) {
    condition.lock()
    preferredUntil = JobStore.monotonicSeconds() + seconds
    condition.unlock()
  }

  /// Ends `prefer(for:)` early.
  func endPreference() {
    condition.lock()
    preferredUntil = 0
    condition.broadcast()
    condition.unlock()
  }

  /// Called by an ingest once it holds the write lock.
  func ingestBegan() {
    condition.lock()
    ingesting += 1
    condition.unlock()
  }

  /// Called by an ingest after `COMMIT` or `ROLLBACK`.
  func ingestEnded() {
    condition.lock()
    ingesting = max(0, ingesting - 1)
    condition.broadcast()
    condition.unlock()
  }

  /// Waits for one turn: until an ingest's commit, or a short sleep when no ingest of this
  /// process holds the lock. Returns `false` once `timeout` has passed since `since`.
  func waitForTurn(attempt: Int32, since: Double, timeout: Double) -> Bool {
    let now = JobStore.monotonicSeconds()
    guard now - since < timeout else { return false }
    condition.lock()
    if ingesting > 0 {
      waiters += 1
      _ = condition.wait(until: Date(timeIntervalSinceNow: min(0.5, timeout - (now - since))))
      waiters -= 1
      lastWaiterLeft = JobStore.monotonicSeconds()
      condition.broadcast()
      condition.unlock()
      return true
    }
    condition.unlock()
    // SQLite's own steps: 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms.
    let steps: [Int32] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]
    usleep(useconds_t(steps[Int(min(attempt, Int32(steps.count - 1)))] * 1000))
    return true
  }
}

/// The busy handler of one connection: when its wait began, and how long it may last.
final class BusyWait {
  var since = 0.0
  let timeout: Double

  init(timeout: Double) { self.timeout = timeout }

  /// Installs `WriteTurn`'s handler on `db` for this state (kept alive by the connection).
  func install(on db: OpaquePointer) {
    sqlite3_busy_handler(
      db,
      { context, count in
        guard let context else { return 0 }
        let state = Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue()
        if count == 0 { state.since = JobStore.monotonicSeconds() }
        return WriteTurn.shared.waitForTurn(
          attempt: count, since: state.since, timeout: state.timeout) ? 1 : 0
      }, Unmanaged.passUnretained(self).toOpaque())
  }
}

extension JobStore {
  /// Lets this process's connections write before its live ingest for at most `seconds`.
  ///
  /// A run starting beside the ingest of its own list writes a few times before its
  /// first request (its run row, the requests it takes and marks in flight); each write
  /// would otherwise wait for one of the ingest's transactions (a quarter of a second
  /// each with `IngestPacing.live`). Meanwhile the ingest ends its open transaction and
  /// begins no other. Call `endWritePreference()` once the first requests are marked.
  public static func preferWrites(for seconds: Double) {
    WriteTurn.shared.prefer(for: seconds)
  }

  /// Ends `preferWrites(for:)`: the ingest goes on at once.
  public static func endWritePreference() {
    WriteTurn.shared.endPreference()
  }
}
