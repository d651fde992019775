/// Turns a `CoverageReport` into the sections and tables every human-readable format shows.
public enum ReportLayout {
  private typealias F = ReportFormat

  /// The report's headline: job, file, state, types.
  public static func headline(_ r: CoverageReport) -> String {
    var s = "Job \(r.job.id) · \(r.job.inputPath)"
    if let sheet = r.job.sheet { s += " (\(sheet))" }
    s += " · \(r.job.state)"
    if let reason = r.job.stateReason { s += " (\(reason))" }
    return s
  }

  /// The line under the headline: types and when.
  public static func subline(_ r: CoverageReport) -> String {
    let types = r.job.types.isEmpty ? "none" : r.job.types.joined(separator: ", ")
    return "Types: \(types) · API: \(api(r)) · \(r.job.finished ? "finished" : "not finished")"
      + " · report of \(r.generatedAt)"
  }

  /// The API mode and base URL the job used: `sync, https://api.prontohq.com/v2`.
  ///
  /// The base URL is printed without query or credentials (`JobSection.printableBaseURL`).
  public static func api(_ r: CoverageReport) -> String {
    let url = JobSection.printableBaseURL(r.job.baseURL)
    return r.job.api + ", " + (url ?? "base URL not recorded")
  }

  /// Every section, in reading order.
  public static func sections(_ r: CoverageReport) -> [ReportSection] {
    var sections = [summary(r), input(r), results(r), coverage(r)]
    for (i, group) in r.groups.enumerated() { sections.append(by(group, r, index: i)) }
    sections.append(run(r))
    return sections
  }

  // MARK: Sections

  static func summary(_ r: CoverageReport) -> ReportSection {
    var rows: [[String]] = [
      ["Rows in the list", F.count(r.input.rows)],
      ["Rows found (anything)", F.count(r.rowsByStatus.found)],
    ]
    for t in r.results {
      rows.append([
        "Rows with \(F.typeLabel(t.type).lowercased())",
        "\(F.count(t.foundRows)) (\(F.percent(t.foundRate)))",
      ])
    }
    if let both = r.bothEmailAndPhone {
      rows.append(["Rows with email and phone", "\(F.count(both.rows)) (\(F.percent(both.rate)))"])
    }
    rows.append(["Requests billed", F.count(r.cost.requestsBilled)])
    if let s = r.spending {
      rows.append(["Credits spent (\(s.billing))", F.count(s.creditsSpent)])
      if let limit = s.maxCredits {
        rows.append(["Budget left", "\(F.count(s.budgetLeft ?? 0)) of \(F.count(limit))"])
      }
      if s.requestsLeft > 0 {
        rows.append([
          "Days to finish at \(F.count(s.dailyCredits)) credits a day", F.count(s.daysToFinish),
        ])
      }
    } else {
      rows.append(["Credits billed (estimate)", F.count(r.cost.creditsBilled)])
    }
    if let bill = r.accountBill, let charged = bill.creditsCharged {
      rows.append([
        "Credits charged by the account (\(measuredRuns(bill)))", F.credits(charged),
      ])
    }
    if let balance = r.accountBill?.latestBalance {
      rows.append(["Account balance (latest known)", F.credits(balance)])
    }
    rows.append(["Credits saved by merging duplicates", F.count(r.cost.creditsSaved)])
    if r.rowsByStatus.pending > 0 {
      rows.append(["Rows pending", F.count(r.rowsByStatus.pending)])
    }
    let costs = r.cost.creditCosts
    let caption =
      "Rates are found rows over answered rows (found + not found). Credits at "
      + "email=\(costs.costs[.email]), phone=\(costs.costs[.phone]), "
      + "personal_email=\(costs.costs[.personalEmail])"
      + (costs.source == "default" ? " (default costs)." : " (the job's costs).")
    return ReportSection(
      id: "summary", title: "Summary",
      tables: [
        ReportTable(
          title: "At a glance", columns: ["", "value"], rows: rows, numeric: [1],
          caption: caption)
      ])
  }

