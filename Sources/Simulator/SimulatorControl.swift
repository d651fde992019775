/// A change to a running simulator: the body of `POST /__control`, or
/// ``Simulator/control(_:)`` in-process. Fields left `nil` are unchanged.
///
///     {"revoke_keys": ["sim_key_…"], "fault_rate": 0.2, "faults": "500,reset", "credits": 10}
public struct SimulatorControl: Sendable, Hashable, Codable {
  /// The new fault rate, 0…1.
  public var faultRate: Double?
  /// The new fault kinds, comma-separated (`500,reset`).
  public var faults: String?
  /// Credits left from now on (`-1` for unlimited).
  public var credits: Int?
  /// Keys to accept from now on, in addition to the current ones.
  public var addKeys: [String]?
  /// Keys to refuse from now on (a key revoked mid-run).
  public var revokeKeys: [String]?
  /// Replaces the keys without personal-email consent.
  public var noConsentKeys: [String]?
  /// The new rate per key and second (0 = unlimited).
  public var rate: Int?
  /// The new latency, `MEDIAN,P99` in milliseconds.
  public var latencyMs: String?
  /// Whether a 429 carries `Retry-After` from now on.
  public var retryAfter: Bool?

  /// Creates a change.
  public init(
    faultRate: Double? = nil, faults: String? = nil, credits: Int? = nil, addKeys: [String]? = nil,
    revokeKeys: [String]? = nil, noConsentKeys: [String]? = nil, rate: Int? = nil,
    latencyMs: String? = nil, retryAfter: Bool? = nil
  ) {
    self.faultRate = faultRate
    self.faults = faults
    self.credits = credits
    self.addKeys = addKeys
    self.revokeKeys = revokeKeys
    self.noConsentKeys = noConsentKeys
    self.rate = rate
    self.latencyMs = latencyMs
    self.retryAfter = retryAfter
  }

  enum CodingKeys: String, CodingKey {
    case faultRate = "fault_rate"
    case faults, credits
    case addKeys = "add_keys"
    case revokeKeys = "revoke_keys"
    case noConsentKeys = "no_consent_keys"
    case rate
    case latencyMs = "latency_ms"
    case retryAfter = "retry_after"
  }
}
