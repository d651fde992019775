import Testing

@testable import Runner

/// Grants `count` slots to one caller that sleeps each returned delay; returns the slot instants.
private func slots(_ bucket: inout TokenBucket, count: Int, from start: Double = 0) -> [Double] {
  var now = start
  var result: [Double] = []
  for _ in 0..<count {
    now += bucket.reserve(at: now)
    result.append(now)
  }
  return result
}

@Test func evenlySpacedAtTheRate() {
  var b = TokenBucket(rate: 50)
  let s = slots(&b, count: 101)
  #expect(abs(s[0]) < 1e-9)
  #expect(abs(s[100] - 2.0) < 1e-9)
  for i in 1..<s.count { #expect(abs((s[i] - s[i - 1]) - 0.02) < 1e-9) }
}

@Test func noOneSecondWindowExceedsRatePlusBurst() {
  var b = TokenBucket(rate: 50, burst: 5)
  // Idle, then a rush of callers all arriving at t = 10 s.
  var granted: [Double] = []
  for _ in 0..<400 { granted.append(10 + b.reserve(at: 10)) }
  for t in stride(from: 9.0, through: 18.0, by: 0.005) {
    let inWindow = granted.filter { $0 >= t && $0 < t + 1 }.count
    #expect(inWindow <= 55)
  }
  // And the throughput over the whole run is the rate.
  #expect(abs(granted.last! - (10 + 395.0 / 50)) < 1e-9)
}

@Test func pauseMovesLaterSlots() {
  var b = TokenBucket(rate: 10)
  _ = slots(&b, count: 3)
  b.pause(until: 5)
  let next = b.reserve(at: 0.3)
  #expect(abs((0.3 + next) - 5.0) < 1e-9)
  // An earlier pause does not shorten it.
  b.pause(until: 1)
  #expect(0.4 + b.reserve(at: 0.4) >= 5.0)
}

@Test func unlimitedRateNeverWaitsUnlessPaused() {
  var b = TokenBucket(rate: 0)
  #expect(slots(&b, count: 1000).allSatisfy { $0 == 0 })
  b.pause(until: 2)
  #expect(b.reserve(at: 1) == 1)
}

@Test func rateChangeAppliesToLaterSlots() {
  var b = TokenBucket(rate: 10)
  var s = slots(&b, count: 11)  // 0 … 1.0
  #expect(abs(s.last! - 1.0) < 1e-9)
  b.setRate(5, at: s.last!)
  s = slots(&b, count: 2, from: s.last!)
  #expect(abs(s[1] - s[0] - 0.2) < 1e-9)
}

@Test func windowHalvesOn429AndGrowsBackAdditively() {
  var w = ConcurrencyWindow(maximum: 200, minimum: 4, increaseEvery: 10, cooldown: 1)
  w.rateLimited(at: 0)
  #expect(w.limit == 100)
  w.rateLimited(at: 0.5)  // same burst: ignored
  #expect(w.limit == 100)
  w.rateLimited(at: 2)
  #expect(w.limit == 50)
  for _ in 0..<100 { w.answered() }
  #expect(w.limit == 60)
  for _ in 0..<10_000 { w.answered() }
  #expect(w.limit == 200)
  for i in 0..<20 { w.rateLimited(at: 10 + Double(i) * 2) }
  #expect(w.limit == 4)
}

@Test func latencyPercentilesWithinFivePercent() {
  var s = LatencyStats()
  for ms in 1...1000 { s.record(milliseconds: Double(ms)) }
  let p50 = s.percentile(0.5)!
  let p99 = s.percentile(0.99)!
  #expect(p50 >= 500 && p50 <= 525)
  #expect(p99 >= 990 && p99 <= 1000)
  #expect(s.percentile(1) == 1000)
  #expect(LatencyStats().percentile(0.5) == nil)
}

@Test func adaptiveRateDipsOnA429AndClimbsBack() {
  var r = AdaptiveRate(ceiling: 50)
  let first = r.rateLimited(at: 10)
  #expect(first == false)
  #expect(abs(r.current - 49) < 1e-9)
  let early = r.answered(at: 12)
  #expect(early == nil)  // still within the recovery interval
  let step = r.answered(at: 15)
  #expect(step == 49.5)
  let tooSoon = r.answered(at: 16)
  #expect(tooSoon == nil)
  var t = 20.0
  while r.current < 50 {
    _ = r.answered(at: t)
    t += 5
  }
  #expect(r.current == 50)
  let atCeiling = r.answered(at: t + 100)
  #expect(atCeiling == nil)
}

@Test func adaptiveRateSeesAStorm() {
  var r = AdaptiveRate(ceiling: 50)
  let storms = [1.0, 1.2, 1.5, 3.0].map { r.rateLimited(at: $0) }
  #expect(storms == [false, false, true, false])
  for i in 0..<200 { _ = r.rateLimited(at: 10 + Double(i) * 2) }
  #expect(r.current == 10)
}
