/// How many requests may be in flight before they only wait in the server's queue: a
/// latency-driven limit, as a value type (no clock, no I/O).
///
/// A server that works on `N` requests at once and queues the rest (Pronto: "up to 5
/// concurrent requests at a time, additional requests are queued") answers no faster
/// with 200 in flight than with `N`: each request waits `200 / N` service times in
/// its queue, long enough to pass `--timeout` and be sent (and perhaps billed) again.
/// Like TCP Vegas and the Vegas/Gradient limiters of Netflix's concurrency-limits, the
/// limit follows the latency: when latency grows with the window, the window shrinks
/// toward what the server works on at once; when latency is back at its baseline, the
/// window grows again.
///
/// Pronto's latency varies a lot on its own (a long tail to 5 s and more around a 1 s
/// median), so single answers say nothing. The limiter compares robust statistics:
///
/// - **Windows by send order.** The requests are grouped as they are sent, `size` at a
///   time (40 … 100, about the limit; 10 during slow start), and a window is judged
///   only once *all* its requests have landed: a window closed after its first `size`
///   answers would hold the fast ones only and read too low.
/// - **Baseline**: the smallest window median of the last `baselineWindows` (30)
///   windows. It follows the server when its own latency changes, and a small window
///   (when the limit is low) shows the latency without queueing.
/// - **Queueing** is a window median above `queueingRatio` (2) × the baseline. The
///   limit then drops to what the server works on, `headroom` × the window's median
///   in-flight count × baseline ÷ median (Little's law: with `w` in flight, latency
///   grows as `w / N`), never below `minimum` (1), at most by `maximumCut` (8×) at once.
///   Windows sent before that drop are not judged.
/// - **Not queueing after all**: if latency did not fall after the in-flight count fell
///   by a third since the last drop, the latency is the server's own: it becomes the
///   baseline, and the limit stays.
/// - **Growth**: from `initial` (4), slow start adds one per answer (doubling per
///   round trip) until the first drop or the ceiling;
///   then each window at most `growRatio` × baseline adds 10 % (at least one), up to
///   `maximum` (`--max-in-flight`). Only while at least half of the limit is in use.
/// - A **timeout** is an answer that never came: it counts as a latency longer than any
///   other, so a window where half the requests time out always shrinks.
///
///     N = 5, 1 s:    4 → slow start to ~24 (latency 3–5 s) → 6 → grows to ~8, latency 2 s
///     no N, 1 s median, lognormal, 49/s:   slow start to ~60–150 in use, no drop
public struct LatencyLimit: Sendable, Hashable {
  /// What `sent(inFlight:)` hands out and `landed(_:_:inFlight:)` takes back.
  public struct Ticket: Sendable, Hashable {
    /// The window the request belongs to.
    let window: Int
    /// Requests in flight when it was sent, itself included.
    let inFlight: Int
  }

  /// What a landed request says about the server's latency.
  public enum Sample: Sendable, Hashable {
    /// An answer after `seconds`.
    case latency(Double)
    /// No answer before the deadline: longer than any answer.
    case timedOut
    /// Nothing (it never reached the server, or a 429 answered at once).
    case none
  }

  /// The last drop: the median latency and in-flight count that caused it.
  private struct Drop: Sendable, Hashable {
    var median: Double
    var inFlight: Double
  }

  private struct Window: Sendable, Hashable {
    var size: Int
    var sent = 0
    var landed = 0
    var latencies: [Double] = []
    var inFlight: [Int] = []
    var generation: Int
  }

  /// The ceiling (`--max-in-flight`).
  public let maximum: Int
  /// The floor.
  public let minimum: Int
  /// Requests in a window during slow start.
  public let slowStartWindow: Int
  /// The fewest requests in a window after slow start (a window is about the limit).
  public let minimumWindow: Int
  /// The most requests in a window.
  public let maximumWindow: Int
  /// Windows whose medians make the baseline.
  public let baselineWindows: Int
  /// Median ÷ baseline above which the requests are queueing.
  public let queueingRatio: Double
  /// Median ÷ baseline up to which the limit grows.
  public let growRatio: Double
  /// In flight kept above the estimate of what the server works on.
  public let headroom: Double
  /// The largest drop at once (the limit is divided by at most this).
  public let maximumCut: Double

  private var value: Double
  /// Whether the limit is still in slow start.
  public private(set) var slowStart = true
  /// Times the limit dropped because requests were queueing.
  public private(set) var drops = 0
  private var medians: [Double] = []
  private var provisional = false
  private var windows: [Int: Window] = [:]
  private var filling: Int?
  private var nextWindow = 0
  private var generation = 0
  private var lastDrop: Drop?

