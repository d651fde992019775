/// Whether a request may leave now: the in-flight window, then the token bucket.
///
/// Holds the pacing value types and the count of requests in flight, and feeds
/// them the answers: a 429 halves the window (`ConcurrencyWindow`), lowers the pace
/// a little (`AdaptiveRate`) and, in a storm, pauses the bucket for the wait; every
/// other answer lets them grow back. Each landed request's latency also feeds the
/// latency-driven limit (`LatencyLimit`, unless `--no-latency-window`): the
/// in-flight window is the smaller of the two.
///
/// `reserve(at:)` asks a copy of the bucket first, so a request that must wait
/// for its slot takes nothing: the caller waits the returned time and asks again.
/// Two evenly spaced asks get slots `1/rate` apart, as a single reservation would.
struct SendGate: Sendable {
  /// Slots closer than this (seconds) count as now: a timer cannot wait less.
  static let slack = 0.0005

  private(set) var bucket: TokenBucket
  private(set) var adaptive: AdaptiveRate
  private(set) var window: ConcurrencyWindow
  /// The latency-driven limit; `nil` with `--no-latency-window`.
  private(set) var latency: LatencyLimit?
  /// The latency limit's tickets of the requests in flight, by request id.
  private var tickets: [Int64: LatencyLimit.Ticket] = [:]
  /// Requests sent and not answered yet.
  private(set) var inFlight = 0

  /// A gate for `configuration`'s paced rate and window.
  init(configuration: RunConfiguration) {
    bucket = TokenBucket(rate: configuration.pacedRate)
    adaptive = AdaptiveRate(ceiling: configuration.pacedRate)
    window = ConcurrencyWindow(maximum: configuration.maxInFlight)
    if configuration.latencyWindow {
      latency = LatencyLimit(maximum: configuration.maxInFlight)
    }
  }

  /// How many requests may be in flight: the 429 window, or the latency limit if smaller.
  var limit: Int { min(window.limit, latency?.limit ?? .max) }

  /// Whether the window has room for one more request.
  var windowOpen: Bool { inFlight < limit }

  /// Takes a send slot at `now` and counts the request in flight, or returns how many
  /// seconds to wait for the slot (taking nothing).
  mutating func reserve(at now: Double) -> Double? {
    var probe = bucket
    let delay = probe.reserve(at: now)
    guard delay <= Self.slack else { return delay }
    bucket = probe
    inFlight += 1
    return nil
  }

  /// An answer that was not a 429 arrived at `now`.
  mutating func answered(at now: Double) {
    window.answered()
    if let newRate = adaptive.answered(at: now) { bucket.setRate(newRate, at: now) }
  }

  /// A 429 arrived at `now`, and the request waits `wait` seconds.
  ///
  /// Returns whether it was part of a storm, in which case the whole job pauses for
  /// `wait` as well.
  mutating func rateLimited(at now: Double, wait: Double) -> Bool {
    window.rateLimited(at: now)
    let storm = adaptive.rateLimited(at: now)
    if storm { bucket.pause(until: now + wait) }
    bucket.setRate(adaptive.current, at: now)
    return storm
  }

  /// No request leaves before `instant` (an outage round).
  mutating func pause(until instant: Double) { bucket.pause(until: instant) }

  /// Request `id`, counted by `reserve(at:)`, was sent: the latency limit gives it a ticket.
  mutating func sent(_ id: Int64) {
    if let ticket = latency?.sent(inFlight: inFlight) { tickets[id] = ticket }
  }

  /// Request `id` left the in-flight count (answered, failed or put back), with what
  /// its answer says about the server's latency.
  mutating func landed(_ id: Int64, _ sample: LatencyLimit.Sample = .none) {
    inFlight = max(0, inFlight - 1)
    if let ticket = tickets.removeValue(forKey: id) {
      latency?.landed(ticket, sample, inFlight: inFlight)
    }
  }

  /// Lets a call leave without a slot of the token bucket (polls, when they are free
  /// of the rate); it still takes a place in the window.
  mutating func admitWithoutToken() { inFlight += 1 }
}
