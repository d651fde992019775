import Foundation
import Testing

@testable import Runner

/// A server model answering the requests a `SendGate` lets out, on a fake clock.
///
/// `concurrency` nil: every request takes its own latency (no queue). Otherwise the
/// server works on `concurrency` requests at once and the others wait in a FIFO queue,
/// the wait counting toward their latency (the simulator's `--max-concurrent`).
struct QueueingServerRun {
  var gate: SendGate
  var now = 0.0
  /// The server's own latency of one request.
  var service: (inout SeededRandom) -> Double
  /// Requests worked on at once; nil = unlimited.
  var concurrency: Int?
  var random = SeededRandom(seed: 7)
  /// When each of the server's slots is free again.
  private var slots: [Double] = []
  private var answers: [(due: Double, id: Int64, latency: Double)] = []
  private var nextID: Int64 = 0
  /// Answers received: (time, latency).
  private(set) var received: [(at: Double, latency: Double)] = []
  /// The highest in-flight count.
  private(set) var peakInFlight = 0

  init(
    maxInFlight: Int = 200, concurrency: Int?,
    service: @escaping (inout SeededRandom) -> Double
  ) {
    var config = RunConfiguration()
    config.rate = 0
    config.maxInFlight = maxInFlight
    gate = SendGate(configuration: config)
    self.concurrency = concurrency
    self.service = service
  }

  /// Sends while the window is open and answers in time order, until `end` (seconds).
  mutating func run(until end: Double) {
    while now < end {
      while gate.windowOpen {
        #expect(gate.reserve(at: now) == nil)
        nextID += 1
        gate.sent(nextID)
        peakInFlight = max(peakInFlight, gate.inFlight)
        let work = service(&random)
        var done = now + work
        if let concurrency {
          if slots.count != concurrency { slots = Array(repeating: now, count: concurrency) }
          let i = slots.indices.min { slots[$0] < slots[$1] }!
          done = max(now, slots[i]) + work
          slots[i] = done
        }
        insertByDue((done, nextID, done - now), into: &answers)
      }
      guard let answer = answers.popLast() else { return }
      now = answer.due
      received.append((now, answer.latency))
      gate.landed(answer.id, .latency(answer.latency))
    }
  }

  /// Answers per second between `start` and `end`.
  func throughput(from start: Double, to end: Double) -> Double {
    Double(received.filter { $0.at >= start && $0.at < end }.count) / (end - start)
  }

  /// The median latency of the answers between `start` and `end`.
  func medianLatency(from start: Double, to end: Double) -> Double {
    let l = received.filter { $0.at >= start && $0.at < end }.map(\.latency).sorted()
    return l.isEmpty ? 0 : l[l.count / 2]
  }
}

/// Inserts `answer` into `answers`, kept latest due first (the next one is the last).
func insertByDue(
  _ answer: (due: Double, id: Int64, latency: Double),
  into answers: inout [(due: Double, id: Int64, latency: Double)]
) {
  var low = 0
  var high = answers.count
  while low < high {
    let mid = (low + high) / 2
    if answers[mid].due > answer.due { low = mid + 1 } else { high = mid }
  }
  answers.insert(answer, at: low)
}

/// Log-normal latency with this median and 99th percentile (the simulator's model).
func logNormal(median: Double, p99: Double) -> (inout SeededRandom) -> Double {
  let sigma = log(p99 / median) / 2.3263
  return { random in
    let z = (-2 * log(max(random.unit(), 1e-12))).squareRoot() * cos(2 * .pi * random.unit())
    return min(4 * p99, exp(log(median) + sigma * z))
  }
}

@Test("a server working 5 at a time (1 s each): the window shrinks toward 5, at full speed")
func shrinksTowardTheServersConcurrency() {
  var run = QueueingServerRun(concurrency: 5) { _ in 1.0 }
  run.run(until: 120)
  let latency = run.gate.latency!
  #expect(latency.drops >= 1)
  #expect(latency.limit >= 5 && latency.limit <= 12, "\(latency)")
  #expect(run.gate.limit == latency.limit)
  // Never more in flight than would wait 15 s (a short --timeout) in the server's queue.
  #expect(run.peakInFlight < 75, "peak \(run.peakInFlight)")
  // What the server allows (5/s), while latency stays under 2.5 × its own.
  #expect(run.throughput(from: 30, to: 120) >= 4.5)
  #expect(run.medianLatency(from: 30, to: 120) <= 2.5)
}

/// A harsher model than a FIFO queue: 6 in flight already take 2 s each. The limit
/// drops from the 24 of slow start and settles where latency is 2 × baseline.
@Test("the issue's model, latency = 1 s × ⌈in flight / 5⌉: the window shrinks toward 5")
func shrinksWithStepLatency() {
  var config = RunConfiguration()
  config.rate = 0
  var gate = SendGate(configuration: config)
  var now = 0.0
  var answers: [(due: Double, id: Int64, latency: Double)] = []
  var id: Int64 = 0
  while now < 200 {
    while gate.windowOpen {
      _ = gate.reserve(at: now)
      id += 1
      gate.sent(id)
      let latency = 1.0 * (Double(gate.inFlight) / 5).rounded(.up)
      insertByDue((now + latency, id, latency), into: &answers)
    }
    let answer = answers.removeLast()
    now = answer.due
    gate.landed(answer.id, .latency(answer.latency))
  }
  let limit = gate.latency!.limit
  #expect(gate.latency!.drops >= 1)
  #expect(limit >= 5 && limit <= 20, "\(gate.latency!), in flight \(gate.inFlight)")
}

