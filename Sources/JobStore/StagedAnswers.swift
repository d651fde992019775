import Foundation
import LeadsheetCore

/// Where a staged request stands (`requests.staged`): what it bought in an earlier
/// stage, what it still defers, and what a rule decided not to buy.
///
/// With `--phone-if no-email`, a request for email and phone first buys the email
/// (`deferred` = phone); once the email answers, it goes back to pending with the
/// email in `earlier`, and the next refill asks the rule again: it buys the phone,
/// or finishes with the phone in `skipped`.
///
///     var staged = StagedAnswers()
///     staged.deferred = [.phone]
///     staged.json   // {"deferred":["phone"],"earlier":{},"skipped":{}}
public struct StagedAnswers: Sendable, Hashable {
  /// Answers this request bought in an earlier stage, by type.
  public var earlier: [EnrichmentType: ReusedAnswers.Answer] = [:]
  /// Types left for a later stage (decided once the earlier answers are known).
  public var deferred: [EnrichmentType] = []
  /// Types a rule decided not to buy, with the reason shown in the row's message.
  public var skipped: [EnrichmentType: String] = [:]

  /// Nothing staged.
  public init() {}

  private struct Stored: Codable {
    var earlier: [String: ReusedAnswers.Answer]
    var deferred: [String]
    var skipped: [String: String]
  }

  /// Reads `requests.staged` (`nil` or unreadable text: nothing staged).
  public init(json: String?) {
    guard let json, let data = json.data(using: .utf8),
      let stored = try? JSONDecoder().decode(Stored.self, from: data)
    else { return }
    for (key, answer) in stored.earlier {
      if let type = EnrichmentType(rawValue: key) { earlier[type] = answer }
    }
    deferred = stored.deferred.compactMap(EnrichmentType.init(rawValue:)).sorted()
    for (key, reason) in stored.skipped {
      if let type = EnrichmentType(rawValue: key) { skipped[type] = reason }
    }
  }

  /// Whether `type` is not bought by the request's current stage: bought earlier,
  /// deferred, or skipped.
  public func settles(_ type: EnrichmentType) -> Bool {
    earlier[type] != nil || skipped[type] != nil || deferred.contains(type)
  }

  /// Whether nothing is staged.
  public var isEmpty: Bool { earlier.isEmpty && deferred.isEmpty && skipped.isEmpty }

  /// `requests.staged`: `nil` when nothing is staged.
  public var json: String? {
    guard !isEmpty else { return nil }
    let stored = Stored(
      earlier: Dictionary(uniqueKeysWithValues: earlier.map { ($0.key.rawValue, $0.value) }),
      deferred: deferred.map(\.rawValue),
      skipped: Dictionary(uniqueKeysWithValues: skipped.map { ($0.key.rawValue, $0.value) }))
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return (try? encoder.encode(stored)).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Keeps the answer of `types` in `response` as bought in an earlier stage.
  public mutating func keep(
    _ response: EnrichResponse, types: [EnrichmentType], at time: Date, job: JobID
  ) {
    for type in types {
      let (value, status) = StoredAnswer.part(type, of: response)
      earlier[type] = ReusedAnswers.Answer(
        found: value != nil, value: value, status: status, message: response.message,
        boughtAt: time.timeIntervalSince1970, job: job.rawValue)
    }
  }

  /// `answer` with the earlier stages' answers filled in and the skipped types
  /// marked (`…_status` `skipped`, the reasons in the message when it has none).
  public func completed(_ answer: EnrichResponse?) -> EnrichResponse {
    var base = ReusedAnswers()
    base.answers = earlier
    var out = earlier.isEmpty ? (answer ?? EnrichResponse()) : base.merged(into: answer)
    guard !skipped.isEmpty else { return out }
    for type in skipped.keys {
      switch type {
      case .phone where out.phones?.isEmpty ?? true: out.phoneStatus = Self.skippedStatus
      case .personalEmail where (out.personalEmail ?? "").isEmpty:
        out.personalEmailStatus = Self.skippedStatus
      default: break
      }
    }
    let reasons = skipped.sorted { $0.key < $1.key }.map(\.value).joined(separator: "; ")
    if (out.message ?? "").isEmpty {
      out.message = reasons
    } else if let message = out.message, !message.contains(reasons) {
      out.message = message + "; " + reasons
    }
    if out.status == nil { out.status = out.hasData ? "success" : "not_found" }
    return out
  }

  /// The status a skipped type's column shows.
  public static let skippedStatus = "skipped"
}

/// What a staging rule is asked about one request at refill.
public struct StageQuestion: Sendable, Hashable {
  /// Where the request stands towards its group's `--max-per` places.
  public enum Quota: Sendable, Hashable {
    /// No `--max-per`, or the request's value is blank: no limit.
    case none
    /// The request already holds one of its group's places.
    case taken
    /// The group's places already taken (by other requests).
    case used(Int)
  }

  /// The types the request would buy now (after reuse and earlier stages).
  public var toBuy: [EnrichmentType]
  /// The email's answer when known (reused, or bought in an earlier stage).
  public var email: ReusedAnswers.Answer?
  /// The request's place in its `--max-per` group.
  public var quota: Quota
  /// Requests of the same group ranked before this one that hold no place and have
  /// no final outcome yet: they come first for the group's places.
  public var betterUndecided: Int

  /// Creates a question.
  public init(
    toBuy: [EnrichmentType], email: ReusedAnswers.Answer?, quota: Quota = .none,
    betterUndecided: Int = 0
  ) {
    self.toBuy = toBuy.sorted()
    self.email = email
    self.quota = quota
    self.betterUndecided = betterUndecided
  }
}

/// A staging rule's answer: what to buy now, what to leave for later, what not to buy.
public struct StagePlan: Sendable, Hashable {
  /// Buy now.
  public var buy: [EnrichmentType]
  /// Decide once the types bought now have answered.
  public var deferred: [EnrichmentType] = []
  /// Never buy, with the reason shown to the user.
  public var skipped: [EnrichmentType: String] = [:]
  /// The request takes one of its group's places (it buys a `--max-per` type).
  public var takesQuota = false
  /// Nothing now: better-ranked requests of its group decide first; ask again later.
  public var waits = false

  /// Creates a plan.
  public init(
    buy: [EnrichmentType], deferred: [EnrichmentType] = [],
    skipped: [EnrichmentType: String] = [:], takesQuota: Bool = false
  ) {
    self.buy = buy.sorted()
    self.deferred = deferred.sorted()
    self.skipped = skipped
    self.takesQuota = takesQuota
  }

  /// Buy nothing yet: ask again at a later refill.
  public static let wait: StagePlan = {
    var plan = StagePlan(buy: [])
    plan.waits = true
    return plan
  }()
}

/// The staging rule the store carries out at refill: the runner passes its
/// `StagePolicy` as one.
public typealias StageDecision = @Sendable (StageQuestion) -> StagePlan
