import ArgumentParser
import Foundation
import JobStore
import LeadsheetCore
import Report
import Runner

extension Leadsheet {
  /// `leadsheet jobs`: every job in the database, one line each.
  struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List jobs: id, input, created, state, rows done, found rate. Purge old ones.")

    @OptionGroup var store: StoreArguments

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Delete this job's rows and results from the database (personal data).")
    var purge: String?

    @Option(help: "Delete every job not updated for this many days.")
    var purgeOlderThan: Int?

    func run() async throws {
      try await reportingErrors {
        let db = try store.open()
        defer { db.close() }
        if let purge {
          let job = try requireJob(purge, in: db)
          _ = try db.purge(job: job.id)
          Terminal.standardError.writeLine("purged job \(job.id) (\(job.spec.inputPath))")
          return
        }
        if let days = purgeOlderThan {
          let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
          var n = 0
          for job in try db.jobs() where job.updatedAt < cutoff {
            _ = try db.purge(job: job.id)
            n += 1
          }
          Terminal.standardError.writeLine("purged \(n) jobs not updated for \(days) days")
          return
        }
        let now = Date()
        let rows = try db.jobs().map { job in
          (job, try db.counts(job: job.id), try JobSpending.read(store: db, job: job.id, now: now))
        }
        if json {
          let list = rows.map {
            var status = JobStatusJSON(job: $0.0, counts: $0.1)
            status.spending = $0.2.spending
            return status
          }
          Terminal.standardOutput.writeLine(try JobStatusJSON.encode(list))
          return
        }
        if rows.isEmpty {
          Terminal.standardError.writeLine("no jobs in \(store.path)")
          return
        }
        let fmt = DateFormatter()
        fmt.dateFormat = "yyyy-MM-dd HH:mm"
        var lines = [
          "JOB     CREATED           STATE    DONE              FOUND  CREDITS          INPUT"
        ]
        var today = 0
        for (job, c, read) in rows {
          let spent = read.spending
          today += spent.creditsToday
          let credits =
            ProgressPrinter.grouped(spent.creditsSpent)
            + (spent.maxCredits.map { "/" + ProgressPrinter.grouped($0) } ?? "")
          let done = c.rows - (c.rowsByStatus[.pending] ?? 0)
          lines.append(
            [
              job.id.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0),
              fmt.string(from: job.createdAt).padding(toLength: 17, withPad: " ", startingAt: 0),
              job.state.name.padding(toLength: 8, withPad: " ", startingAt: 0),
              "\(ProgressPrinter.grouped(done))/\(ProgressPrinter.grouped(c.rows))"
                .padding(toLength: 17, withPad: " ", startingAt: 0),
              JobStatusJSON.foundPercent(c).map { String(format: "%4.0f %%", $0) } ?? "    -",
              credits.padding(toLength: 16, withPad: " ", startingAt: 0),
              job.spec.inputPath,
            ].joined(separator: " "))
        }
        lines.append(
          "credits today (UTC, every job): \(ProgressPrinter.grouped(today))"
            + " of Pronto's documented \(ProgressPrinter.grouped(JobSpending.prontoDailyLimit)) a day"
        )
        Terminal.standardOutput.writeLine(lines.joined(separator: "\n"))
      }
    }
  }

  /// `leadsheet status JOB`: one job's counts, state and what to run next.
  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a job's state, counts and what to run next.")

    @Argument(help: "The job id (see leadsheet jobs).")
    var job: String

    @OptionGroup var store: StoreArguments

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
      try await reportingErrors {
        let db = try store.open()
        defer { db.close() }
        let job = try requireJob(job, in: db)
        let c = try db.counts(job: job.id)
        var status = JobStatusJSON(job: job, counts: c)
        let (spending, bill) = try JobSpending.read(store: db, job: job.id)
        status.accountBill = bill
        status.spending = spending
        if json {
          Terminal.standardOutput.writeLine(try JobStatusJSON.encode(status))
          return
        }
        let g = ProgressPrinter.grouped
        var lines = [
          "job \(job.id): \(job.state)",
          "input   \(job.spec.inputPath) (\(job.spec.format.rawValue), \(g(Int(job.spec.inputSize))) bytes)",
          "types   \(job.spec.enrichmentTypes.map(\.rawValue).joined(separator: ", "))",
          "api     \(status.api), \(status.baseURL ?? "base URL not recorded")",
          "rows    \(g(c.rows))",
        ]
        for s in RowStatus.allCases {
          let n = c.rowsByStatus[s] ?? 0
          if n > 0 {
            lines.append(
              "  " + s.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + g(n))
          }
        }
        lines.append(
          "requests \(g(c.requestsByState.values.reduce(0, +))) distinct"
            + " (\(g(c.requestsByState[.done] ?? 0)) done, \(g(c.requestsByState[.pending] ?? 0)) pending,"
            + " \(g(c.requestsByState[.inFlight] ?? 0)) in flight,"
            + " \(g(c.requestsByState[.submitted] ?? 0)) submitted, results being fetched by id);"
            + " \(g(c.creditsSaved)) duplicate rows sent once"
        )
        lines += Self.spendingLines(spending)
        lines += Self.billLines(bill)
        if let lock = try db.lock(job: job.id) {
          lines.append("running now in process \(lock.pid) on \(lock.host)")
        }
        lines.append("next    \(status.next)")
        Terminal.standardOutput.writeLine(lines.joined(separator: "\n"))
      }
    }

    /// The spending lines: spent by type under the billing model, today, the budget,
    /// and what is left with the days it takes at the daily cap.
    ///
    ///     credits 1,510 spent under per-request (email 1,510); today 300; budget 2,000, 490 left
    ///     left    412 requests, about 530 credits (at most 530); 1 day at 2,500 a day
    static func spendingLines(_ s: JobSpending) -> [String] {
      let f = ReportFormat.self
      let byType = s.spentByType.map { "\($0.type) \(f.count($0.credits))" }
        .joined(separator: ", ")
      var first =
        "credits \(f.count(s.creditsSpent)) spent under \(s.billing) (\(byType));"
        + " today \(f.count(s.creditsToday))"
      if let limit = s.maxCredits {
        first += "; budget \(f.count(limit)), \(f.count(s.budgetLeft ?? 0)) left"
      }
      var lines = [first]
      let reused = s.reusedByType.filter { $0.count > 0 }
      if !reused.isEmpty {
        lines.append(
          "reused  " + reused.map { "\($0.type) \(f.count($0.count))" }.joined(separator: ", ")
            + " already bought (no credit); \(f.count(s.creditsSavedByReuse)) credits saved")
      }
      let notBought = (s.notBoughtByType ?? []).filter { $0.count > 0 }
      if !notBought.isEmpty {
        lines.append(
          "skipped " + notBought.map { "\($0.type) \(f.count($0.count))" }.joined(separator: ", ")
            + " not bought on purpose (--phone-if, --personal-email-if, --max-per)")
      }
      if s.requestsLeft > 0 {
        lines.append(
          "left    \(f.count(s.requestsLeft)) requests, about \(f.count(s.creditsLeftEstimate))"
            + " credits (at most \(f.count(s.creditsLeftWorstCase)));"
            + " \(f.count(s.daysToFinish)) day\(s.daysToFinish == 1 ? "" : "s")"
            + " at \(f.count(s.dailyCredits)) a day")
      }
      return lines
    }

    /// The account's lines: its charge run by run next to leadsheet's count, the balance.
    static func billLines(_ bill: AccountBill) -> [String] {
      guard !bill.runs.isEmpty else { return [] }
      let f = ReportFormat.self
      let credits = { (x: Double?) in x.map { f.credits($0) } ?? "–" }
      var lines = ["account \(bill.sentence)"]
      guard bill.hasBalances else { return lines }
      for run in bill.runs {
        lines.append(
          "  run \(run.run)  \(run.startedAt)  balance \(credits(run.creditsBefore)) → "
            + "\(credits(run.creditsAfter))  charged \(credits(run.creditsCharged))  "
            + "counted \(f.count(run.creditsCounted))")
      }
      if let balance = bill.latestBalance {
        lines.append(
          "balance \(f.credits(balance)) credits (latest known, \(bill.latestBalanceAt ?? "–"))")
      }
      return lines
    }
  }
}