  static func input(_ r: CoverageReport) -> ReportSection {
    let i = r.input
    let c = r.cost
    let longCells: [[String]] =
      i.longCells > 0
      ? [["Cells over 32,767 characters (cut in XLSX output)", F.count(i.longCells)]] : []
    let counts = ReportTable(
      title: "Input and requests", columns: ["", "count"],
      rows: [
        ["Rows", F.count(i.rows)],
        ["Valid rows", F.count(i.validRows)],
        ["Invalid rows (never sent)", F.count(i.invalidRows)],
        ["Skipped rows", F.count(i.skippedRows)],
        ["Duplicate rows merged", F.count(i.duplicateRows)],
      ] + longCells + [
        ["Requests (distinct contacts)", F.count(i.requests)],
        ["Requests answered = billed", F.count(c.requestsBilled)],
        ["Requests failed", F.count(c.requestsFailed)],
        ["Requests pending", F.count(c.requestsPending)],
        ["Requests possibly billed twice", F.count(c.requestsPossiblyBilledTwice)],
        ["Requests saved by merging", F.count(c.requestsSaved)],
        ["Credits billed (estimate)", F.count(c.creditsBilled)],
        ["Credits saved", F.count(c.creditsSaved)],
        ["Credits to finish", F.count(c.creditsToFinish)],
      ], numeric: [1],
      caption: "A request is billed when the API answered it (found or not found); "
        + "credits count every type a request asked for: an upper bound.")
    let status = ReportTable(
      title: "Rows by status", columns: ["status", "rows", "share"],
      rows: r.rowsByStatus.all.map {
        [$0.status, F.count($0.rows), F.percent(fraction($0.rows, i.rows))]
      }, numeric: [1, 2],
      bar: (2, r.rowsByStatus.all.map { fraction($0.rows, i.rows) }))
    var tables = [counts]
    if let s = r.spending { tables += spending(s) }
    if let bill = r.accountBill, bill.hasBalances { tables.append(accountBill(bill)) }
    tables.append(status)
    if !i.invalidByReason.isEmpty {
      tables.append(
        ReportTable(
          title: "Invalid rows by reason", columns: ["reason", "rows", "share", "example"],
          rows: i.invalidByReason.map {
            [$0.name, F.count($0.rows), F.percent($0.share), $0.example ?? ""]
          }, numeric: [1, 2], caption: "Shares of the invalid rows."))
    }
    return ReportSection(id: "input", title: "Input and cost", tables: tables)
  }

  static func results(_ r: CoverageReport) -> ReportSection {
    let main = ReportTable(
      title: "Found rate by type",
      columns: [
        "type", "found rate", "found", "not found", "answered", "failed", "pending",
        "not asked",
      ],
      rows: r.results.map {
        [
          F.typeLabel($0.type), F.percent($0.foundRate), F.count($0.foundRows),
          F.count($0.notFoundRows), F.count($0.answeredRows), F.count($0.failedRows),
          F.count($0.pendingRows), F.count($0.droppedRows),
        ]
      }, numeric: Set(1...7), bar: (1, r.results.map(\.foundRate)),
      caption: "found rate = found / answered. Not asked: valid rows that could not ask "
        + "for the type (no usable LinkedIn URL).")
    let quality = ReportTable(
      title: "Found values by status",
      columns: ["type", "found", "valid", "catch-all", "valid rate"],
      rows: r.results.map {
        [
          F.typeLabel($0.type), F.count($0.foundRows), F.count($0.validRows),
          F.count($0.catchAllRows), F.percent($0.validRate),
        ]
      }, numeric: Set(1...4), bar: (4, r.results.map(\.validRate)),
      caption: "valid: found with the status valid (the sync API) or deliverable (the async "
        + "API); catch-all: catch_all or catch-all. valid rate = valid / answered.")
    var tables = [main, quality]
    for t in r.results where !t.statusBreakdown.isEmpty {
      tables.append(
        ReportTable(
          title: "\(statusField(t.type)) of answered rows",
          columns: [
            statusField(t.type), "counted as", "rows", "share", "with a value", "share of found",
          ],
          rows: t.statusBreakdown.map { s in
            let withValue = t.foundStatusBreakdown.first { $0.name == s.name }
            return [
              s.name, StatusVocabulary.verdict(s.name), F.count(s.rows), F.percent(s.share),
              F.count(withValue?.rows ?? 0), withValue.map { F.percent($0.share) } ?? "–",
            ]
          }, numeric: [2, 3, 4, 5], bar: (3, t.statusBreakdown.map(\.share)),
          caption: "Values exactly as the API sent them, and how the report counts them; "
            + "shares of the "
            + "\(F.count(t.answeredRows)) answered rows, and of the "
            + "\(F.count(t.foundRows)) rows with a value."))
    }
    if !r.failedByErrorClass.isEmpty {
      tables.append(
        ReportTable(
          title: "Failed rows by error class",
          columns: ["error class", "rows", "share", "example"],
          rows: r.failedByErrorClass.map {
            [$0.name, F.count($0.rows), F.percent($0.share), $0.example ?? ""]
          }, numeric: [1, 2], caption: "Shares of the failed rows."))
    }
    return ReportSection(id: "results", title: "Results", tables: tables)
  }

  static func coverage(_ r: CoverageReport) -> ReportSection {
    let groups = r.coverage.flatMap { [$0.with, $0.without] }
    return ReportSection(
      id: "coverage", title: "Coverage by input completeness",
      tables: [
        groupTable(
          title: "Found rates with and without each field", label: "rows", groups: groups,
          types: r.job.types,
          caption: "Valid rows only, split by whether their request had the field. "
            + "Each cell: found/answered rows and the rate.")
      ])
  }

