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
  /// An answer whose body breaks HTTP framing or passes the size limit (a complete
  /// 2xx body that is not the expected JSON is `EnrichAttempt.unexpectedAnswer`).
  case badBody
  /// A complete 2xx whose body is not a JSON object (an HTML page from a proxy or
  /// gateway, a cut or empty body): retried, bounded; when retries run out the row
  /// fails with `excerpt`, the body's first 200 characters (key redacted).
  case unreadableBody(status: Int, excerpt: String)
  /// No connection could be opened (refused, DNS, connect timeout, TLS handshake).
  case connectFailed

  /// A stable short label for counters: `http_5xx`, `connection_reset`,
  /// `timeout`, `bad_body`, `connect_failed` (`http_other` for a non-5xx status).
  public var label: String {
    switch self {
    case .http(let status): return (500..<600).contains(status) ? "http_5xx" : "http_other"
    case .connectionReset: return "connection_reset"
    case .timeout: return "timeout"
    case .badBody, .unreadableBody: return "bad_body"
    case .connectFailed: return "connect_failed"
    }
  }
}
