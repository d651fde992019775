/// The decisions of `--max-concurrent`: at most `limit` requests worked on at
/// once, the others waiting in arrival order (Pronto's Concurrency page: "up to
/// 5 concurrent requests at a time, additional requests are queued").
///
/// A value type with no clock or I/O: ``ConcurrencyGate`` carries it out with
/// continuations. Tickets are opaque numbers chosen by the caller.
struct FIFOAdmission: Sendable, Hashable {
  /// Requests worked on at once; `nil` is unlimited.
  let limit: Int?
  /// Requests being worked on.
  private(set) var working = 0
  /// Tickets waiting, oldest first.
  private(set) var waiting: [UInt64] = []
  private var head = 0
  /// The most requests waiting at once.
  private(set) var peakWaiting = 0
  /// The most requests worked on at once.
  private(set) var peakWorking = 0

  /// Creates the admission; a limit of 0 or less (or `nil`) is unlimited.
  init(limit: Int?) { self.limit = limit.flatMap { $0 > 0 ? $0 : nil } }

  /// Requests waiting now.
  var waitingCount: Int { waiting.count - head }

  /// A request arrives: `true` when it may be worked on now, `false` when it
  /// waits (until ``leave()`` names its ticket).
  mutating func arrive(_ ticket: UInt64) -> Bool {
    if let limit, working >= limit || waitingCount > 0 {
      waiting.append(ticket)
      peakWaiting = max(peakWaiting, waitingCount)
      return false
    }
    working += 1
    peakWorking = max(peakWorking, working)
    return true
  }

  /// A request worked on is done: returns the waiting ticket admitted in its
  /// place, if any (the slot passes to it directly, so no newcomer overtakes).
  mutating func leave() -> UInt64? {
    guard head < waiting.count else {
      working = max(0, working - 1)
      return nil
    }
    let next = waiting[head]
    head += 1
    if head > 256, head * 2 > waiting.count {
      waiting.removeFirst(head)
      head = 0
    }
    return next
  }
}
