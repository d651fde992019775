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
      SELECT job_id, status, error_class, email, personal_email, phones, body, contact_key
      FROM requests INDEXED BY requests_finished
      WHERE state = 'done' AND finished_at >= ? AND finished_at < ?
      """)
    try stmt.bind([.double(start), .double(end)])
    let decoder = JSONDecoder()
    var tallies: [String: CreditTally] = [:]
    var typesByText: [String: [EnrichmentType]] = [:]
    while try stmt.step() {
      let job = stmt.text(0) ?? ""
      let types: [EnrichmentType]
      if let text = Self.typesField(stmt, body: 6, key: 7) {
        if let known = typesByText[text] {
          types = known
        } else {
          types = ((try? EnrichmentType.parseList(text)) ?? []).sorted()
          typesByText[text] = types
        }
      } else if let request = Self.storedRequest(stmt, body: 6, key: 7, decoder: decoder) {
        types = request.enrichmentType.sorted()
      } else {
        continue
      }
      switch stmt.text(1) {
      case RowStatus.found.rawValue, RowStatus.notFound.rawValue:
        var phones = 0
        if let text = stmt.text(5),
          let list = try? decoder.decode([String].self, from: Data(text.utf8))
        {
          phones = list.filter { !$0.isEmpty }.count
        }
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
