import Foundation
import LeadsheetCore

extension JobStore {
  /// The credits every job of the database spent on requests answered (or failed in a
  /// way that may have been billed) in `[start, end)` (Unix seconds): each job's
  /// requests priced under its own billing model (`JobOptions.billingModel`).
  ///
  /// What `--daily-credits` counts as already spent today. It reads only the requests
  /// finished in the window, through the partial index `requests_finished` (v6), so a
  /// run of a million-row job does not wait for it.
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func creditsSpent(finishedFrom start: Double, to end: Double) throws -> Int {
    let stmt = try connection.prepare(
      """
      SELECT job_id, status, error_class, email, personal_email, phones, body, contact_key,
        reused
      FROM requests INDEXED BY requests_finished
      WHERE state = 'done' AND finished_at >= ? AND finished_at < ?
      """)
    try stmt.bind([.double(start), .double(end)])
    var tallies: [String: CreditTally] = [:]
    var columns = CreditColumns()
    while try stmt.step() {
      let job = stmt.text(0) ?? ""
      guard let types = columns.types(stmt, reused: 8) else { continue }
      switch stmt.text(1) {
      case RowStatus.found.rawValue, RowStatus.notFound.rawValue:
        let phones = columns.phoneNumbers(stmt)
        tallies[job, default: CreditTally()].addAnswered(
          types: types,
          findings: AnswerFindings(
            email: !(stmt.text(3) ?? "").isEmpty, personalEmail: !(stmt.text(4) ?? "").isEmpty,
            phoneNumbers: phones))
      default:
        if BillingModel.mayHaveBeenBilled(errorClass: stmt.text(2)) {
          tallies[job, default: CreditTally()].addPossiblyBilled(types: types)
        }
      }
    }
    var total = 0
    for (job, tally) in tallies {
      var model = BillingModel()
      if let id = JobID(job),
        let options = try self.job(id).flatMap({ JobOptions(json: $0.spec.options) })
      {
        model = options.billingModel
      }
      total += tally.spent(under: model)
    }
    return total
  }
}
