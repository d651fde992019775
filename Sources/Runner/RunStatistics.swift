/// What a run has done so far: the summary it returns and the figures the progress line shows.
struct RunStatistics: Sendable {
  /// Answer times kept for the progress line's rate (the last few seconds' worth).
  static let recentAnswersKept = 4096
  /// How many of them remain after trimming.
  static let recentAnswersTrimmedTo = 2048
  /// The span (seconds) the progress line's answers per second are measured over.
  static let rateSpan = 5.0

  /// The figures returned at the end of the run.
  var summary = RunSummary(end: .done)
  /// When the first request was sent (seconds on the run's clock).
  private(set) var firstSend: Double?
  /// When the last answer arrived.
  private(set) var lastAnswer = 0.0
  private var recentAnswers: [Double] = []

  /// A request was sent at `now`.
  mutating func sent(at now: Double) {
    summary.sent += 1
    if firstSend == nil { firstSend = now }
  }

  /// An answer that counts toward the rate arrived at `now`.
  mutating func answered(at now: Double) {
    lastAnswer = now
    noteFinal(at: now)
  }

  /// A request reached a final outcome at `now` (answered or failed for good).
  mutating func noteFinal(at now: Double) {
    recentAnswers.append(now)
    if recentAnswers.count > Self.recentAnswersKept {
      recentAnswers.removeFirst(recentAnswers.count - Self.recentAnswersTrimmedTo)
    }
  }

  /// Records one answer's latency.
  mutating func latency(seconds: Double) {
    summary.latency.record(milliseconds: Double(Self.milliseconds(seconds)))
  }

  /// Whole milliseconds of `seconds`, as the store keeps latencies.
  static func milliseconds(_ seconds: Double) -> Int { Int(seconds * 1000) }

  /// Seconds from the first request to the last answer.
  var activeSeconds: Double { firstSend.map { max(0, lastAnswer - $0) } ?? 0 }

  /// Answers per second over the last `rateSpan` seconds (shorter at the start).
  func ratePerSecond(at now: Double) -> Double {
    let windowStart = max(0, now - Self.rateSpan)
    let recent = recentAnswers.reversed().prefix { $0 >= windowStart }.count
    let span = min(Self.rateSpan, max(0.25, now - (firstSend ?? now)))
    return Double(recent) / span
  }
}