/// A job's status as JSON (`jobs --json`, `status --json`).
struct JobStatusJSON: Encodable {
  var id: String
  var input: String
  var createdAt: Date
  var updatedAt: Date
  var state: String
  var reason: String?
  var rows: Int
  var rowsByStatus: [String: Int]
  var requests: Int
  var requestsDone: Int
  var creditsSavedByDuplicates: Int
  var foundPercent: Double?
  var next: String
  /// `sync` or `async` (`sync` for jobs stored before the mode was).
  var api: String
  /// The base URL of the job's last run, without query or credentials.
  var baseURL: String?
  /// The account's bill, run by run (`status` only: `jobs` leaves it out).
  var accountBill: AccountBill?
  /// What the job spent under its billing model, its budget and what is left; setting
  /// it makes `next` raise the budget when the budget is what stops the job.
  var spending: JobSpending? {
    didSet { next = budgetNext ?? next }
  }
  /// The job's options (for the worst case of its next request).
  private let options: JobOptions?

  enum CodingKeys: String, CodingKey {
    case id, input, state, reason, rows, requests, next
    case createdAt = "created_at"
    case updatedAt = "updated_at"
    case rowsByStatus = "rows_by_status"
    case requestsDone = "requests_done"
    case creditsSavedByDuplicates = "credits_saved_by_duplicates"
    case foundPercent = "found_percent"
    case api
    case baseURL = "base_url"
    case accountBill = "account_bill"
    case spending
  }

