import Foundation
import JobStore
import LeadsheetCore

/// The bill as the account saw it: what its credit balance says each run cost,
/// next to leadsheet's own count of the credits spent.
///
/// `enrich` and `resume` read the balance (`GET /credits`) before and after each
/// run and store both with the run (`credits_before`, `credits_after`; `nil` when
/// the API did not answer). A run with both balances is *measured*: the account
/// was charged `before − after` during it. Leadsheet's count is the same sum the
/// report's `credits_billed` makes (the cost of every type each answered request
/// asked for), split by the run during which each answer was recorded. Runs
/// without both balances are left out of the account's figure, and of the count
/// it is compared with.
///
/// The balance is the account's: anything else spending its credits during a
/// run (another job, another tool) is in the charge too.
///
///     let bill = try AccountBill.build(store: store, job: id)
///     print(bill.sentence)  // the account was charged 1,932 credits; leadsheet counted 1,510 …
public struct AccountBill: Sendable, Hashable, Codable {
  /// How far the two figures may differ before the report says so: 2 % of leadsheet's count.
  public static let tolerance = 0.02

  /// Every run, oldest first.
  public var runs: [RunBill]
  /// Runs with both balances known.
  public var runsMeasured: Int
  /// Credits the account was charged over the measured runs (`nil` when none was measured).
  public var creditsCharged: Double?
  /// Leadsheet's count of credits over the measured runs: what `credits_charged` is compared with.
  public var creditsCountedMeasured: Int
  /// Leadsheet's count over every run (= the report's `cost.credits_billed`).
  public var creditsCounted: Int
  /// `credits_charged − credits_counted_measured` (`nil` when no run was measured).
  public var difference: Double?
  /// `difference / credits_counted_measured`, rounded to 4 decimals (`nil` when
  /// no run was measured or leadsheet counted nothing).
  public var differenceShare: Double?
  /// Whether the two figures differ by more than 2 % of leadsheet's count (any
  /// charge when leadsheet counted nothing).
  public var differs: Bool
  /// The latest balance known: the last run's balance after, else before, else an earlier run's.
  public var latestBalance: Double?
  /// When that balance was read: the end (or start) of its run (ISO 8601, UTC).
  public var latestBalanceAt: String?
  /// The billing model leadsheet counted under (`per-request`, `per-found`,
  /// `per-number`; `nil` in bills made without one).
  public var billing: String?

  /// Creates a value (the builder makes them; tests and tools may too).
  public init(
    runs: [RunBill], runsMeasured: Int, creditsCharged: Double?, creditsCountedMeasured: Int,
    creditsCounted: Int, difference: Double?, differenceShare: Double?, differs: Bool,
    latestBalance: Double?, latestBalanceAt: String?, billing: String? = nil
  ) {
    self.billing = billing
    self.runs = runs
    self.runsMeasured = runsMeasured
    self.creditsCharged = creditsCharged
    self.creditsCountedMeasured = creditsCountedMeasured
    self.creditsCounted = creditsCounted
    self.difference = difference
    self.differenceShare = differenceShare
    self.differs = differs
    self.latestBalance = latestBalance
    self.latestBalanceAt = latestBalanceAt
  }

  /// Whether any run read a balance at all (jobs run before balances were stored read none).
  public var hasBalances: Bool {
    runs.contains { $0.creditsBefore != nil || $0.creditsAfter != nil }
  }

  /// The bill in one plain sentence.
  ///
  /// `the account was charged 1,932 credits; leadsheet counted 1,510 (422 more, 27.9%;
  /// 2 of 3 runs measured)`, or with figures within 2 %
  /// `the account was charged 1,000 credits, as leadsheet counted (1,000; 1 of 1 run measured)`.
  public var sentence: String {
    let f = ReportFormat.self
    let measured =
      "\(f.count(runsMeasured)) of \(f.count(runs.count)) "
      + (runs.count == 1 ? "run" : "runs") + " measured"
    guard let creditsCharged else {
      return runs.isEmpty
        ? "no run yet: the account's balance was not read"
        : "no run read the account's balance before and after (0 of \(f.count(runs.count)) "
          + (runs.count == 1 ? "run" : "runs") + " measured)"
    }
    let charged =
      "the account was charged \(f.credits(creditsCharged)) "
      + (creditsCharged == 1 ? "credit" : "credits")
    guard differs else {
      let under = billing.map { " under \($0)" } ?? ""
      return
        "\(charged), as leadsheet counted\(under) (\(f.count(creditsCountedMeasured)); \(measured))"
    }
    let d = difference ?? 0
    var s = "\(charged); leadsheet counted \(f.count(creditsCountedMeasured))"
    if let billing { s += " under \(billing)" }
    s += " (\(f.credits(abs(d))) \(d > 0 ? "more" : "less")"
    // The percentage from the exact figures (the rounded share would round twice).
    if creditsCountedMeasured > 0 {
      s += ", \(f.percent(abs(d) / Double(creditsCountedMeasured)))"
    }
    return s + "; \(measured))"
  }

