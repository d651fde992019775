import Foundation
import LeadsheetCore

/// What a run may spend, said before it spends anything, and whether to ask first.
///
/// `enrich` on a terminal prints it and asks `spend up to 11,820 credits? [y/N]` when
/// the most the run can spend (`upTo`) is over `--confirm-over`; `inspect` prints it
/// too. The figure is the worst case under the job's billing model (every type of
/// every request, found or not), cut by `--limit` and by what the budget
/// (`--max-credits`) leaves: no run can spend more than that.
///
///     let e = SpendEstimate(
///       requests: 11_820, worstCase: 11_820, maxPerRequest: 1, billing: .perRequest)
///     e.upTo                          // 11,820
///     e.needsConfirmation(over: 100)  // true
///     e.question                      // "spend up to 11,820 credits? [y/N] "
public struct SpendEstimate: Sendable, Hashable, Codable {
  /// Pronto's documented daily limit per account: the days are counted at it when
  /// neither `--daily-credits` nor the API's own limit is known.
  public static let prontoDailyLimit = 2_500

  /// Requests still to send (distinct contacts, each with its types).
  public var requests: Int
  /// The same by type (`email`: 11,820…).
  public var requestsByType: [String: Int]
  /// What they cost at most: every type they ask, found or not.
  public var worstCase: Int
  /// The most one request costs (cuts the worst case under `--limit`).
  public var maxPerRequest: Int
  /// The job's billing model.
  public var billing: BillingModel.Kind
  /// What the job has spent already (a job resumed by `enrich`), under its model.
  public var spent: Int
  /// `--max-credits`, when given.
  public var maxCredits: Int?
  /// `--limit`: the most requests this run sends.
  public var limit: Int?
  /// The account's balance (`GET /credits`), when it answered one.
  public var balance: Double?
  /// The daily cap the days are counted at.
  public var dailyCredits: Int
  /// Where the cap comes from: `daily_credits` (the option), `api` (`GET /credits`'s
  /// daily limit) or `pronto` (the documented 2,500).
  public var dailyCreditsSource: String
  /// What the contact store already answers (reused, not bought), when known.
  public var reuse: StoreCoverage?
  /// The worst case with and without `--phone-if`, `--personal-email-if`, `--max-per`
  /// (`inspect` with any of them).
  public var staged: StagedCost?

  /// Creates an estimate.
  public init(
    requests: Int, requestsByType: [String: Int] = [:], worstCase: Int, maxPerRequest: Int,
    billing: BillingModel.Kind, spent: Int = 0, maxCredits: Int? = nil, limit: Int? = nil,
    balance: Double? = nil, dailyCredits: Int? = nil, apiDailyLimit: Int? = nil
  ) {
    self.requests = requests
    self.requestsByType = requestsByType
    self.worstCase = worstCase
    self.maxPerRequest = maxPerRequest
    self.billing = billing
    self.spent = spent
    self.maxCredits = maxCredits
    self.limit = limit
    self.balance = balance
    if let cap = dailyCredits, cap > 0 {
      (self.dailyCredits, dailyCreditsSource) = (cap, "daily_credits")
    } else if let cap = apiDailyLimit, cap > 0 {
      (self.dailyCredits, dailyCreditsSource) = (cap, "api")
    } else {
      (self.dailyCredits, dailyCreditsSource) = (Self.prontoDailyLimit, "pronto")
    }
  }

  /// The most this run can spend: the worst case, cut by `--limit` and by the budget left.
  public var upTo: Int {
    var most = worstCase
    if let limit { most = min(most, max(0, limit) * maxPerRequest) }
    if let maxCredits { most = min(most, max(0, maxCredits - spent)) }
    return most
  }

  /// Days `upTo` takes at the daily cap (0 when there is nothing to spend).
  public var days: Int { (upTo + dailyCredits - 1) / dailyCredits }

  /// Whether to ask before spending: `upTo` is over `threshold` (`--confirm-over`).
  public func needsConfirmation(over threshold: Int) -> Bool { upTo > threshold }

  /// `spend up to 11,820 credits? [y/N] `
  public var question: String { "spend up to \(Self.grouped(upTo)) credits? [y/N] " }

  /// Whether a typed answer says yes (`y`, `yes`, any case, spaces around).
  public static func isYes(_ answer: String?) -> Bool {
    guard let answer else { return false }
    let word = answer.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    return word == "y" || word == "yes"
  }

  /// The estimate in one line:
  ///
  ///     estimate: 11,820 requests (email 11,820); at most 11,820 credits under per-request;
  ///     account balance 50,000 credits; 5 days at 2,500 credits a day (Pronto's daily limit)
  public var line: String {
    let g = Self.grouped
    let byType = requestsByType.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value))" }
    var s = "estimate: \(g(requests)) requests"
    if !byType.isEmpty { s += " (\(byType.joined(separator: ", ")))" }
    s += "; at most \(g(worstCase)) credits under \(billing.rawValue)"
    if let reuse, reuse.creditsSaved > 0 {
      s +=
        " (about \(g(max(0, worstCase - reuse.creditsSaved)))"
        + " once \(g(reuse.rowsCovered + reuse.rowsPartlyCovered)) rows already bought are reused)"
    }
    var cuts: [String] = []
    if let limit { cuts.append("--limit \(g(limit))") }
    if let maxCredits {
      cuts.append("--max-credits \(g(maxCredits))" + (spent > 0 ? ", \(g(spent)) spent" : ""))
    }
    if !cuts.isEmpty, upTo < worstCase {
      s += ", up to \(g(upTo)) this run (\(cuts.joined(separator: "; ")))"
    }
    if let balance {
      s += "; account balance \(g(Int(balance.rounded(.down)))) credits"
      if Double(upTo) > balance { s += " (not enough for all of it)" }
    }
    let source =
      switch dailyCreditsSource {
      case "daily_credits": "--daily-credits"
      case "api": "the account's daily limit"
      default: "Pronto's daily limit"
      }
    s += "; \(g(days)) day\(days == 1 ? "" : "s") at \(g(dailyCredits)) credits a day (\(source))"
    if let staged { s += "\n" + staged.line }
    return s
  }

  /// `1,234,567`
  static func grouped(_ n: Int) -> String { BudgetPause.grouped(n) }
}
