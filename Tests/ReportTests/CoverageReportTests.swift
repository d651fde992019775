import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Report

/// The list of the main test: 300 rows with every case the report counts.
///
/// Row `i` is contact `n` = `i`, except every tenth row (`i % 10 == 3`) repeats
/// contact `i - 1` (a duplicate). Rows with `n % 17 == 0` are invalid.
func testLeads(count: Int = 300) -> [Lead] {
  let countries = ["FR", "US", "DE", "GB", "ES"]
  return (0..<count).map { i in
    let n = i % 10 == 3 ? i - 1 : i
    return Lead(
      first: "First\(n)", last: "Last\(n)", company: n % 5 == 1 ? nil : "Company\(n % 7)",
      domain: n % 4 == 0 ? nil : "company\(n % 7).com",
      linkedin: n % 3 == 0 ? nil : "https://www.linkedin.com/in/p\(n)/",
      country: countries[n % countries.count], invalid: n % 17 == 0 ? "missing_name" : nil)
  }
}

/// The contact number of a request (from its first name).
func number(_ r: EnrichRequest) -> Int { Int(r.firstname!.dropFirst(5))! }

let emailStatuses = ["valid", "catch-all", "deliverable", "invalid"]

/// The test's own answer for a contact: decided from its number alone.
func controlledAnswer(_ r: EnrichRequest) -> RequestOutcome.Result {
  let n = number(r)
  if n % 23 == 0 { return .failed(errorClass: "http_422", message: "bad request \(n)") }
  let email = n % 2 == 0 && r.enrichmentType.contains(.email) && r.domain != nil
  let phone = n % 3 == 1 && r.enrichmentType.contains(.phone)
  var response = EnrichResponse(status: email || phone ? "success" : "error")
  if r.enrichmentType.contains(.email) {
    response.email = email ? "\(r.firstname!)@x.com" : nil
    response.emailStatus = email ? emailStatuses[(n / 4) % 4] : "N/A"
  }
  if r.enrichmentType.contains(.phone) {
    response.phones = phone ? [.init("+3361234\(n)")] : []
    response.phoneStatus = phone ? "valid" : "not_found"
  }
  if !(email || phone) { response.message = "No email or phone found for this profile" }
  return .response(response, json: nil)
}

