import Foundation
import JobStore
import LeadsheetCore

/// What a job spent and what it has left to spend, under its billing model
/// (`--billing`, `--credit-cost`): in total, by type and by UTC day, with its budget
/// (`--max-credits`) and the days the rest takes at the daily cap.
///
/// "Spent" is what the budget counts (`CreditTally.spent(under:)`): every answer at
/// its price under the model, and every failure that may have been billed at its
/// worst case. `status`, `jobs`, the report and the account's bill all show this
/// figure, so they agree with what stopped the job.
///
///     let (spending, bill) = try JobSpending.read(store: store, job: id)
///     spending.creditsSpent        // 1,510
///     spending.daysToFinish        // 3 (at 2,500 credits a day)
public struct JobSpending: Sendable, Hashable, Codable {
  /// Pronto's documented daily limit per account ("a daily limit of 2,500 credits per
  /// account"): the cap the days are projected at when the job sets none.
  public static let prontoDailyLimit = 2_500

  /// The billing model's name (`per-request`, `per-found`, `per-number`).
  public var billing: String
  /// The credit costs priced with (`email=1,phone=10,personal_email=3`).
  public var creditCosts: String
  /// Credits spent over all the job's runs.
  public var creditsSpent: Int
  /// Credits spent, by enrichment type (every type the job asks, 0 included).
  public var spentByType: [TypeCredits]
  /// Credits spent, by the UTC day the outcome was recorded, oldest first.
  public var spentByDay: [DayCredits]
  /// Credits this job spent on the current UTC day.
  public var creditsToday: Int
  /// Requests without a final outcome yet.
  public var requestsLeft: Int
  /// What they should cost under the model (`CreditTally.estimateLeft(under:)`).
  public var creditsLeftEstimate: Int
  /// What they cost at most (every type they ask, found or not).
  public var creditsLeftWorstCase: Int
  /// The budget (`--max-credits`), when the job has one.
  public var maxCredits: Int?
  /// `max_credits − credits_spent` (at least 0), when the job has a budget.
  public var budgetLeft: Int?
  /// The daily cap the days are projected at: `--daily-credits`, else Pronto's 2,500.
  public var dailyCredits: Int
  /// `daily_credits` (the job's cap) or `pronto` (the documented limit).
  public var dailyCreditsSource: String
  /// Days the rest of the list takes at the daily cap: the estimate left over the cap,
  /// rounded up (0 when nothing is left). The budget does not cut it: it says how long
  /// finishing takes, `budget_left` how much of it is paid for.
  public var daysToFinish: Int
  /// Answers taken from the contact store instead of bought (bought by an earlier
  /// job, or by this one for the same contact written differently), by type.
  public var reusedByType: [TypeCount]
  /// Answers bought by this job, by type (requests answered, found or not).
  public var boughtByType: [TypeCount]
  /// What the reused answers would have cost if bought again, under the job's model.
  public var creditsSavedByReuse: Int
  /// Types not bought on purpose (`--phone-if`, `--personal-email-if`, `--max-per`),
  /// by type (absent in reports written before them).
  public var notBoughtByType: [TypeCount]?

  /// A count of one enrichment type.
  public struct TypeCount: Sendable, Hashable, Codable {
    /// `email`, `phone` or `personal_email`.
    public var type: String
    /// How many.
    public var count: Int
  }

  /// Credits of one enrichment type.
  public struct TypeCredits: Sendable, Hashable, Codable {
    /// `email`, `phone` or `personal_email`.
    public var type: String
    /// Credits.
    public var credits: Int
  }

  /// Credits of one UTC day.
  public struct DayCredits: Sendable, Hashable, Codable {
    /// `2026-12-03`.
    public var day: String
    /// Credits.
    public var credits: Int
  }
}

extension JobSpending {
  /// Accumulates a job's costed requests (`JobStore.forEachCostedRequest`): one pass
  /// gives the spending and leadsheet's count per run for the account's bill.
  struct Pass {
    let model: BillingModel
    /// The job's runs, oldest first.
    let runs: [RunRecord]
    var tally = CreditTally()
    var byType: [EnrichmentType: Int] = [:]
    var byDay: [Int: Int] = [:]
    var byRun: [Int]
    /// Requests that cost something, by their outcome's run (what the bill compares).
    var total = 0
    var reusedByType: [EnrichmentType: Int] = [:]
    var boughtByType: [EnrichmentType: Int] = [:]
    var notBoughtByType: [EnrichmentType: Int] = [:]
    var saved = 0

    init(model: BillingModel, runs: [RunRecord]) {
      self.model = model
      self.runs = runs
      byRun = Array(repeating: 0, count: runs.count)
    }

