import Foundation
import JobStore
import LeadsheetCore

/// Whether an answer in the contact store may stand in for buying it again
/// (`--max-age`, `--recheck-not-found-after`, `--refresh`).
///
/// An answer younger than `maxAge` is reused; a not-found answer only while younger
/// than `recheckNotFoundAfter` too (providers' data changes: what was not found may be
/// found later). `refresh` buys everything again; a `maxAge` of 0 as well.
///
///     let policy = ReusePolicy()                       // 90 days, not-found 30 days
///     policy.reuses(found: true, boughtAt: tenDaysAgo, now: now)   // true
///     policy.reuses(found: false, boughtAt: fortyDaysAgo, now: now) // false
public struct ReusePolicy: Sendable, Hashable {
  /// The oldest answer reused, in seconds (`--max-age`, default 90 days).
  public var maxAge: TimeInterval
  /// The oldest not-found answer reused, in seconds (`--recheck-not-found-after`,
  /// default 30 days).
  public var recheckNotFoundAfter: TimeInterval
  /// Buy everything again (`--refresh`).
  public var refresh: Bool

  /// Creates a policy (the defaults: 90 days, not-found answers 30 days).
  public init(
    maxAge: TimeInterval = 90 * 86_400, recheckNotFoundAfter: TimeInterval = 30 * 86_400,
    refresh: Bool = false
  ) {
    self.maxAge = maxAge
    self.recheckNotFoundAfter = recheckNotFoundAfter
    self.refresh = refresh
  }

  /// Whether an answer that `found` (or not) and was bought at `boughtAt` is reused.
  public func reuses(found: Bool, boughtAt: Date, now: Date) -> Bool {
    guard !refresh, maxAge > 0 else { return false }
    let age = now.timeIntervalSince(boughtAt)
    guard age <= maxAge else { return false }
    return found || age <= recheckNotFoundAfter
  }

  /// What a request asking for `types` (phones in `countries`) can take from the
  /// store's answers of its contact, and what it must still buy.
  ///
  /// An answer bought by `job` itself (the same contact written differently in one
  /// list) is always reused, whatever the ages: the job already paid for it in this
  /// very list.
  public func plan(
    types: [EnrichmentType], countries: [String]?, stored: [String: StoredAnswer], now: Date,
    job: JobID? = nil
  ) -> (reused: [EnrichmentType: StoredAnswer], toBuy: [EnrichmentType]) {
    var reused: [EnrichmentType: StoredAnswer] = [:]
    var toBuy: [EnrichmentType] = []
    for type in types {
      if let answer = stored[StoredAnswer.typeKey(type, countries: countries)],
        answer.job == job || reuses(found: answer.found, boughtAt: answer.boughtAt, now: now)
      {
        reused[type] = answer
      } else {
        toBuy.append(type)
      }
    }
    return (reused, toBuy)
  }

  /// The decision the store carries out for `job` (`JobStore.takeRequests`), at the
  /// wall-clock time of each refill.
  public func decision(job: JobID) -> ReuseDecision {
    { request, stored in
      plan(
        types: request.enrichmentType, countries: request.phoneCountryCodes, stored: stored,
        now: Date(), job: job
      ).reused
    }
  }

  /// Seconds in an age as the options write it: `90d`, `12h`, `30m`, `0`.
  ///
  /// - Returns: `nil` for text that is not a whole number with one of those units
  ///   (a bare `0` needs none).
  public static func seconds(_ text: String) -> TimeInterval? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    if t == "0" { return 0 }
    guard let unit = t.last, let n = Int(t.dropLast()), n >= 0 else { return nil }
    switch unit {
    case "d": return Double(n) * 86_400
    case "h": return Double(n) * 3_600
    case "m": return Double(n) * 60
    default: return nil
    }
  }
}

extension ReusePolicy {
  /// The policy a job's stored options name (`max_age`, `recheck_not_found_after`,
  /// `refresh`); absent or unreadable values take the defaults.
  public init(options: JobOptions) {
    self.init()
    if let text = options.maxAge, let s = Self.seconds(text) { maxAge = s }
    if let text = options.recheckNotFoundAfter, let s = Self.seconds(text) {
      recheckNotFoundAfter = s
    }
    refresh = options.refresh ?? false
  }

  /// An age in seconds as the options write it back: `90d`, `12h`, `30m`, `0`.
  public static func text(_ seconds: TimeInterval) -> String {
    let s = Int(seconds.rounded())
    if s == 0 { return "0" }
    if s % 86_400 == 0 { return "\(s / 86_400)d" }
    if s % 3_600 == 0 { return "\(s / 3_600)h" }
    return "\(max(1, s / 60))m"
  }
}
