extension ReportLayout {
  private typealias F = ReportFormat

  /// The credits table: the billing model, what was spent by type, the budget, what is
  /// left to buy and the days it takes at the daily cap; and the credits by UTC day.
  static func spending(_ s: JobSpending) -> [ReportTable] {
    var rows: [[String]] = [
      ["Billing model", "\(s.billing) (\(s.creditCosts))"],
      ["Credits spent", F.count(s.creditsSpent)],
    ]
    for t in s.spentByType {
      rows.append(["  on \(F.typeLabel(t.type).lowercased())", F.count(t.credits)])
    }
    rows.append(["Credits spent today (UTC)", F.count(s.creditsToday)])
    if let limit = s.maxCredits {
      rows.append(["Budget (--max-credits)", F.count(limit)])
      rows.append(["Budget left", F.count(s.budgetLeft ?? 0)])
    }
    rows += [
      ["Requests left", F.count(s.requestsLeft)],
      ["Credits to finish (estimate)", F.count(s.creditsLeftEstimate)],
      ["Credits to finish (at most)", F.count(s.creditsLeftWorstCase)],
      [
        "Days to finish at \(F.count(s.dailyCredits)) credits a day",
        F.count(s.daysToFinish),
      ],
    ]
    let capSource =
      s.dailyCreditsSource == "pronto"
      ? "Pronto's documented daily limit" : "the job's --daily-credits"
    var tables = [
      ReportTable(
        title: "Credits", columns: ["", "credits"], rows: rows, numeric: [1],
        caption: "Spent is what the budget counts under the job's billing model: each answer "
          + "at its price, each failure that may have been billed at its full cost. "
          + "Days to finish the list at \(capSource).")
    ]
    if s.reusedByType.contains(where: { $0.count > 0 }) {
      let bought = Dictionary(uniqueKeysWithValues: s.boughtByType.map { ($0.type, $0.count) })
      var reuseRows = s.reusedByType.map {
        [F.typeLabel($0.type), F.count(bought[$0.type] ?? 0), F.count($0.count)]
      }
      reuseRows.append(["Credits saved by reuse", "", F.count(s.creditsSavedByReuse)])
      tables.append(
        ReportTable(
          title: "Bought and reused", columns: ["type", "bought", "reused"], rows: reuseRows,
          numeric: [1, 2],
          caption: "Reused answers were already bought (by an earlier job within --max-age, "
            + "or by this job for the same contact written differently): no credit spent. "
            + "The output's result_source and bought_at columns say which rows."))
    }
    if !s.spentByDay.isEmpty {
      tables.append(
        ReportTable(
          title: "Credits by day (UTC)", columns: ["day", "credits"],
          rows: s.spentByDay.map { [$0.day, F.count($0.credits)] }, numeric: [1]))
    }
    return tables
  }
}
