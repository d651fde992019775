import JobStore

/// The requests a run may send next, in the order it sends them.
///
/// Three stages, drained in this order: retries whose time has come; requests
/// already marked in flight in the store but not sent yet; requests read from
/// the store but not marked yet. The queue never reads or writes the store
/// itself: it says when it wants more (`needsRefill`) and which requests to mark
/// (`takeToMark`), and the state machine turns that into actions.
///
/// Valid transitions of one request: read (`refilled`) → marked (`marked`) →
/// sent (`popDue`/`popMarked`) → answered, or → waiting as a retry (`addRetry`)
/// → sent again; on a stop, marked and waiting requests go back (`drainUnsent`).
struct RequestQueue: Sendable {
  /// A request waiting to be sent again at `due` (seconds on the run's clock).
  struct Retry: Sendable, Hashable {
    var due: Double
    var work: PendingRequest
  }

  /// Read from the store, not marked yet.
  private(set) var unmarked: ArraySlice<PendingRequest> = []
  /// Marked in flight (committed), not sent yet.
  private(set) var marked: ArraySlice<PendingRequest> = []
  /// Answered with a transient failure, a 429 or an outage: sent again at `due`.
  private(set) var retries: [Retry] = []
  /// Distinct requests marked in this run (what `--limit` counts).
  private(set) var distinctMarked = 0
  /// The store has no more pending requests, and no ingest will add any.
  private(set) var storeExhausted = false
  /// The store had none, but the ingest is still storing rows (or requests wait for
  /// a contact being bought): look again soon.
  private(set) var waitingForIngest = false
  /// A refill was asked and not answered yet.
  private(set) var refillAsked = false
  /// When the last refill was asked (seconds on the run's clock).
  private(set) var lastRefill = -Double.infinity

  /// Transient retries so far, per request.
  private var retryCounts: [Int64: Int] = [:]
  /// 429 answers so far, per request.
  private var rateLimitCounts: [Int64: Int] = [:]

  /// Whether the store should be asked for more at `now`: nothing unmarked is left,
  /// the store may have more, no refill is outstanding, and — while the ingest is
  /// still storing rows — `ingestPoll` seconds have passed since the last empty answer.
  func needsRefill(at now: Double, ingestPoll: Double) -> Bool {
    unmarked.isEmpty && !storeExhausted && !refillAsked
      && (!waitingForIngest || now >= lastRefill + ingestPoll)
  }

  /// The earliest retry time, if any retry waits.
  var nextRetryDue: Double? { retries.map(\.due).min() }

  /// Nothing is queued anywhere (retries, marked, unmarked).
  var isEmpty: Bool { retries.isEmpty && marked.isEmpty && unmarked.isEmpty }

  /// The first retry whose time has come, without taking it.
  func peekDue(at now: Double) -> PendingRequest? {
    retries.first { $0.due <= now }?.work
  }

  /// Takes the first retry whose time has come.
  mutating func popDue(at now: Double) -> PendingRequest? {
    guard let i = retries.firstIndex(where: { $0.due <= now }) else { return nil }
    return retries.remove(at: i).work
  }

  /// The next marked request, without taking it.
  func peekMarked() -> PendingRequest? { marked.first }

  /// Takes the next marked request.
  mutating func popMarked() -> PendingRequest? { marked.popFirst() }

  /// Notes that a refill was asked of the store at `now`.
  mutating func refillStarted(at now: Double) {
    refillAsked = true
    lastRefill = now
  }

  /// The store answered a refill with `batch`; `ingestEnded` was sampled before
  /// the query (once the ingest has ended, an empty answer is final).
  /// `waiting`: some pending requests wait for a contact another request is buying,
  /// so an empty answer is not final either. `more`: the store stopped early (it
  /// finished many requests from the contact store): ask again at once.
  mutating func refilled(
    _ batch: [PendingRequest], ingestEnded: Bool, waiting: Bool, more: Bool = false
  ) {
    refillAsked = false
    storeExhausted = batch.isEmpty && ingestEnded && !waiting && !more
    waitingForIngest = batch.isEmpty && !more && (!ingestEnded || waiting)
    unmarked.append(contentsOf: batch)
  }

  /// `--limit` is reached: no more waiting for the ingest.
  mutating func limitReached() { waitingForIngest = false }

  /// The next `count` unread requests to mark in flight (they stay unmarked until `marked`).
  func toMark(_ count: Int) -> [PendingRequest] { Array(unmarked.prefix(max(0, count))) }

  /// The store committed `batch` (the head of `unmarked`) as in flight.
  mutating func marked(_ batch: [PendingRequest]) {
    unmarked.removeFirst(min(batch.count, unmarked.count))
    marked.append(contentsOf: batch)
    distinctMarked += batch.count
  }

  /// Puts a request that was about to be sent back at the head of the marked ones.
  mutating func putBackMarked(_ work: PendingRequest) { marked.insert(work, at: marked.startIndex) }

  /// Queues `work` to be sent again at `due`.
  mutating func addRetry(_ work: PendingRequest, due: Double) {
    retries.append(Retry(due: due, work: work))
  }

  /// Counts one more transient retry of `id`; returns the retries before this one.
  mutating func countRetry(_ id: Int64) -> Int {
    let n = retryCounts[id, default: 0]
    retryCounts[id] = n + 1
    return n
  }

  /// Transient retries of `id` so far.
  func retries(of id: Int64) -> Int { retryCounts[id, default: 0] }

  /// Counts one more 429 of `id`; returns the 429s before this one.
  mutating func countRateLimited(_ id: Int64) -> Int {
    let n = rateLimitCounts[id, default: 0]
    rateLimitCounts[id] = n + 1
    return n
  }

  /// Takes every request marked or waiting as a retry, to go back to `pending`.
  mutating func drainUnsent() -> [PendingRequest] {
    let back = Array(marked) + retries.map(\.work)
    marked = []
    retries = []
    return back
  }
}