    mutating func add(_ request: CostedRequest) {
      switch request.outcome {
      case .left:
        tally.addLeft(types: request.types)
        return
      case .answered(let findings):
        for type in request.reused { reusedByType[type, default: 0] += 1 }
        for type in request.types { boughtByType[type, default: 0] += 1 }
        for type in request.skipped { notBoughtByType[type, default: 0] += 1 }
        saved += request.savedByReuse(under: model)
        tally.addAnswered(types: request.types, findings: findings)
      case .possiblyBilled:
        tally.addPossiblyBilled(types: request.types)
      }
      let cost = request.cost(under: model)
      total += cost
      for type in request.types {
        byType[type, default: 0] += request.cost(of: type, under: model)
      }
      if let at = request.finishedAt {
        byDay[JobSpending.dayNumber(at), default: 0] += cost
        if let k = AccountBill.runIndex(of: at, in: runs) { byRun[k] += cost }
      }
    }

    func spending(options: JobOptions, types: [EnrichmentType], dailyCredits: Int?, now: Date)
      -> JobSpending
    {
      let spent = tally.spent(under: model)
      let estimate = tally.estimateLeft(under: model)
      let worst = tally.worstCaseLeft(under: model)
      let budgetLeft = options.maxCredits.map { max(0, $0 - spent) }
      let cap = (dailyCredits ?? options.dailyCredits).flatMap { $0 > 0 ? $0 : nil }
      let perDay = cap ?? JobSpending.prontoDailyLimit
      let shownTypes = types.isEmpty ? Array(Set(byType.keys)).sorted() : types
      return JobSpending(
        billing: model.kind.rawValue, creditCosts: model.costs.description,
        creditsSpent: spent,
        spentByType: shownTypes.map { TypeCredits(type: $0.rawValue, credits: byType[$0] ?? 0) },
        spentByDay: byDay.keys.sorted().map {
          DayCredits(day: JobSpending.dayText($0), credits: byDay[$0] ?? 0)
        },
        creditsToday: byDay[JobSpending.dayNumber(now)] ?? 0,
        requestsLeft: tally.requestsLeft, creditsLeftEstimate: estimate,
        creditsLeftWorstCase: worst, maxCredits: options.maxCredits, budgetLeft: budgetLeft,
        dailyCredits: perDay, dailyCreditsSource: cap == nil ? "pronto" : "daily_credits",
        daysToFinish: (estimate + perDay - 1) / perDay,
        reusedByType: shownTypes.map {
          TypeCount(type: $0.rawValue, count: reusedByType[$0] ?? 0)
        },
        boughtByType: shownTypes.map {
          TypeCount(type: $0.rawValue, count: boughtByType[$0] ?? 0)
        },
        creditsSavedByReuse: saved,
        notBoughtByType: shownTypes.map {
          TypeCount(type: $0.rawValue, count: notBoughtByType[$0] ?? 0)
        })
    }
  }

  /// Reads a job's requests once: its spending and the account's bill, both priced
  /// under the job's billing model.
  ///
  /// - Parameters:
  ///   - store: The job store.
  ///   - job: The job.
  ///   - dailyCredits: The daily cap to project the days at (`nil`: the job's
  ///     `--daily-credits`, else Pronto's 2,500).
  ///   - now: The current time (the day whose credits are `credits_today`).
  /// - Throws: `LeadsheetError(.notFound)` for an unknown job, `LeadsheetError(.storage)`.
  public static func read(
    store: JobStore, job id: JobID, dailyCredits: Int? = nil, now: Date = Date()
  ) throws -> (spending: JobSpending, bill: AccountBill) {
    guard let job = try store.job(id) else {
      throw LeadsheetError(
        .notFound, file: store.path, "no job \(id) in this database",
        hint: "leadsheet jobs lists them")
    }
    let options = JobOptions(json: job.spec.options) ?? JobOptions(types: [])
    let runs = try store.runs(job: id)
    var pass = Pass(model: options.billingModel, runs: runs)
    try store.forEachCostedRequest(job: id) { pass.add($0) }
    let types = job.spec.enrichmentTypes.isEmpty ? options.types : job.spec.enrichmentTypes
    let spending = pass.spending(
      options: options, types: types, dailyCredits: dailyCredits, now: now)
    let bill = AccountBill.make(
      runs: runs, counted: pass.byRun, total: pass.total,
      billing: options.billingModel.kind.rawValue)
    return (spending, bill)
  }

  /// The UTC day number (days since 1970-01-01) of an instant.
  static func dayNumber(_ date: Date) -> Int {
    Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
  }

  /// `2026-12-03` for a UTC day number.
  static func dayText(_ day: Int) -> String {
    let date = Date(timeIntervalSince1970: Double(day) * 86_400)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    return formatter.string(from: date)
  }
}
