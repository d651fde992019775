import ProntoClient

extension LatencyLimit.Sample {
  /// What an attempt that came back after `latency` seconds says about the server's latency.
  ///
  /// | attempt | sample |
  /// |---|---|
  /// | an answer (found, not found, submitted, invalid, unexpected), 5xx, reset, unreadable body | its latency |
  /// | timeout | `timedOut`: longer than any answer |
  /// | 429, job stop, cannot connect | none: not the server's work |
  public init(_ attempt: EnrichAttempt, latency: Double) {
    switch attempt {
    case .found, .notFound, .submitted, .unexpectedAnswer, .rowInvalid:
      self = .latency(latency)
    case .rateLimited, .jobStop, .transient(.connectFailed):
      self = .none
    case .transient(.timeout):
      self = .timedOut
    case .transient:
      self = .latency(latency)
    }
  }
}