@Test(
  "intrinsic log-normal latency (1 s median, 5 s p99), no queue: the window stays at the ceiling",
  arguments: [1, 2, 3, 4] as [UInt64])
func intrinsicVarianceIsNotQueueing(seed: UInt64) {
  var run = QueueingServerRun(concurrency: nil, service: logNormal(median: 1, p99: 5))
  run.random = SeededRandom(seed: seed)
  run.run(until: 300)
  let latency = run.gate.latency!
  #expect(latency.drops == 0, "\(latency)")
  #expect(latency.limit == 200, "\(latency)")
}

@Test(
  "the simulator's --simulate latency (300 ms median, 1.5 s p99), no queue: no drop",
  arguments: [5, 6] as [UInt64])
func simulateLatencyIsNotQueueing(seed: UInt64) {
  var run = QueueingServerRun(concurrency: nil, service: logNormal(median: 0.3, p99: 1.5))
  run.random = SeededRandom(seed: seed)
  run.run(until: 120)
  #expect(run.gate.latency!.drops == 0, "\(run.gate.latency!)")
  #expect(run.gate.limit == 200)
}

@Test("once the server stops queueing, the window grows back to the ceiling")
func growsBackAfterQueueingEnds() {
  var run = QueueingServerRun(concurrency: 5) { _ in 1.0 }
  run.run(until: 120)
  #expect(run.gate.latency!.limit <= 12)
  run.concurrency = nil
  run.run(until: 600)
  #expect(run.gate.latency!.limit == 200, "\(run.gate.latency!)")
}

@Test("a 429 still halves the window, under the latency limit")
func rateLimitedStillHalves() {
  var run = QueueingServerRun(concurrency: nil) { _ in 0.5 }
  run.run(until: 60)
  #expect(run.gate.limit == 200)
  _ = run.gate.rateLimited(at: run.now, wait: 1)
  #expect(run.gate.limit == 100)
  #expect(run.gate.latency!.limit == 200)
}

@Test("the latency limit goes below the 429 window's floor (4), down to 1")
func latencyLimitFloorIsOne() {
  var limit = LatencyLimit(maximum: 200, initial: 40)
  func window(_ n: Int, latency: Double, at level: Int) {
    let tickets = (0..<n).map { _ in limit.sent(inFlight: level) }
    for t in tickets { limit.landed(t, .latency(latency), inFlight: 0) }
  }
  window(40, latency: 1, at: 40)
  #expect(limit.baseline == 1)
  // Four in flight and 60 s each: the server works on less than one at a time.
  window(limit.limit, latency: 60, at: 4)
  #expect(limit.limit == 1, "\(limit)")
}

@Test("timeouts count as longer than any answer: a window of them shrinks the limit")
func timeoutsShrink() {
  var limit = LatencyLimit(maximum: 200, initial: 40)
  var inFlight = 0
  // A calm window of 40 at 1 s sets the baseline.
  var tickets = (0..<40).map { _ in
    inFlight += 1
    return limit.sent(inFlight: inFlight)
  }
  for t in tickets {
    inFlight -= 1
    limit.landed(t, .latency(1), inFlight: inFlight)
  }
  let before = limit.limit
  tickets = (0..<before).map { _ in
    inFlight += 1
    return limit.sent(inFlight: inFlight)
  }
  for t in tickets {
    inFlight -= 1
    limit.landed(t, .timedOut, inFlight: inFlight)
  }
  #expect(limit.limit < before / 2, "\(limit)")
}

@Test("--no-latency-window: the window is the 429 window alone")
func latencyWindowOff() {
  var config = RunConfiguration()
  config.latencyWindow = false
  let gate = SendGate(configuration: config)
  #expect(gate.latency == nil)
  #expect(gate.limit == 200)
}

@Test("the machine: 4 in flight at first, then slow start; timeouts counted as possibly billed")
func machineStartsSmallAndCountsTimeouts() {
  var h = Harness(requests: 30) { $0.latencyWindow = true }
  h.run()
  #expect(h.sends == [1, 2, 3, 4])
  #expect(h.machine.windowLimit == 4)
  h.answer(1, found, latency: 1)
  h.run()
  h.answer(2, found, latency: 1)
  h.run()
  // Slow start: one more per answer.
  #expect(h.machine.windowLimit == 6)
  #expect(h.machine.inFlight == 6)
  h.answer(3, .transient(.timeout), latency: 15)
  #expect(h.machine.summary.timedOut == 1)
  #expect(h.machine.summary.retries == 1)
  h.answer(4, .transient(.http(status: 503)), latency: 1)
  #expect(h.machine.summary.timedOut == 1, "a 5xx is not a timeout")
}