@Suite struct CoverageReportTests {
  @Test func everyFigureMatchesAnIndependentCount() throws {
    let temp = try TempStore()
    let store = temp.store
    let leads = testLeads()
    let job = try makeJob(store, leads: leads)
    let run = try store.startRun(job: job)
    try answerRequests(store, job: job, controlledAnswer)
    try store.addToRun(run, RunCounters(requestsSent: 260, retries: 5, rateLimited: 3))
    try store.recordPause(run: run, reason: "rate limited", seconds: 2)
    try store.recordPause(run: run, reason: "rate limited", seconds: 1.5)
    try store.endRun(run, reason: "done")
    try store.setState(job: job, to: .done)

    let report = try CoverageReport.build(store: store, job: job, by: ["country"])

    // Independent counts, from the leads and the answer function.
    let types: [EnrichmentType] = [.email, .phone]
    var valid = 0
    var invalid = 0
    var seen = Set<String>()
    var duplicates = 0
    var answeredRequests = 0
    var failedRequests = 0
    var creditsBilled = 0
    var creditsSaved = 0
    var answered: [String: Int] = [:]
    var found: [String: Int] = [:]
    var dropped: [String: Int] = [:]
    var statusCounts: [String: Int] = [:]
    var failedRows = 0
    var both = (rows: 0, outOf: 0)
    var linkedin = (with: (found: 0, answered: 0), without: (found: 0, answered: 0))
    var byCountry: [String: (rows: Int, answered: Int, found: Int)] = [:]
    for lead in leads {
      var group = byCountry[lead.country] ?? (0, 0, 0)
      group.rows += 1
      defer { byCountry[lead.country] = group }
      guard lead.invalid == nil else {
        invalid += 1
        continue
      }
      valid += 1
      let request = lead.request(types: types)
      let cost = request.enrichmentType.reduce(0) { $0 + ($1 == .email ? 1 : 10) }
      let isNew = seen.insert(request.contactKey).inserted
      if !isNew {
        duplicates += 1
        creditsSaved += cost
      }
      if !request.enrichmentType.contains(.phone) { dropped["phone", default: 0] += 1 }
      guard case .response(let response, _) = controlledAnswer(request) else {
        failedRows += 1
        if isNew { failedRequests += 1 }
        continue
      }
      if isNew {
        answeredRequests += 1
        creditsBilled += cost
      }
      group.answered += 1
      if response.isSuccess { group.found += 1 }
      if lead.linkedin != nil {
        linkedin.with.answered += 1
        if response.isSuccess { linkedin.with.found += 1 }
      } else {
        linkedin.without.answered += 1
        if response.isSuccess { linkedin.without.found += 1 }
      }
      for type in request.enrichmentType {
        answered[type.rawValue, default: 0] += 1
        let has = type == .email ? response.email != nil : !(response.phones ?? []).isEmpty
        if has { found[type.rawValue, default: 0] += 1 }
      }
      statusCounts[response.emailStatus ?? "(none)", default: 0] += 1
      if request.enrichmentType.contains(.phone) {
        both.outOf += 1
        if response.email != nil, !(response.phones ?? []).isEmpty { both.rows += 1 }
      }
    }

    #expect(report.input.rows == leads.count)
    #expect(report.input.validRows == valid)
    #expect(report.input.invalidRows == invalid)
    #expect(report.input.invalidByReason.map(\.name) == ["missing_name"])
    #expect(report.input.invalidByReason.first?.rows == invalid)
    #expect(report.input.duplicateRows == duplicates)
    #expect(report.input.requests == seen.count)
    #expect(report.cost.requestsBilled == answeredRequests)
    #expect(report.cost.requestsFailed == failedRequests)
    #expect(report.cost.requestsPending == 0)
    #expect(report.cost.creditsBilled == creditsBilled)
    #expect(report.cost.creditsSaved == creditsSaved)
    #expect(report.cost.creditCosts.source == "default")
    #expect(report.rowsByStatus.failed == failedRows)
    #expect(report.rowsByStatus.invalid == invalid)
    #expect(report.rowsByStatus.pending == 0)
    #expect(report.job.finished)
    for type in ["email", "phone"] {
      let result = try #require(report.results.first { $0.type == type })
      #expect(result.answeredRows == answered[type] ?? 0)
      #expect(result.foundRows == found[type] ?? 0)
      #expect(result.notFoundRows == (answered[type] ?? 0) - (found[type] ?? 0))
      #expect(result.foundRate == fraction(found[type] ?? 0, answered[type] ?? 0))
      #expect(result.droppedRows == dropped[type] ?? 0)
    }
    let email = try #require(report.results.first)
    #expect(
      Dictionary(uniqueKeysWithValues: email.statusBreakdown.map { ($0.name, $0.rows) })
        == statusCounts)
    #expect(report.bothEmailAndPhone?.rows == both.rows)
    #expect(report.bothEmailAndPhone?.outOf == both.outOf)
    #expect(report.failedByErrorClass.map(\.name) == ["http_422"])
    #expect(report.failedByErrorClass.first?.rows == failedRows)
    let split = try #require(report.coverage.first { $0.field == "linkedin_url" })
    #expect(split.with.anyFound.rows == linkedin.with.found)
    #expect(split.with.answeredRows == linkedin.with.answered)
    #expect(split.without.anyFound.rows == linkedin.without.found)
    #expect(split.without.answeredRows == linkedin.without.answered)
    let groups = try #require(report.groups.first)
    #expect(groups.column == "Country")
    #expect(groups.rest == nil)
    for group in groups.top {
      let expected = try #require(byCountry[group.label])
      #expect(group.rows == expected.rows)
      #expect(group.answeredRows == expected.answered)
      #expect(group.anyFound.rows == expected.found)
    }
    #expect(report.run.runs == 1)
    #expect(report.run.requestsSent == 260)
    #expect(report.run.retries == 5)
    #expect(report.run.rateLimited == 3)
    #expect(report.run.pauses == [PauseGroup(reason: "rate limited", count: 2, seconds: 3.5)])
    #expect(report.run.latency?.count == answeredRequests + failedRequests)
    #expect(report.run.rateLimit == 50)
  }

  /// The async result's vocabulary (`finished`, `deliverable`, `catch-all`, `N/A`, the
  /// `phone` key) and the sync call's (`success`, `valid`, `phones` as objects) count alike:
  /// a row with an email or a phone is found, `N/A` with no email is not.
  @Test func foundRatesReadBothVocabularies() throws {
    let temp = try TempStore()
    let leads = (0..<4).map {
      Lead(
        first: "First\($0)", last: "Last", company: "C", domain: "c.com",
        linkedin: "https://www.linkedin.com/in/p\($0)/", country: "FR")
    }
    let job = try makeJob(temp.store, leads: leads)
    let answers = [
      #"{"status":"finished","email":"a@c.com","email_status":"deliverable","phone":["+33612345678"]}"#,
      #"{"status":"finished","email":"b@c.com","email_status":"catch-all","phone":[]}"#,
      #"{"status":"finished","email":null,"email_status":"N/A","phone":[]}"#,
      #"{"status":"success","email":"d@c.com","email_status":"valid","#
        + #""phones":[{"number":"+33612345679","type":"mobile"}]}"#,
    ]
    try answerRequests(temp.store, job: job) { request in
      let text = answers[number(request)]
      let response = try! JSONDecoder().decode(EnrichResponse.self, from: Data(text.utf8))
      return .response(response, json: nil)
    }
    let report = try CoverageReport.build(store: temp.store, job: job)
    #expect(report.rowsByStatus.found == 3)
    #expect(report.rowsByStatus.notFound == 1)
    let email = try #require(report.results.first { $0.type == "email" })
    #expect((email.foundRows, email.answeredRows) == (3, 4))
    let phone = try #require(report.results.first { $0.type == "phone" })
    #expect((phone.foundRows, phone.answeredRows) == (2, 4))
    #expect(
      Set(email.statusBreakdown.map(\.name)) == ["deliverable", "catch-all", "N/A", "valid"])
  }

  @Test func emptyJob() throws {
    let temp = try TempStore()
    let job = try makeJob(temp.store, leads: [])
    let report = try CoverageReport.build(store: temp.store, job: job)
    #expect(report.input.rows == 0)
    #expect(report.results.allSatisfy { $0.foundRate == nil && $0.answeredRows == 0 })
    #expect(report.cost.requestsBilled == 0)
    #expect(report.run.runs == 0)
    #expect(report.run.requestsPerSecond == nil)
    #expect(report.run.latency == nil)
    #expect(report.notes.contains("The job has no rows."))
    for format in ReportOutputFormat.allCases {
      #expect(!format.renderer.render(report).isEmpty)
    }
  }

  @Test func onlyInvalidRows() throws {
    let temp = try TempStore()
    let leads = (0..<12).map {
      Lead(
        first: "", last: "L\($0)", country: "FR",
        invalid: $0 < 8 ? "missing_first_name" : "missing_name")
    }
    let job = try makeJob(temp.store, leads: leads)
    let report = try CoverageReport.build(store: temp.store, job: job, by: ["Country"])
    #expect(report.input.invalidRows == 12)
    #expect(report.input.validRows == 0)
    #expect(report.input.requests == 0)
    #expect(report.input.invalidByReason.map(\.name) == ["missing_first_name", "missing_name"])
    #expect(report.input.invalidByReason.map(\.rows) == [8, 4])
    #expect(report.input.invalidByReason.first?.share == fraction(8, 12))
    #expect(report.job.finished)
    #expect(report.results.allSatisfy { $0.foundRate == nil })
    #expect(report.groups.first?.top.first?.rows == 12)
    #expect(report.groups.first?.top.first?.answeredRows == 0)
    #expect(report.notes.contains { $0.contains("12 rows were never sent") })
  }

  @Test func unfinishedJobCountsPendingRows() throws {
    let temp = try TempStore()
    let store = temp.store
    let leads = testLeads(count: 100)
    let job = try makeJob(store, leads: leads)
    try answerRequests(store, job: job, limit: 40, controlledAnswer)
    // Two more sent but never answered: in flight, may have been billed.
    let inFlight = try store.nextRequests(job: job, limit: 2)
    try store.markInFlight(job: job, inFlight.map(\.id))
    let counts = try store.counts(job: job)
    let report = try CoverageReport.build(store: store, job: job)
    #expect(report.rowsByStatus.pending == counts.rowsByStatus[.pending])
    #expect(report.rowsByStatus.pending > 0)
    #expect(report.cost.requestsPending == counts.requestsByState[.pending]! + 2)
    #expect(report.cost.requestsInFlight == 2)
    #expect(report.cost.requestsPossiblyBilledTwice == 2)
    #expect(!report.job.finished)
    #expect(report.cost.creditsToFinish > 0)
    let email = try #require(report.results.first)
    #expect(email.answeredRows + email.failedRows + email.pendingRows == email.requestedRows)
    #expect(report.notes.contains { $0.contains("still pending") && $0.contains("resume") })
  }

  /// Options as `enrich` stores them (a real `JobOptions`, `--credit-costs` text and
  /// `--rate 20`): the report prices with those costs and measures rate use against 20/s.
  @Test func creditCostsAndRateFromTheStoredJobOptions() throws {
    let temp = try TempStore()
    let leads = testLeads(count: 30)
    let written = JobOptions(
      types: [.email, .phone], creditCosts: "email=2,phone=5", maxCellBytes: nil, rate: 20)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = String(decoding: try encoder.encode(written), as: UTF8.self)
    #expect(json.contains(#""rate":20"#))
    let job = try makeJob(temp.store, leads: leads, options: json)
    try answerRequests(temp.store, job: job, controlledAnswer)
    let report = try CoverageReport.build(store: temp.store, job: job)
    #expect(
      report.cost.creditCosts
        == ReportCreditCosts(
          costs: CreditCosts(perType: [.email: 2, .phone: 5, .personalEmail: 3]),
          source: "job_options"))
    #expect(report.run.rateLimit == 20)
    #expect(report.run.rateLimitSource == "job_options")
    if let rps = report.run.requestsPerSecond, let use = report.run.rateLimitUse {
      #expect(abs(use - rps / 20) < 0.001)
    }
  }

  /// Options stored before the rate was (and `--rate 0`): Pronto's documented 50/s.
  @Test func rateLimitFallsBackToTheContract() throws {
    for options in [
      #"{"chunk_size":100,"credit_costs":"email=1,phone=10,personal_email=3","maps":[],"types":["email"]}"#,
      #"{"chunk_size":100,"maps":[],"rate":0,"types":["email"]}"#,
    ] {
      let temp = try TempStore()
      let job = try makeJob(temp.store, leads: testLeads(count: 5), options: options)
      let report = try CoverageReport.build(store: temp.store, job: job)
      #expect(report.run.rateLimit == 50)
      #expect(report.run.rateLimitSource == "contract")
    }
  }

  @Test func unknownJobAndColumn() throws {
    let temp = try TempStore()
    let job = try makeJob(temp.store, leads: testLeads(count: 3))
    #expect(throws: LeadsheetError.self) {
      try CoverageReport.build(store: temp.store, job: JobID("zzzzzz")!)
    }
    do {
      _ = try CoverageReport.build(store: temp.store, job: job, by: ["Contry"])
      Issue.record("expected an error")
    } catch let error as LeadsheetError {
      #expect(error.code == .notFound)
      #expect(error.description.contains("'Country'"))
    }
  }

  @Test func jsonRoundTrips() throws {
    let temp = try TempStore()
    let job = try makeJob(temp.store, leads: testLeads(count: 50))
    try answerRequests(temp.store, job: job, controlledAnswer)
    let report = try CoverageReport.build(store: temp.store, job: job, by: ["Country"])
    let text = try report.jsonText()
    #expect(text.contains("\"schema_version\" : 1"))
    #expect(text.contains("\"rows_by_status\""))
    #expect(try CoverageReport.decode(jsonText: text) == report)
  }
}