  static func by(_ g: ColumnGroups, _ r: CoverageReport, index: Int) -> ReportSection {
    var caption =
      "\(F.count(g.distinctValues)) distinct values; the top \(g.top.count) by rows, "
      + "every other value as one group. Each cell: found/answered rows and the rate."
    if g.valuesCapped {
      caption += " More values than the report tracks: later ones are in the other group."
    }
    return ReportSection(
      id: "by-\(index)", title: "Found rates by \(g.column)",
      tables: [
        groupTable(
          title: g.column, label: g.column, groups: g.top + (g.rest.map { [$0] } ?? []),
          types: r.job.types, caption: caption)
      ])
  }

  static func run(_ r: CoverageReport) -> ReportSection {
    let run = r.run
    let rps = run.requestsPerSecond.map { F.decimal($0) } ?? "–"
    var rows: [[String]] = [
      ["Runs", F.count(run.runs)],
      ["Duration", F.duration(run.durationSeconds)],
      ["Requests sent (with retries)", F.count(run.requestsSent)],
      ["Requests per second", rps],
      [
        "Rate limit",
        "\(F.decimal(run.rateLimit))/s"
          + (run.rateLimitSource == "contract" ? " (Pronto's documented limit)" : ""),
      ],
      ["Share of the rate limit used", F.percent(run.rateLimitUse)],
      ["Retries", F.count(run.retries)],
      ["429 answers (rate limited)", F.count(run.rateLimited)],
    ]
    if let l = run.latency {
      rows.append(["Latency p50 / p95 / p99", "\(l.p50) / \(l.p95) / \(l.p99) ms"])
    } else {
      rows.append(["Latency p50 / p95 / p99", "–"])
    }
    rows.append(["Resent after a crash", F.count(run.resentAfterCrash)])
    if let end = run.lastEndReason { rows.append(["Last run ended", end]) }
    var tables = [
      ReportTable(title: "Throughput", columns: ["", "value"], rows: rows, numeric: [1])
    ]
    if !run.pauses.isEmpty {
      tables.append(
        ReportTable(
          title: "Pauses", columns: ["reason", "pauses", "total"],
          rows: run.pauses.map {
            [$0.reason, F.count($0.count), F.duration($0.seconds)]
          }, numeric: [1, 2]))
    }
    return ReportSection(id: "run", title: "The run", tables: tables)
  }

  /// The account's bill, run by run: balances before and after, charged and counted.
  static func accountBill(_ bill: AccountBill) -> ReportTable {
    let credits = { (x: Double?) in x.map { F.credits($0) } ?? "–" }
    var rows = bill.runs.map {
      [
        "\($0.run)", $0.startedAt, credits($0.creditsBefore), credits($0.creditsAfter),
        credits($0.creditsCharged), F.count($0.creditsCounted),
      ]
    }
    rows.append([
      "measured runs", measuredRuns(bill), "", "", credits(bill.creditsCharged),
      F.count(bill.creditsCountedMeasured),
    ])
    let sentence = bill.sentence.prefix(1).uppercased() + bill.sentence.dropFirst()
    return ReportTable(
      title: "The account's bill",
      columns: ["run", "started", "balance before", "balance after", "charged", "counted"],
      rows: rows, numeric: [2, 3, 4, 5],
      caption: "\(sentence). Charged: the account's balance before the run minus after "
        + "(GET /credits), which includes anything else spending the account's credits "
        + "meanwhile; runs without both balances are left out. Counted: leadsheet's count of "
        + "the credits of the requests answered during the run.")
  }

  /// `2 of 3 runs measured`.
  static func measuredRuns(_ bill: AccountBill) -> String {
    "\(F.count(bill.runsMeasured)) of \(F.count(bill.runs.count)) "
      + (bill.runs.count == 1 ? "run" : "runs") + " measured"
  }

  // MARK: Helpers

  static func groupTable(
    title: String, label: String, groups: [GroupRates], types: [String], caption: String
  ) -> ReportTable {
    let columns = [label, "rows"] + types.map { F.typeLabel($0) } + ["any found"]
    let rows = groups.map { g in
      [g.label, F.count(g.rows)]
        + types.map { type in
          g.found.first { $0.type == type }.map { ratio($0.rows, $0.outOf, $0.rate) } ?? "–"
        }
        + [ratio(g.anyFound.rows, g.answeredRows, g.anyFound.rate)]
    }
    return ReportTable(
      title: title, columns: columns, rows: rows, numeric: Set(1..<columns.count),
      bar: (columns.count - 1, groups.map(\.anyFound.rate)), caption: caption)
  }

  /// `found/answered rate`: `55/179 30.7%`, or `–` when nothing was answered.
  static func ratio(_ rows: Int, _ outOf: Int, _ rate: Double?) -> String {
    outOf == 0 ? "–" : "\(F.count(rows))/\(F.count(outOf)) \(F.percent(rate))"
  }

  /// The response field holding a type's status.
  public static func statusField(_ type: String) -> String {
    switch type {
    case "phone": "phone_status"
    case "personal_email": "personal_email_status"
    default: "email_status"
    }
  }
}
