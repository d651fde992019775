import Foundation
import JobStore
import LeadsheetCore

/// The counters of one streaming pass over a job's rows, turned into a report at the end.
struct ReportPass {
  let types: [String]
  let costs: ReportCreditCosts
  var columns: [ColumnCounter] = []

  var rows = 0
  var rowsByStatus = Dictionary(uniqueKeysWithValues: RowStatus.allCases.map { ($0.rawValue, 0) })
  var validRows = 0
  var invalidRows = 0
  var skippedRows = 0
  var invalidReasons: [String: (rows: Int, example: String?)] = [:]
  var duplicateRows = 0
  /// Cells over Excel's limit, and the line of the first.
  var longCells = 0
  var firstLongCellLine: Int?
  /// Excel's longest cell, in UTF-16 code units.
  static let excelCellLimit = 32_767

  var requests = 0
  var answeredRequests = 0
  var failedRequests = 0
  var pendingRequests = 0
  var inFlightRequests = 0
  var interruptedRequests = 0
  var creditsBilled = 0
  var creditsSaved = 0
  var creditsToFinish = 0

  var requested: [String: Int] = [:]
  var dropped: [String: Int] = [:]
  /// Requested rows whose type was not bought on purpose (status `skipped`), by type.
  var notBought: [String: Int] = [:]
  var answered: [String: Int] = [:]
  var found: [String: Int] = [:]
  var failed: [String: Int] = [:]
  var pending: [String: Int] = [:]
  var statuses: [String: [String: Int]] = [:]
  var foundStatuses: [String: [String: Int]] = [:]
  /// Found rows by type whose status reads `valid` / `catch_all` in either API's words.
  var validFound: [String: Int] = [:]
  var catchAllFound: [String: Int] = [:]
  var bothAnswered = 0
  var bothFound = 0
  var errorClasses: [String: (rows: Int, example: String?)] = [:]
  var withField: [String: GroupAccumulator] = [:]
  var withoutField: [String: GroupAccumulator] = [:]

  init(types: [String], costs: ReportCreditCosts) {
    self.types = types
    self.costs = costs
  }

  // MARK: Counting

  mutating func add(_ item: ReportRow) {
    let row = item.row
    rows += 1
    for cell in row.cells where cell.text.utf8.count > Self.excelCellLimit {
      if cell.text.utf16.count > Self.excelCellLimit {
        longCells += 1
        if firstLongCellLine == nil { firstLongCellLine = row.line }
      }
    }
    rowsByStatus[row.status.rawValue, default: 0] += 1
    let asked = item.request.map { $0.enrichmentType.map(\.rawValue) } ?? []
    for i in columns.indices { columns[i].add(row, asked: asked.filter(types.contains)) }
    switch row.status {
    case .invalid:
      invalidRows += 1
      let code = row.reasonCode ?? "(unknown)"
      let old = invalidReasons[code]
      invalidReasons[code] = ((old?.rows ?? 0) + 1, old?.example ?? row.message)
      return
    case .skipped:
      skippedRows += 1
      return
    default: break
    }
    validRows += 1
    let cost = costs.costs.cost(of: item.request?.enrichmentType ?? [])
    if item.isFirstRowOfRequest {
      countRequest(item, cost: cost)
    } else {
      duplicateRows += 1
      creditsSaved += cost
    }
    let isAnswered = row.status == .found || row.status == .notFound
    for type in types {
      guard asked.contains(type) else {
        dropped[type, default: 0] += 1
        continue
      }
      requested[type, default: 0] += 1
      switch row.status {
      case .found, .notFound:
        if RowFacts.statusValue(row, type: type) == StagedAnswers.skippedStatus {
          notBought[type, default: 0] += 1
          continue
        }
        answered[type, default: 0] += 1
        let status = RowFacts.statusValue(row, type: type)
        statuses[type, default: [:]][status, default: 0] += 1
        if RowFacts.hasValue(row, type: type) {
          found[type, default: 0] += 1
          foundStatuses[type, default: [:]][status, default: 0] += 1
          switch StatusVocabulary.verdict(status) {
          case "valid": validFound[type, default: 0] += 1
          case "catch_all": catchAllFound[type, default: 0] += 1
          default: break
          }
        }
      case .failed: failed[type, default: 0] += 1
      default: pending[type, default: 0] += 1
      }
    }
    if isAnswered, asked.contains("email"), asked.contains("phone"),
      RowFacts.statusValue(row, type: "phone") != StagedAnswers.skippedStatus
    {
      bothAnswered += 1
      if RowFacts.hasValue(row, type: "email"), RowFacts.hasValue(row, type: "phone") {
        bothFound += 1
      }
    }
    if row.status == .failed {
      let name = row.outcome?.errorClass ?? "(unknown)"
      let old = errorClasses[name]
      errorClasses[name] = ((old?.rows ?? 0) + 1, old?.example ?? row.message)
    }
    let request = item.request
    let present: [String: Bool] = [
      "linkedin_url": RowFacts.isPresent(request?.linkedinURL),
      "domain": RowFacts.isPresent(request?.domain),
      "company_name": RowFacts.isPresent(request?.companyName),
    ]
    let typed = asked.filter(types.contains)
    for field in CoverageReport.completenessFields {
      if present[field] == true {
        withField[field, default: GroupAccumulator()].add(row, asked: typed)
      } else {
        withoutField[field, default: GroupAccumulator()].add(row, asked: typed)
      }
    }
  }

