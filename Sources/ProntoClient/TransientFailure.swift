/// A failure that may pass if the same request is sent again later.
///
/// `connectFailed` never reached the server, so it cannot have been billed;
/// the others may have been (the server may have done the work before the
/// answer was lost).
public enum TransientFailure: Sendable, Hashable {
  /// A 5xx answer (or another status with no better class, such as 408 or a 3xx).
  case http(status: Int)
  /// The connection closed or was reset before the whole answer arrived.
  case connectionReset
  /// The request deadline passed before the whole answer arrived.
  case timeout
  /// A 200 answer whose body is not the expected JSON.
  case badBody
  /// No connection could be opened (refused, DNS, connect timeout, TLS handshake).
  case connectFailed

  /// A stable short label for counters: `http_5xx`, `connection_reset`,
  /// `timeout`, `bad_body`, `connect_failed` (`http_other` for a non-5xx status).
  public var label: String {
    switch self {
    case .http(let status): return (500..<600).contains(status) ? "http_5xx" : "http_other"
    case .connectionReset: return "connection_reset"
    case .timeout: return "timeout"
    case .badBody: return "bad_body"
    case .connectFailed: return "connect_failed"
    }
  }
}