  /// Reads a job's runs and requests and compares the two bills, leadsheet's count
  /// priced under the job's billing model (as the budget counts).
  ///
  /// - Parameters:
  ///   - store: The job store.
  ///   - job: The job.
  /// - Throws: `LeadsheetError(.notFound)` for an unknown job, `LeadsheetError(.storage)`.
  public static func build(store: JobStore, job id: JobID) throws -> AccountBill {
    try JobSpending.read(store: store, job: id).bill
  }

  /// The run during which an answer recorded at `date` came: the last run started at
  /// or before it (the first run for an earlier time; `nil` without a time or a run).
  static func runIndex(of date: Date?, in runs: [RunRecord]) -> Int? {
    guard let date, !runs.isEmpty else { return nil }
    return runs.lastIndex { $0.startedAt <= date } ?? 0
  }

  /// The bill of `runs`, given leadsheet's count per run and in total.
  static func make(runs: [RunRecord], counted: [Int], total: Int, billing: String? = nil)
    -> AccountBill
  {
    var bills: [RunBill] = []
    var charged: Double?
    var countedMeasured = 0
    var measured = 0
    var latest: (Double, Date)?
    for (k, run) in runs.enumerated() {
      let bill = RunBill(
        run: k + 1, startedAt: isoText(run.startedAt), endedAt: run.endedAt.map(isoText),
        creditsBefore: run.creditsBefore, creditsAfter: run.creditsAfter,
        creditsCharged: run.creditsCharged.map(rounded), creditsCounted: counted[k])
      bills.append(bill)
      if let c = bill.creditsCharged {
        measured += 1
        charged = (charged ?? 0) + c
        countedMeasured += counted[k]
      }
      if let after = run.creditsAfter {
        latest = (after, run.endedAt ?? run.startedAt)
      } else if let before = run.creditsBefore {
        latest = (before, run.startedAt)
      }
    }
    let difference = charged.map { rounded($0 - Double(countedMeasured)) }
    let share = difference.flatMap { d in
      countedMeasured > 0 ? (d / Double(countedMeasured) * 10_000).rounded() / 10_000 : nil
    }
    let differs =
      difference.map { abs($0) > tolerance * Double(countedMeasured) && abs($0) >= 0.005 }
      ?? false
    return AccountBill(
      runs: bills, runsMeasured: measured, creditsCharged: charged.map(rounded),
      creditsCountedMeasured: countedMeasured, creditsCounted: total, difference: difference,
      differenceShare: share, differs: differs, latestBalance: latest?.0,
      latestBalanceAt: latest.map { isoText($0.1) }, billing: billing)
  }

  /// Credits to 2 decimals (balances may be fractional; sums should not drift).
  static func rounded(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}

/// One run of a job as the account's balance saw it.
public struct RunBill: Sendable, Hashable, Codable {
  /// The run's number in the job, from 1.
  public var run: Int
  /// When it started (ISO 8601, UTC).
  public var startedAt: String
  /// When it ended (`nil` while running, or after a crash).
  public var endedAt: String?
  /// The balance when it started (`nil`: the API did not answer, or an older version ran it).
  public var creditsBefore: Double?
  /// The balance when it ended.
  public var creditsAfter: Double?
  /// `credits_before − credits_after`, when both are known.
  public var creditsCharged: Double?
  /// Leadsheet's count of the credits of the requests answered during the run.
  public var creditsCounted: Int

  /// Creates a value.
  public init(
    run: Int, startedAt: String, endedAt: String?, creditsBefore: Double?,
    creditsAfter: Double?, creditsCharged: Double?, creditsCounted: Int
  ) {
    self.run = run
    self.startedAt = startedAt
    self.endedAt = endedAt
    self.creditsBefore = creditsBefore
    self.creditsAfter = creditsAfter
    self.creditsCharged = creditsCharged
    self.creditsCounted = creditsCounted
  }
}
