/// The plain sentences at the end of a report: caveats first, then what to fix.
///
/// Built from the report's own numbers, so every figure in a note is also
/// in a table.
enum ReportNotes {
  static func make(_ r: CoverageReport) -> [String] {
    var notes: [String] = []
    let f = ReportFormat.self
    if r.input.rows == 0 { notes.append("The job has no rows.") }
    let pending = r.rowsByStatus.pending
    if pending > 0 {
      notes.append(
        "\(f.count(pending)) rows are still pending: found rates count answered rows only. "
          + "Run `leadsheet resume \(r.job.id)` to finish "
          + "(about \(f.count(r.cost.creditsToFinish)) credits).")
    }
    if r.cost.creditCosts.source == "default" {
      notes.append(
        "Credits use the default costs (email=1, phone=10, personal_email=3): "
          + "the job does not record its own.")
    }
    if r.cost.requestsPossiblyBilledTwice > 0 {
      notes.append(
        "\(f.count(r.cost.requestsPossiblyBilledTwice)) requests may have been billed without "
          + "a recorded answer (interrupted or resent after a crash).")
    }
    if let bill = r.accountBill, bill.differs {
      notes.append(
        bill.sentence.prefix(1).uppercased() + bill.sentence.dropFirst()
          + ": check the balance history in Pronto (another job or tool may have spent "
          + "credits during the run, or a type not found was not charged).")
    }
    if r.input.invalidRows > 0, let top = r.input.invalidByReason.first {
      notes.append(
        "\(f.count(r.input.invalidRows)) rows were never sent; the most common reason is "
          + "\(top.name) (\(f.count(top.rows)) rows)\(top.example.map { ": \($0)" } ?? "").")
    }
    if r.input.longCells > 0 {
      notes.append(
        "\(f.count(r.input.longCells)) cells are longer than Excel's 32,767 characters"
          + (r.input.firstLongCellLine.map { " (first on line \($0))" } ?? "")
          + ": CSV output keeps them whole; XLSX output cuts them to 32,767.")
    }
    for result in r.results where result.droppedRows > 0 {
      notes.append(
        "\(f.count(result.droppedRows)) rows could not ask for \(result.type): "
          + "they have no usable LinkedIn URL.")
    }
    for result in r.results where result.notBoughtRows > 0 {
      notes.append(
        "\(f.count(result.notBoughtRows)) rows did not buy \(result.type) on purpose "
          + "(--phone-if, --personal-email-if or --max-per): the rates leave them out.")
    }
    let gaps = r.coverage.compactMap { split -> (CompletenessSplit, Double, Double)? in
      guard let with = split.with.anyFound.rate, let without = split.without.anyFound.rate,
        with > without, split.without.answeredRows > 0
      else { return nil }
      return (split, with, without)
    }
    // The field whose absence costs the most found rows comes first.
    let ranked = gaps.sorted {
      ($0.1 - $0.2) * Double($0.0.without.rows) > ($1.1 - $1.2) * Double($1.0.without.rows)
    }
    for (k, (split, with, without)) in ranked.enumerated() {
      notes.append(
        "Rows with \(split.field) were found \(f.percent(with)) of the time, rows without "
          + "\(f.percent(without)): \(f.count(split.without.rows)) rows lack it"
          + (k == 0 ? " (the fix worth the most)." : "."))
    }
    if r.run.rateLimited > 0 {
      notes.append(
        "The API answered 429 (too many requests) \(f.count(r.run.rateLimited)) times; "
          + "those requests were retried.")
    }
    return notes
  }
}