  private mutating func countRequest(_ item: ReportRow, cost: Int) {
    requests += 1
    switch (item.requestState, item.row.status) {
    case (.done, .found), (.done, .notFound):
      answeredRequests += 1
      creditsBilled += cost
    case (.done, _):
      failedRequests += 1
      if item.row.outcome?.errorClass == "interrupted" { interruptedRequests += 1 }
      // Taken by the API (an id is known), still pending at --poll-timeout: paid.
      if item.row.outcome?.errorClass == "submitted" { creditsBilled += cost }
    case (.submitted, _):
      // Taken by the API and billed; its result is being fetched by its id.
      pendingRequests += 1
      creditsBilled += cost
    case (.inFlight, _):
      pendingRequests += 1
      inFlightRequests += 1
      creditsToFinish += cost
    default:
      pendingRequests += 1
      creditsToFinish += cost
    }
  }

  // MARK: The report

  func report(
    job: Job, options: JobOptions, runs: [RunRecord], latency: LatencySummary?,
    rateLimit: (value: Double, source: String), accountBill: AccountBill?,
    spending: JobSpending? = nil, now: Date
  ) -> CoverageReport {
    let pendingRows = rowsByStatus[RowStatus.pending.rawValue] ?? 0
    let jobSection = JobSection(
      id: job.id.rawValue, inputPath: job.spec.inputPath, format: job.spec.format.rawValue,
      sheet: job.spec.sheet, state: job.state.name,
      stateReason: job.state.reason.flatMap { $0.isEmpty ? nil : $0 },
      finished: pendingRows == 0 && job.ingestedAt != nil, types: types,
      createdAt: isoText(job.createdAt), updatedAt: isoText(job.updatedAt),
      api: options.apiMode.rawValue, baseURL: JobSection.printableBaseURL(options.baseURL))
    let input = InputSection(
      rows: rows, validRows: validRows, invalidRows: invalidRows,
      invalidByReason: Self.sorted(invalidReasons, total: invalidRows),
      skippedRows: skippedRows, duplicateRows: duplicateRows, requests: requests,
      longCells: longCells, firstLongCellLine: firstLongCellLine)
    let possiblyTwice = job.resentAfterCrash + inFlightRequests + interruptedRequests
    let cost = CostSection(
      creditCosts: costs, requests: requests, requestsAnswered: answeredRequests,
      requestsFailed: failedRequests, requestsPending: pendingRequests,
      requestsInFlight: inFlightRequests, requestsBilled: answeredRequests,
      requestsPossiblyBilledTwice: possiblyTwice,
      // Under the job's billing model when known, as the budget counts.
      creditsBilled: spending?.creditsSpent ?? creditsBilled,
      creditsSaved: creditsSaved, requestsSaved: duplicateRows, creditsToFinish: creditsToFinish)
    let results = types.map { type -> TypeResult in
      let a = answered[type] ?? 0
      let f = found[type] ?? 0
      return TypeResult(
        type: type, requestedRows: requested[type] ?? 0, droppedRows: dropped[type] ?? 0,
        answeredRows: a, foundRows: f, notFoundRows: a - f, foundRate: fraction(f, a),
        failedRows: failed[type] ?? 0, pendingRows: pending[type] ?? 0,
        statusBreakdown: Self.sorted(statuses[type] ?? [:], total: a),
        foundStatusBreakdown: Self.sorted(foundStatuses[type] ?? [:], total: f),
        validRows: validFound[type] ?? 0, catchAllRows: catchAllFound[type] ?? 0,
        notBoughtRows: notBought[type] ?? 0)
    }
    let both =
      types.contains("email") && types.contains("phone")
      ? RateCount(rows: bothFound, outOf: bothAnswered) : nil
    let coverage = CoverageReport.completenessFields.map { field in
      CompletenessSplit(
        field: field,
        with: (withField[field] ?? GroupAccumulator()).rates(
          label: "with \(field)", types: types),
        without: (withoutField[field] ?? GroupAccumulator()).rates(
          label: "without \(field)", types: types))
    }
    let groups = columns.map { $0.result(types: types) }
    let run = RunSummarizer.summarize(
      runs: runs, latency: latency, rateLimit: rateLimit, job: job, now: now)
    let s = { (status: RowStatus) in rowsByStatus[status.rawValue] ?? 0 }
    let statusCounts = StatusCounts(
      found: s(.found), notFound: s(.notFound), invalid: s(.invalid), failed: s(.failed),
      pending: s(.pending), skipped: s(.skipped))
    var report = CoverageReport(
      generatedAt: isoText(now), job: jobSection, input: input, rowsByStatus: statusCounts,
      cost: cost, results: results, bothEmailAndPhone: both,
      failedByErrorClass: Self.sorted(
        errorClasses, total: rowsByStatus[RowStatus.failed.rawValue] ?? 0),
      coverage: coverage, groups: groups, run: run, accountBill: accountBill,
      spending: spending, notes: [])
    report.notes = ReportNotes.make(report)
    return report
  }

  /// Named counts, largest first, ties by name, with their share of `total`.
  static func sorted(_ counts: [String: Int], total: Int) -> [NamedCount] {
    counts.map { NamedCount(name: $0.key, rows: $0.value, share: fraction($0.value, total)) }
      .sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.name < $1.name }
  }

  static func sorted(_ counts: [String: (rows: Int, example: String?)], total: Int)
    -> [NamedCount]
  {
    counts.map {
      NamedCount(
        name: $0.key, rows: $0.value.rows, share: fraction($0.value.rows, total),
        example: $0.value.example)
    }
    .sorted { $0.rows != $1.rows ? $0.rows > $1.rows : $0.name < $1.name }
  }
}
