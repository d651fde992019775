import Foundation
import JobStore
import LeadsheetCore

/// Which types a request buys now, later or never: `--phone-if`,
/// `--personal-email-if` and `--max-per`.
///
/// A staged type (phone, personal email) under a rule other than `always` waits for
/// the email's answer: the request buys its email first, and the rule then decides
/// with what the email found. Under `--max-per COLUMN=N`, at most N requests per
/// value of COLUMN buy a staged type; the others skip it. The store carries the
/// plan out at refill (`JobStore.takeRequests(job:limit:reuse:stage:)`).
///
///     let policy = StagePolicy(phoneIf: .noEmail)
///     policy.plan(StageQuestion(toBuy: [.email, .phone], email: nil))
///     // buy [email], deferred [phone]
public struct StagePolicy: Sendable, Hashable {
  /// `--phone-if`.
  public var phoneIf: StageCondition
  /// `--personal-email-if`.
  public var personalEmailIf: StageCondition
  /// `--max-per`: the column and the most requests per value buying a staged type.
  public var maxPer: MaxPer?

  /// `--max-per COLUMN=N`.
  public struct MaxPer: Sendable, Hashable {
    /// The column's header, as given.
    public var column: String
    /// The most requests per value.
    public var limit: Int

    /// Creates a limit.
    public init(column: String, limit: Int) {
      self.column = column
      self.limit = limit
    }

    /// Reads `COLUMN=N` (the last `=` splits); `nil` when it does not parse or N < 1.
    public static func parse(_ text: String) -> MaxPer? {
      guard let eq = text.lastIndex(of: "=") else { return nil }
      let column = text[..<eq].trimmingCharacters(in: .whitespaces)
      guard !column.isEmpty,
        let n = Int(text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)), n >= 1
      else { return nil }
      return MaxPer(column: column, limit: n)
    }

    /// `COLUMN=N`.
    public var text: String { "\(column)=\(limit)" }
  }

  /// Creates a policy (the default stages nothing).
  public init(
    phoneIf: StageCondition = .always, personalEmailIf: StageCondition = .always,
    maxPer: MaxPer? = nil
  ) {
    self.phoneIf = phoneIf
    self.personalEmailIf = personalEmailIf
    self.maxPer = maxPer
  }

  /// The job's stored rules (unreadable values count as `always` / no limit).
  public init(options: JobOptions) {
    self.init(
      phoneIf: options.phoneIf.flatMap(StageCondition.init(argument:)) ?? .always,
      personalEmailIf: options.personalEmailIf.flatMap(StageCondition.init(argument:)) ?? .always,
      maxPer: options.maxPer.flatMap(MaxPer.parse))
  }

  /// Whether the policy changes anything (else the store is given no rule at all).
  public var isActive: Bool { phoneIf != .always || personalEmailIf != .always || maxPer != nil }

  /// The types a rule or `--max-per` governs.
  public static let stagedTypes: [EnrichmentType] = [.phone, .personalEmail]

  /// The condition of `type` (`always` for email).
  public func condition(_ type: EnrichmentType) -> StageCondition {
    switch type {
    case .phone: return phoneIf
    case .personalEmail: return personalEmailIf
    case .email: return .always
    }
  }

  /// What the request buys now, defers or skips.
  ///
  /// - A type whose condition is not `always` is deferred while the email is being
  ///   bought by this same request, and decided once it answered: bought when the
  ///   condition allows, else skipped. Without an email answer to come (the job does
  ///   not ask for email), it is bought.
  /// - Then `--max-per`: a request buying a staged type takes one of its group's
  ///   places; with none left, it skips its staged types. While better-ranked
  ///   requests of the group are undecided and could take the places left, its
  ///   staged types wait (deferred behind its email, or the whole request waits).
  public func plan(_ question: StageQuestion) -> StagePlan {
    var buy: [EnrichmentType] = []
    var deferred: [EnrichmentType] = []
    var skipped: [EnrichmentType: String] = [:]
    let emailComing = question.toBuy.contains(.email)
    for type in question.toBuy {
      let condition = condition(type)
      guard condition != .always else {
        buy.append(type)
        continue
      }
      if let email = question.email {
        if condition.allows(emailFound: email.found, emailStatus: email.status) {
          buy.append(type)
        } else {
          skipped[type] = Self.reason(type, condition, email: email)
        }
      } else if emailComing {
        deferred.append(type)
      } else {
        buy.append(type)
      }
    }
    var takesQuota = false
    if let maxPer, buy.contains(where: Self.stagedTypes.contains) {
      switch question.quota {
      case .none: break
      case .taken: takesQuota = true
      case .used(let n)
      where n + question.betterUndecided >= maxPer.limit
        && question.betterUndecided > 0:
        // Better-ranked rows of the group may still want the places left: they go
        // first. Buy the rest now and decide the staged types later.
        let staged = buy.filter(Self.stagedTypes.contains)
        buy.removeAll(where: Self.stagedTypes.contains)
        if buy.isEmpty && deferred.isEmpty { return .wait }
        deferred += staged
      case .used(let n) where n < maxPer.limit: takesQuota = true
      case .used:
        for type in buy where Self.stagedTypes.contains(type) {
          skipped[type] = "\(type.rawValue) not bought: --max-per \(maxPer.text) reached"
        }
        buy.removeAll(where: Self.stagedTypes.contains)
      }
    }
    return StagePlan(buy: buy, deferred: deferred, skipped: skipped, takesQuota: takesQuota)
  }

  /// Why `type` was not bought, for the row's message.
  static func reason(
    _ type: EnrichmentType, _ condition: StageCondition, email: ReusedAnswers.Answer
  ) -> String {
    let flag = type == .phone ? "--phone-if" : "--personal-email-if"
    let found = email.status.map { "email found (\($0))" } ?? "email found"
    return "\(type.rawValue) not bought: \(found), \(flag) \(condition.rawValue)"
  }

  /// Checks that a job asking for `types` can follow the rules.
  ///
  /// - Throws: `LeadsheetError(.usage)` for a rule on a type the job does not buy,
  ///   or a rule that waits for an email the job does not ask for.
  public func check(types: [EnrichmentType]) throws {
    for (type, flag) in [
      (EnrichmentType.phone, "--phone-if"), (.personalEmail, "--personal-email-if"),
    ]
    where condition(type) != .always {
      guard types.contains(type) else {
        throw LeadsheetError(
          .usage, "\(flag) \(condition(type).rawValue): the job does not buy \(type.rawValue)",
          hint: "add \(type.rawValue) to --types, or leave \(flag) out")
      }
      guard types.contains(.email) else {
        throw LeadsheetError(
          .usage,
          "\(flag) \(condition(type).rawValue) decides on the email's answer, and the job does not buy email",
          hint: "use --types email,\(type.rawValue)")
      }
    }
    if let maxPer, !types.contains(where: Self.stagedTypes.contains) {
      throw LeadsheetError(
        .usage, "--max-per \(maxPer.text) limits phones and personal emails; the job buys neither",
        hint: "add phone to --types, or leave --max-per out")
    }
  }

  /// The decision the store carries out (`nil` when the policy changes nothing).
  public var decision: StageDecision? {
    guard isActive else { return nil }
    let policy = self
    return { policy.plan($0) }
  }
}