  /// Creates a limit that starts at `initial` and never passes `maximum`.
  public init(
    maximum: Int, minimum: Int = 1, initial: Int = 4, slowStartWindow: Int = 10,
    minimumWindow: Int = 40, maximumWindow: Int = 100, baselineWindows: Int = 30,
    queueingRatio: Double = 2, growRatio: Double = 1.5, headroom: Double = 1.25,
    maximumCut: Double = 8
  ) {
    self.maximum = max(1, maximum)
    self.minimum = max(1, min(minimum, self.maximum))
    self.slowStartWindow = max(1, slowStartWindow)
    self.minimumWindow = max(1, minimumWindow)
    self.maximumWindow = max(self.minimumWindow, maximumWindow)
    self.baselineWindows = max(1, baselineWindows)
    self.queueingRatio = queueingRatio
    self.growRatio = growRatio
    self.headroom = headroom
    self.maximumCut = max(1, maximumCut)
    self.value = Double(min(max(initial, self.minimum), self.maximum))
  }

  /// The current limit.
  public var limit: Int { max(minimum, min(maximum, Int(value))) }

  /// The latency without queueing, as far as the limiter knows (seconds).
  public var baseline: Double? { medians.min() }

  private var windowSize: Int {
    let around = Int(value)
    if slowStart { return max(slowStartWindow, min(maximumWindow, around)) }
    return max(minimumWindow, min(maximumWindow, around))
  }

  /// A request leaves with `inFlight` requests in flight (itself included).
  public mutating func sent(inFlight: Int) -> Ticket {
    if filling.map({ windows[$0].map { $0.sent >= $0.size } ?? true }) ?? true {
      nextWindow += 1
      filling = nextWindow
      windows[nextWindow] = Window(size: windowSize, generation: generation)
    }
    let id = filling!
    windows[id]!.sent += 1
    return Ticket(window: id, inFlight: inFlight)
  }

  /// The request of `ticket` landed with `sample`, leaving `inFlight` in flight.
  public mutating func landed(_ ticket: Ticket, _ sample: Sample, inFlight: Int) {
    guard var window = windows[ticket.window] else { return }
    window.landed += 1
    switch sample {
    case .latency(let seconds):
      window.latencies.append(max(0, seconds))
      window.inFlight.append(ticket.inFlight)
      if slowStart, Double(inFlight) >= value / 2 { value = min(Double(maximum), value + 1) }
    case .timedOut:
      window.latencies.append(.infinity)
      window.inFlight.append(ticket.inFlight)
    case .none:
      break
    }
    guard window.landed >= window.size else {
      windows[ticket.window] = window
      return
    }
    windows[ticket.window] = nil
    if filling == ticket.window { filling = nil }
    judge(window, inFlight: inFlight)
  }

  private static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    if sorted.count % 2 == 1 { return sorted[mid] }
    let (a, b) = (sorted[mid - 1], sorted[mid])
    return a.isInfinite || b.isInfinite ? max(a, b) : (a + b) / 2
  }

  private mutating func judge(_ window: Window, inFlight: Int) {
    // Sent before the last drop, or mostly requests that never reached the server.
    guard window.generation == generation, window.latencies.count * 2 >= window.size else {
      return
    }
    let median = Self.median(window.latencies)
    let used = Self.median(window.inFlight.map(Double.init))
    if median.isFinite {
      if window.latencies.count >= minimumWindow {
        if provisional { medians = [] }
        provisional = false
        medians = Array((medians + [median]).suffix(baselineWindows))
      } else if provisional || medians.isEmpty {
        // Small windows (slow start) give a baseline until a full window does.
        medians = Array((medians + [median]).suffix(baselineWindows))
        provisional = true
      }
    }
    guard let baseline, baseline > 0 else { return }
    let ratio = median / baseline
    if ratio > queueingRatio, median.isFinite, let last = lastDrop,
      used <= last.inFlight * 2 / 3, median > last.median * 0.75
    {
      // Fewer in flight, no faster: the latency is the server's own.
      medians = [median]
      provisional = false
      lastDrop = nil
    } else if ratio > queueingRatio {
      lastDrop = Drop(median: median, inFlight: used)
      drops += 1
      slowStart = false
      generation += 1
      let target = used * headroom / min(ratio, maximumCut)
      value = max(Double(minimum), min(value, target))
    } else if slowStart {
      // Slow start ends on a drop or at the ceiling: a noisy early baseline must not
      // leave the limit to grow 10 % per window from far below what the pace needs.
      if value >= Double(maximum) { slowStart = false }
    } else if ratio <= growRatio {
      lastDrop = nil
      if Double(inFlight) >= value / 2 {
        value = min(Double(maximum), value + max(1, value * 0.1))
      }
    }
  }
}

extension LatencyLimit: CustomStringConvertible {
  /// `limit 8 (baseline 1000 ms, 3 drops)`.
  public var description: String {
    let base = baseline.map { "\(Int(($0 * 1000).rounded())) ms" } ?? "none"
    return "limit \(limit) (baseline \(base), \(drops) drops\(slowStart ? ", slow start" : ""))"
  }
}
