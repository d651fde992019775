import Foundation
import JobStore
import LeadsheetCore

/// The worst case of a list with and without its staging rules (`inspect
/// --phone-if`, `--personal-email-if`, `--max-per`).
///
/// Without the rules, every distinct request buys every type the store does not
/// already answer. With them, a staged type is left out where the store already
/// holds an email that the rule says spares it, and beyond the first N requests of
/// a `--max-per` group; everything else counts at its worst (an email still to buy
/// may be not found, so the phone it defers may be bought).
///
///     var cost = StagedCost(policy: StagePolicy(phoneIf: .noEmail), billing: model)
///     cost.add(types: [.email, .phone], reused: [:], group: nil)
///     cost.withRules      // 11: the email may be not found
public struct StagedCost: Sendable, Hashable, Codable {
  /// The rules, as the options spell them (`--phone-if no-email`…).
  public var rules: String
  /// Worst-case credits with the rules.
  public var withRules = 0
  /// Worst-case credits without them.
  public var withoutRules = 0
  /// Staged types left out by the rules, by type.
  public var spared: [String: Int] = [:]

  private let policy: StagePolicy
  private let billing: BillingModel
  private var used: [String: Int] = [:]

  enum CodingKeys: String, CodingKey {
    case rules, spared
    case withRules = "with_rules"
    case withoutRules = "without_rules"
  }

  /// Reads the figures back (counting more after that uses no rules).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    rules = try c.decode(String.self, forKey: .rules)
    withRules = try c.decode(Int.self, forKey: .withRules)
    withoutRules = try c.decode(Int.self, forKey: .withoutRules)
    spared = try c.decode([String: Int].self, forKey: .spared)
    policy = StagePolicy()
    billing = BillingModel()
  }

  /// An empty count for `policy` under `billing`.
  public init(policy: StagePolicy, billing: BillingModel) {
    self.policy = policy
    self.billing = billing
    var words: [String] = []
    if policy.phoneIf != .always { words.append("--phone-if \(policy.phoneIf.rawValue)") }
    if policy.personalEmailIf != .always {
      words.append("--personal-email-if \(policy.personalEmailIf.rawValue)")
    }
    if let maxPer = policy.maxPer { words.append("--max-per \(maxPer.text)") }
    rules = words.joined(separator: " ")
  }

  /// Counts one distinct request asking `types`, of which the store answers `reused`,
  /// in `group` (`--max-per`'s folded value; `nil`: none). Call in send order.
  public mutating func add(
    types: [EnrichmentType], reused: [EnrichmentType: StoredAnswer], group: String?
  ) {
    let toBuy = types.filter { reused[$0] == nil }
    withoutRules += billing.worstCase(types: toBuy)
    let email = reused[.email].map(ReusedAnswers.Answer.init)
    let quota: StageQuestion.Quota = group.map { .used(used[$0, default: 0]) } ?? .none
    let plan = policy.plan(StageQuestion(toBuy: toBuy, email: email, quota: quota))
    var bought = plan.buy + plan.deferred
    // A deferred staged type still takes a place when it is bought: at worst, it is.
    if let maxPer = policy.maxPer, let group, !plan.takesQuota,
      plan.deferred.contains(where: StagePolicy.stagedTypes.contains)
    {
      if used[group, default: 0] >= maxPer.limit {
        bought.removeAll { plan.deferred.contains($0) && StagePolicy.stagedTypes.contains($0) }
      } else {
        used[group, default: 0] += 1
      }
    }
    if plan.takesQuota, let group { used[group, default: 0] += 1 }
    for type in toBuy where !bought.contains(type) { spared[type.rawValue, default: 0] += 1 }
    withRules += billing.worstCase(types: bought)
  }

  /// `staged: at most 1,240 credits with --phone-if no-email (3,300 without; phone
  /// 206 spared)`
  public var line: String {
    let g = BudgetPause.grouped
    var s = "staged: at most \(g(withRules)) credits with \(rules) (\(g(withoutRules)) without"
    let kept = spared.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value))" }
    if !kept.isEmpty { s += "; spared: \(kept.joined(separator: ", "))" }
    return s + ")"
  }
}
