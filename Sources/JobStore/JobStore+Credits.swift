import Foundation
import LeadsheetCore

extension JobStore {
  /// The job's requests as far as credits are concerned, in one pass: what each
  /// answered request asked for and found, the failures that may have been billed,
  /// and the requests still without a final outcome.
  ///
  /// Price it with `CreditTally.spent(under:)` and `estimateLeft(under:)`: the runner
  /// reads it once when a run starts (what the job spent before), and when a budget
  /// stops the run (what the rest should cost).
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func creditTally(job: JobID) throws -> CreditTally {
    let stmt = try connection.prepare(
      """
      SELECT state, status, error_class, email, personal_email, phones, body, contact_key,
        reused, staged
      FROM requests WHERE job_id = ?
      """)
    try stmt.bind([.text(job.rawValue)])
    var tally = CreditTally()
    // Most requests share a handful of type lists: count by key first.
    var answered: [CreditTally.Answer: Int] = [:]
    var possiblyBilled: [[EnrichmentType]: Int] = [:]
    var left: [[EnrichmentType]: Int] = [:]
    var columns = CreditColumns()
    while try stmt.step() {
      guard let types = columns.types(stmt, reused: 8, staged: 9) else { continue }
      guard stmt.text(0) == "done" else {
        // A first stage answered is spent; the rest is still to buy.
        if let earlier = columns.earlierStage(stmt, staged: 9) {
          answered[earlier, default: 0] += 1
          left[types.filter { !earlier.types.contains($0) }, default: 0] += 1
        } else {
          left[types, default: 0] += 1
        }
        continue
      }
      switch stmt.text(1) {
      case RowStatus.found.rawValue, RowStatus.notFound.rawValue:
        let phones = columns.phoneNumbers(stmt)
        let findings = AnswerFindings(
          email: !(stmt.text(3) ?? "").isEmpty, personalEmail: !(stmt.text(4) ?? "").isEmpty,
          phoneNumbers: phones)
        answered[CreditTally.Answer(types: types, findings: findings), default: 0] += 1
      default:
        // A failed later stage: what the earlier one bought is spent all the same.
        var rest = types
        if let earlier = columns.earlierStage(stmt, staged: 9) {
          answered[earlier, default: 0] += 1
          rest.removeAll { earlier.types.contains($0) }
        }
        if BillingModel.mayHaveBeenBilled(errorClass: stmt.text(2)), !rest.isEmpty {
          possiblyBilled[rest, default: 0] += 1
        }
      }
    }
    for (answer, count) in answered {
      tally.addAnswered(types: answer.types, findings: answer.findings, count: count)
    }
    for (types, count) in possiblyBilled { tally.addPossiblyBilled(types: types, count: count) }
    for (types, count) in left { tally.addLeft(types: types, count: count) }
    return tally
  }

  /// The types field of a request stored as its key alone (the sixth field of
  /// `contact_key`), without decoding the rest; `nil` when the request has a body.
  static func typesField(_ stmt: Statement, body: Int32, key: Int32) -> String? {
    guard stmt.withBlob(body, { $0.isEmpty }) else { return nil }
    return stmt.withBlob(key) { bytes -> String? in
      var field = 0
      var start = 0
      for (i, byte) in bytes.enumerated() where byte == EnrichRequest.contactKeySeparator {
        field += 1
        if field == 5 { start = i + 1 }
        if field == 6 { return String(decoding: bytes[start..<i], as: UTF8.self) }
      }
      return nil
    }
  }
}

/// Reads what a request's credits depend on from a statement whose columns 3 to 7 are
/// `email, personal_email, phones, body, contact_key` (the credit reads' layout),
/// parsing each distinct types field once.
struct CreditColumns {
  private var typesByText: [String: [EnrichmentType]] = [:]
  private let decoder = JSONDecoder()

  /// The types the request buys (sorted): from its key or else its body, less the
  /// types it took from the contact store (column `reused`, `requests.reused`);
  /// `nil` when neither reads.
  mutating func types(_ stmt: Statement, reused: Int32, staged: Int32? = nil) -> [EnrichmentType]? {
    guard var all = types(stmt) else { return nil }
    if let staged, !stmt.isNull(staged) {
      let skipped = StagedAnswers(json: stmt.text(staged)).skipped
      all.removeAll { skipped[$0] != nil }
    }
    guard !stmt.isNull(reused) else { return all }
    let taken = ReusedAnswers(json: stmt.text(reused)).answers
    return all.filter { taken[$0] == nil }
  }

  /// What a pending request's earlier stages bought (column `staged`): its types and
  /// findings; `nil` when it bought nothing yet.
  func earlierStage(_ stmt: Statement, staged: Int32) -> CreditTally.Answer? {
    guard !stmt.isNull(staged) else { return nil }
    let stages = StagedAnswers(json: stmt.text(staged))
    guard !stages.earlier.isEmpty else { return nil }
    return CreditTally.Answer(
      types: stages.earlier.keys.sorted(), findings: AnswerFindings(stages.completed(nil)))
  }

  /// The types the request took from the contact store (column `reused`), sorted.
  func reusedTypes(_ stmt: Statement, reused: Int32) -> [EnrichmentType] {
    guard !stmt.isNull(reused) else { return [] }
    return ReusedAnswers(json: stmt.text(reused)).types
  }

  /// The request's types (sorted), from its key or else its body; `nil` when neither reads.
  mutating func types(_ stmt: Statement) -> [EnrichmentType]? {
    if let text = JobStore.typesField(stmt, body: 6, key: 7) {
      if let known = typesByText[text] { return known }
      let types = ((try? EnrichmentType.parseList(text)) ?? []).sorted()
      typesByText[text] = types
      return types
    }
    return JobStore.storedRequest(stmt, body: 6, key: 7, decoder: decoder)?.enrichmentType.sorted()
  }

  /// The phone numbers returned (non-empty entries of the `phones` JSON list).
  func phoneNumbers(_ stmt: Statement) -> Int {
    guard let text = stmt.text(5),
      let list = try? decoder.decode([String].self, from: Data(text.utf8))
    else { return 0 }
    return list.filter { !$0.isEmpty }.count
  }
}
