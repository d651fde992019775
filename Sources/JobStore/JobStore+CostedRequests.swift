import Foundation
import LeadsheetCore

/// One request of a job as far as credits are concerned: what it asked for, what
/// became of it, and when its outcome was recorded.
///
/// The same classes `creditTally(job:)` counts: answers (found or not found) cost
/// their price under the job's `BillingModel`; failures that may have been billed
/// (`BillingModel.mayHaveBeenBilled`) cost their worst case; requests without a
/// final outcome are still to be bought. Priced under the job's model, the spent
/// ones add up to what the budget calls spent, so that `status`, the report and the
/// account's bill say the same.
public struct CostedRequest: Sendable, Hashable {
  /// What became of the request.
  public enum Outcome: Sendable, Hashable {
    /// Answered (found or not found), with what it found.
    case answered(AnswerFindings)
    /// Failed in a way that may have been billed: counted at its worst case.
    case possiblyBilled
    /// No final outcome yet (pending, in flight, submitted).
    case left
  }

  /// The types asked (sorted).
  public var types: [EnrichmentType]
  /// What became of it.
  public var outcome: Outcome
  /// When its outcome was recorded (`nil` for requests left and old outcomes).
  public var finishedAt: Date?
  /// The types taken from the contact store instead of bought (sorted; not in `types`).
  public var reused: [EnrichmentType]
  /// The types not bought on purpose (`--phone-if`, `--max-per`; sorted; not in `types`).
  public var skipped: [EnrichmentType] = []

  /// Creates a value (for tests and tools; the store makes them).
  public init(
    types: [EnrichmentType], outcome: Outcome, finishedAt: Date? = nil,
    reused: [EnrichmentType] = []
  ) {
    self.types = types.sorted()
    self.outcome = outcome
    self.finishedAt = finishedAt
    self.reused = reused.sorted()
  }

  /// What the reused types would have cost bought with the same answer under
  /// `model` (0 when nothing was reused or the request has no answer).
  public func savedByReuse(under model: BillingModel) -> Int {
    guard !reused.isEmpty, case .answered(let findings) = outcome else { return 0 }
    return model.cost(of: reused, answer: findings)
  }

  /// What it cost under `model` (0 for a request left).
  public func cost(under model: BillingModel) -> Int {
    switch outcome {
    case .answered(let findings): return model.cost(of: types, answer: findings)
    case .possiblyBilled: return model.worstCase(types: types)
    case .left: return 0
    }
  }

  /// What it cost for `type` alone under `model` (0 when `type` was not asked).
  public func cost(of type: EnrichmentType, under model: BillingModel) -> Int {
    guard types.contains(type) else { return 0 }
    switch outcome {
    case .answered(let findings): return model.cost(of: [type], answer: findings)
    case .possiblyBilled: return model.worstCase(types: [type])
    case .left: return 0
    }
  }
}

extension JobStore {
  /// Calls `body` with each request of the job but those refused without being
  /// billed (4xx, given up after 429s), in id order: see `CostedRequest`. A staged
  /// request whose first stage answered and whose later stage has no answer yet (or
  /// failed) gives two: the first stage, answered, and the rest.
  ///
  /// Reads the `requests` table only (no rows, no response JSON): cheap enough for
  /// `leadsheet status`, which counts the credits run by run and day by day.
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func forEachCostedRequest(job: JobID, _ body: (CostedRequest) throws -> Void) throws {
    let stmt = try connection.prepare(
      """
      SELECT state, status, error_class, email, personal_email, phones, body, contact_key,
        finished_at, reused, staged
      FROM requests WHERE job_id = ? ORDER BY id
      """)
    try stmt.bind([.text(job.rawValue)])
    var columns = CreditColumns()
    while try stmt.step() {
      let outcome: CostedRequest.Outcome
      if stmt.text(0) != "done" {
        outcome = .left
      } else {
        switch stmt.text(1) {
        case RowStatus.found.rawValue, RowStatus.notFound.rawValue:
          let phones = columns.phoneNumbers(stmt)
          outcome = .answered(
            AnswerFindings(
              email: !(stmt.text(3) ?? "").isEmpty, personalEmail: !(stmt.text(4) ?? "").isEmpty,
              phoneNumbers: phones))
        default:
          outcome = .possiblyBilled
        }
      }
      guard var types = columns.types(stmt, reused: 9, staged: 10) else { continue }
      var billed = true
      if case .possiblyBilled = outcome {
        billed = BillingModel.mayHaveBeenBilled(errorClass: stmt.text(2))
      }
      let unanswered: Bool
      switch outcome {
      case .answered: unanswered = false
      default: unanswered = true
      }
      if unanswered, let earlier = columns.earlierStage(stmt, staged: 10) {
        // A first stage answered is spent, when its answer was bought.
        let when = StagedAnswers(json: stmt.text(10)).earlier.values.map(\.boughtAt).min()
        try body(
          CostedRequest(
            types: earlier.types, outcome: .answered(earlier.findings),
            finishedAt: when.map(Date.init(timeIntervalSince1970:))))
        types.removeAll { earlier.types.contains($0) }
      }
      guard billed, !types.isEmpty || !unanswered else { continue }
      var costed = CostedRequest(
        types: types, outcome: outcome,
        finishedAt: stmt.isNull(8) ? nil : Date(timeIntervalSince1970: stmt.double(8)),
        reused: columns.reusedTypes(stmt, reused: 9))
      if !stmt.isNull(10) {
        costed.skipped = StagedAnswers(json: stmt.text(10)).skipped.keys.sorted()
      }
      try body(costed)
    }
  }
}
