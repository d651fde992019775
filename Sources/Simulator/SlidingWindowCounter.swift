/// Instants of events within the last window, to limit and to measure rates.
///
/// A log of timestamps rather than fixed buckets: "at most N in any 1-second
/// window" then holds for every window, not only for windows aligned on whole
/// seconds.
struct SlidingWindowCounter {
  /// The window's length.
  let window: Duration
  private var times: [ContinuousClock.Instant] = []
  private var head = 0

  init(window: Duration = .seconds(1)) { self.window = window }

  /// Drops the events older than the window before `now`.
  mutating func purge(now: ContinuousClock.Instant) {
    while head < times.count, now - times[head] >= window { head += 1 }
    if head > 1024, head * 2 > times.count {
      times.removeFirst(head)
      head = 0
    }
  }

  /// The events in the window ending at `now`.
  mutating func count(now: ContinuousClock.Instant) -> Int {
    purge(now: now)
    return times.count - head
  }

  /// Records an event.
  mutating func record(_ now: ContinuousClock.Instant) { times.append(now) }

  /// When the oldest event in the window leaves it.
  var oldestExpiry: ContinuousClock.Instant? {
    head < times.count ? times[head] + window : nil
  }
}
