import Foundation

/// Parses an HTTP `Retry-After` value: delay seconds or an HTTP date.
///
/// `Retry-After: 2` → 2 s; `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` → the
/// time from `now` to that date (zero if it is past). The obsolete RFC 850 and
/// asctime date forms are accepted too. Anything else gives `nil`.
public enum RetryAfter {
  /// The longest delay believed; a larger value is clamped to it (1 hour).
  public static let maximum: Duration = .seconds(3600)
  /// The longest reset time of a daily, plan or import limit believed (2 days).
  public static let limitMaximum: Duration = .seconds(2 * 86_400)

  /// Parses a header value.
  ///
  /// - Parameters:
  ///   - value: The header's text.
  ///   - now: The current time, for HTTP dates.
  ///   - maximum: The clamp (a daily limit's reset may be a day away: 24 h).
  /// - Returns: The delay, clamped to `0…maximum`, or `nil` when unreadable.
  public static func parse(
    _ value: String, now: Date = Date(), maximum: Duration = maximum
  ) -> Duration? {
    let text = value.trimmingCharacters(in: .whitespaces)
    if text.isEmpty { return nil }
    if text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
      guard let seconds = Int(text) else { return maximum }
      return min(.seconds(seconds), maximum)
    }
    if let fractional = Double(text), fractional >= 0, fractional.isFinite {
      return min(.milliseconds(Int64(fractional * 1000)), maximum)
    }
    for format in formats {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "GMT")
      formatter.dateFormat = format
      if let date = formatter.date(from: text) {
        let interval = date.timeIntervalSince(now)
        if interval <= 0 { return .zero }
        return min(.milliseconds(Int64(interval * 1000)), maximum)
      }
    }
    return nil
  }

  /// IMF-fixdate, RFC 850 and asctime, as RFC 9110 §5.6.7 requires recipients to accept.
  static let formats = [
    "EEE, dd MMM yyyy HH:mm:ss zzz",
    "EEEE, dd-MMM-yy HH:mm:ss zzz",
    "EEE MMM d HH:mm:ss yyyy",
  ]
}
