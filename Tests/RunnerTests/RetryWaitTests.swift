import ProntoClient
import Testing

@testable import Runner

@Test func oneFormulaForEveryWait() {
  let w = RetryWait(backoff: .standard)
  #expect((0...7).map(w.ceiling) == [0.5, 1, 2, 4, 8, 16, 30, 30])
  // Transient: full jitter, 0 … ceiling.
  #expect(w.wait(.transient, 3, unitRandom: 0) == 0)
  #expect(w.wait(.transient, 3, unitRandom: 0.5) == 2)
  // 429 and outage: at least half the ceiling.
  #expect(w.wait(.rateLimited, 3, unitRandom: 0) == 2)
  #expect(w.wait(.outage, 3, unitRandom: 1) == 4)
  #expect(w.wait(.outage, 20, unitRandom: 0) == 15)
}

@Test func retryWaitTakesBaseCapAndRetriesFromBackoff() {
  let w = RetryWait(backoff: Backoff(base: .seconds(1), cap: .seconds(5), maxRetries: 2))
  #expect((0...3).map(w.ceiling) == [1, 2, 4, 5])
  #expect(w.maxRetries == 2)
  #expect(w.maxRateLimited == 30)
}

@Test func seededRandomIsReproducible() {
  var a = SeededRandom(seed: 7)
  var b = SeededRandom(seed: 7)
  let xs = (0..<5).map { _ in a.unit() }
  #expect(xs == (0..<5).map { _ in b.unit() })
  #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
  #expect(Set(xs).count == 5)
}