  init(job: Job, counts c: JobCounts) {
    id = job.id.rawValue
    input = job.spec.inputPath
    createdAt = job.createdAt
    updatedAt = job.updatedAt
    state = job.state.name
    reason = job.state.reason
    rows = c.rows
    rowsByStatus = Dictionary(
      uniqueKeysWithValues: RowStatus.allCases.map { ($0.rawValue, c.rowsByStatus[$0] ?? 0) })
    requests = c.requestsByState.values.reduce(0, +)
    requestsDone = c.requestsByState[.done] ?? 0
    creditsSavedByDuplicates = c.creditsSaved
    foundPercent = JobStatusJSON.foundPercent(c)
    let options = JobOptions(json: job.spec.options)
    self.options = options
    api = (options?.apiMode ?? .sync).rawValue
    baseURL = JobSection.printableBaseURL(options?.baseURL)
    switch job.state.name {
    case "done": next = "leadsheet export \(job.id)   (or: leadsheet report \(job.id))"
    case "ingesting":
      next =
        "the input was not fully stored: leadsheet resume \(job.id) stores the rest"
        + " (if the file is unchanged) and runs it"
    default: next = "leadsheet resume \(job.id)"
    }
  }

  /// `leadsheet resume JOB --max-credits 1800` when the job is not done and its
  /// budget cannot pay for its next request (a plain `resume` would stop again at
  /// once): the same suggestion as the budget's pause, from the figures now.
  private var budgetNext: String? {
    guard state != "done", state != "ingesting", let spending, let limit = spending.maxCredits,
      spending.requestsLeft > 0
    else { return nil }
    let model = options?.billingModel ?? BillingModel()
    let oneRequest = model.worstCase(types: options?.types ?? [])
    guard reason?.hasPrefix("budget reached") == true || (spending.budgetLeft ?? 0) < oneRequest
    else { return nil }
    let pause = BudgetPause(
      spent: spending.creditsSpent, limit: limit, nextWorstCase: oneRequest,
      estimateLeft: spending.creditsLeftEstimate)
    return "leadsheet resume \(id) --max-credits \(pause.suggestedLimit)"
  }

  /// Found rows as a share of answered rows (found + not found).
  static func foundPercent(_ c: JobCounts) -> Double? {
    let found = c.rowsByStatus[.found] ?? 0
    let answered = found + (c.rowsByStatus[.notFound] ?? 0)
    return answered > 0 ? Double(found) / Double(answered) * 100 : nil
  }

  static func encode(_ value: some Encodable) throws -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    e.dateEncodingStrategy = .iso8601
    // The keys above are snake_case already; the account's bill is the report's
    // `AccountBill`, whose keys the report's encoder converts the same way.
    e.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try e.encode(value), as: UTF8.self)
  }
}
