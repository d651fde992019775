import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Report

/// Leadsheet's own count of an answer's credits at the default costs (0 when it failed).
func countedCredits(_ request: EnrichRequest, _ result: RequestOutcome.Result) -> Int {
  guard case .response = result else { return 0 }
  return CreditCosts.default.cost(of: request.enrichmentType)
}

/// Answers up to `limit` pending requests with `controlledAnswer`; returns leadsheet's count.
func answerCounting(_ store: JobStore, job: JobID, limit: Int = .max) throws -> Int {
  var counted = 0
  try answerRequests(store, job: job, limit: limit) { request in
    let result = controlledAnswer(request)
    counted += countedCredits(request, result)
    return result
  }
  return counted
}

@Suite struct AccountBillTests {
  /// Three runs: the first measured and overcharged, the second without balances, the
  /// third measured and exact. Per run and in total, from a real job database.
  @Test func chargedAndCountedPerRunAndInTotal() throws {
    let temp = try TempStore()
    let store = temp.store
    let job = try makeJob(store, leads: testLeads())

    let run1 = try store.startRun(job: job)
    try store.recordCredits(job: job, balance: 10_000, atStart: true)
    let counted1 = try answerCounting(store, job: job, limit: 100)
    try store.recordCredits(job: job, balance: Double(10_000 - counted1 - 300), atStart: false)
    try store.endRun(run1, reason: "interrupted")

    let run2 = try store.startRun(job: job)
    let counted2 = try answerCounting(store, job: job, limit: 50)
    try store.endRun(run2, reason: "interrupted")

    let run3 = try store.startRun(job: job)
    let before3 = 5_000.0
    try store.recordCredits(job: job, balance: before3, atStart: true)
    let counted3 = try answerCounting(store, job: job)
    try store.recordCredits(job: job, balance: before3 - Double(counted3), atStart: false)
    try store.endRun(run3, reason: "done")

    let bill = try AccountBill.build(store: store, job: job)
    #expect(bill.runs.map(\.creditsCounted) == [counted1, counted2, counted3])
    #expect(bill.runs.map(\.creditsCharged) == [Double(counted1 + 300), nil, Double(counted3)])
    #expect(bill.runs[1].creditsBefore == nil && bill.runs[1].creditsAfter == nil)
    #expect(bill.runsMeasured == 2)
    #expect(bill.creditsCharged == Double(counted1 + 300 + counted3))
    #expect(bill.creditsCountedMeasured == counted1 + counted3)
    #expect(bill.creditsCounted == counted1 + counted2 + counted3)
    #expect(bill.difference == 300)
    #expect(bill.differs)
    #expect(bill.latestBalance == before3 - Double(counted3))

    // The report carries the same bill, and its total count is the credits billed.
    let report = try CoverageReport.build(store: store, job: job)
    #expect(report.accountBill == bill)
    #expect(report.cost.creditsBilled == bill.creditsCounted)
    let f = ReportFormat.self
    let sentence =
      "the account was charged \(f.count(counted1 + 300 + counted3)) credits; "
      + "leadsheet counted \(f.count(counted1 + counted3)) under per-request (300 more, "
    #expect(bill.sentence.hasPrefix(sentence), "\(bill.sentence)")
    #expect(bill.sentence.hasSuffix("; 2 of 3 runs measured)"), "\(bill.sentence)")
    #expect(report.notes.contains { $0.hasPrefix("The account was charged") })
    for format in [ReportOutputFormat.text, .md, .html] {
      let rendered = format.renderer.render(report)
      #expect(rendered.contains("2 of 3 runs measured"), "\(format)")
      #expect(rendered.contains(f.credits(before3 - Double(counted3))), "\(format)")
      #expect(rendered.contains("leadsheet counted \(f.count(counted1 + counted3))"), "\(format)")
    }
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(report.jsonText().utf8)) as? [String: Any])
    let object = try #require(json["account_bill"] as? [String: Any])
    #expect(object["runs_measured"] as? Int == 2)
    #expect(object["credits_charged"] as? Double == Double(counted1 + 300 + counted3))
    #expect(object["credits_counted_measured"] as? Int == counted1 + counted3)
    #expect(object["differs"] as? Bool == true)
    let runs = try #require(object["runs"] as? [[String: Any]])
    #expect(runs.count == 3)
    #expect(runs[0]["credits_before"] as? Double == 10_000)
    #expect(runs[1]["credits_charged"] == nil)
  }

  /// Within 2 % of leadsheet's count the two figures agree; beyond, the text says so.
  @Test func twoPercentTolerance() {
    func bill(charged: Double, counted: Int) -> AccountBill {
      let run = RunRecord(
        id: 1, startedAt: Date(timeIntervalSince1970: 0), endedAt: Date(timeIntervalSince1970: 60),
        counters: RunCounters(), pauses: [], creditsBefore: 10_000,
        creditsAfter: 10_000 - charged)
      return AccountBill.make(runs: [run], counted: [counted], total: counted)
    }
    #expect(!bill(charged: 1_020, counted: 1_000).differs)
    #expect(!bill(charged: 980, counted: 1_000).differs)
    #expect(bill(charged: 1_021, counted: 1_000).differs)
    #expect(bill(charged: 979, counted: 1_000).differs)
    #expect(bill(charged: 3, counted: 0).differs)
    #expect(!bill(charged: 0, counted: 0).differs)
    #expect(
      bill(charged: 1_932, counted: 1_510).sentence
        == "the account was charged 1,932 credits; leadsheet counted 1,510 "
        + "(422 more, 27.9%; 1 of 1 run measured)")
    #expect(
      bill(charged: 1_000, counted: 1_000).sentence
        == "the account was charged 1,000 credits, as leadsheet counted (1,000; 1 of 1 run measured)"
    )
    #expect(
      bill(charged: 900, counted: 1_000).sentence.contains(
        "leadsheet counted 1,000 (100 less, 10.0%"))
    #expect(bill(charged: 12.5, counted: 10).sentence.contains("charged 12.5 credits"))
  }

  /// A job run before balances were stored: no measured run, nothing charged, said plainly.
  @Test func runsWithoutBalances() throws {
    let temp = try TempStore()
    let job = try makeJob(temp.store, leads: testLeads(count: 20))
    let run = try temp.store.startRun(job: job)
    let counted = try answerCounting(temp.store, job: job)
    try temp.store.endRun(run, reason: "done")
    let report = try CoverageReport.build(store: temp.store, job: job)
    let bill = try #require(report.accountBill)
    #expect(bill.runsMeasured == 0)
    #expect(bill.creditsCharged == nil)
    #expect(bill.creditsCounted == counted)
    #expect(!bill.differs)
    #expect(!bill.hasBalances)
    #expect(bill.latestBalance == nil)
    #expect(bill.sentence.contains("0 of 1 run measured"))
    let text = TextRenderer().render(report)
    #expect(!text.contains("The account's bill"))
    #expect(!text.contains("charged by the account"))
  }

  /// Only the balance before is known (the API did not answer at the end): the run is
  /// not measured, and that balance is the latest known.
  @Test func onlyTheBalanceBefore() throws {
    let temp = try TempStore()
    let job = try makeJob(temp.store, leads: testLeads(count: 20))
    let run = try temp.store.startRun(job: job)
    try temp.store.recordCredits(job: job, balance: 777, atStart: true)
    _ = try answerCounting(temp.store, job: job)
    try temp.store.recordCredits(job: job, balance: nil, atStart: false)
    try temp.store.endRun(run, reason: "done")
    let bill = try AccountBill.build(store: temp.store, job: job)
    #expect(bill.runsMeasured == 0)
    #expect(bill.latestBalance == 777)
    #expect(bill.hasBalances)
  }
}

@Suite struct APIModeInReportTests {
  /// The job's stored `api` and `base_url` are in every format; the base URL is printed
  /// without its query or credentials.
  @Test func apiModeAndBaseURLInEveryFormat() throws {
    let temp = try TempStore()
    let options = JobOptions(
      types: [.email], api: .async,
      baseURL: "https://user:pw@app.prontohq.com/api/v2?token=s3cr3t#frag")
    let encoder = JSONEncoder()
    let json = String(decoding: try encoder.encode(options), as: UTF8.self)
    #expect(json.contains("\"base_url\""))
    let job = try makeJob(temp.store, leads: testLeads(count: 10), options: json)
    let report = try CoverageReport.build(store: temp.store, job: job)
    #expect(report.job.api == "async")
    #expect(report.job.baseURL == "https://app.prontohq.com/api/v2")
    for format in ReportOutputFormat.allCases {
      let rendered = format.renderer.render(report)
      #expect(!rendered.contains("s3cr3t") && !rendered.contains("pw@"), "\(format)")
      if format == .json {
        #expect(rendered.contains(#""api" : "async""#))
        #expect(rendered.contains(#""base_url" : "https://app.prontohq.com/api/v2""#))
      } else {
        #expect(rendered.contains("API: async, https://app.prontohq.com/api/v2"), "\(format)")
      }
    }
    #expect(TextRenderer().renderSummary(report).contains("API: async, https://app.prontohq.com"))
    #expect(try CoverageReport.decode(jsonText: report.jsonText()) == report)
  }

  /// A job stored before the mode was: `sync`, the base URL not recorded; a report
  /// written before the fields existed reads back as `sync`.
  @Test func olderJobsAreSync() throws {
    let temp = try TempStore()
    let job = try makeJob(temp.store, leads: testLeads(count: 5), options: #"{"types":["email"]}"#)
    let report = try CoverageReport.build(store: temp.store, job: job)
    #expect(report.job.api == "sync")
    #expect(report.job.baseURL == nil)
    #expect(TextRenderer().render(report).contains("API: sync, base URL not recorded"))
    var object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.jsonText().utf8)) as? [String: Any])
    var jobObject = try #require(object["job"] as? [String: Any])
    jobObject["api"] = nil
    object["job"] = jobObject
    object["account_bill"] = nil
    let old = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    let decoded = try CoverageReport.decode(jsonText: old)
    #expect(decoded.job.api == "sync")
    #expect(decoded.accountBill == nil)
  }

  @Test func printableBaseURL() {
    #expect(
      JobSection.printableBaseURL("https://api.prontohq.com/v2") == "https://api.prontohq.com/v2")
    #expect(
      JobSection.printableBaseURL("http://127.0.0.1:8080/v2?k=1") == "http://127.0.0.1:8080/v2")
    #expect(JobSection.printableBaseURL("https://a:b@h.example/x#y") == "https://h.example/x")
    #expect(JobSection.printableBaseURL("not a url") == nil)
    #expect(JobSection.printableBaseURL(nil) == nil)
  }
}

@Suite struct StatusVocabularyTests {
  @Test func bothAPIsWordsCountAlike() {
    for sent in ["valid", "deliverable", "Deliverable", " valid "] {
      #expect(StatusVocabulary.verdict(sent) == "valid", "\(sent)")
    }
    for sent in ["catch_all", "catch-all", "Catch-All"] {
      #expect(StatusVocabulary.verdict(sent) == "catch_all", "\(sent)")
    }
    #expect(StatusVocabulary.verdict("invalid") == "invalid")
    for sent in ["N/A", "n/a", "", "(none)", nil] {
      #expect(StatusVocabulary.verdict(sent) == "none", "\(sent ?? "nil")")
    }
    #expect(StatusVocabulary.verdict("not_found") == "other")
  }

  /// Professional and personal emails in both vocabularies: `deliverable` counts as
  /// `valid`, `catch-all` as `catch_all`, `N/A` as no status; the breakdowns keep the
  /// values as sent.
  @Test func validAndCatchAllRowsInBothVocabularies() throws {
    let temp = try TempStore()
    let leads = (0..<6).map {
      Lead(
        first: "First\($0)", last: "Last", company: "C", domain: "c.com",
        linkedin: "https://www.linkedin.com/in/p\($0)/", country: "FR")
    }
    let job = try makeJob(temp.store, leads: leads, types: [.email, .personalEmail])
    let answers = [
      // The async API's words.
      #"{"status":"finished","email":"a@c.com","email_status":"deliverable","personal_email":"a@gmail.com","personal_email_status":"valid"}"#,
      #"{"status":"finished","email":"b@c.com","email_status":"catch-all","personal_email":"b@gmail.com","personal_email_status":"catch-all"}"#,
      #"{"status":"finished","email":null,"email_status":"N/A","personal_email":null,"personal_email_status":"N/A"}"#,
      // The sync API's words.
      #"{"status":"success","email":"d@c.com","email_status":"valid","personal_email":"d@gmail.com","personal_email_status":"invalid"}"#,
      #"{"status":"success","email":"e@c.com","email_status":"catch_all"}"#,
      #"{"status":"success","email":"f@c.com","email_status":"invalid"}"#,
    ]
    try answerRequests(temp.store, job: job) { request in
      let text = answers[number(request)]
      let response = try! JSONDecoder().decode(EnrichResponse.self, from: Data(text.utf8))
      return .response(response, json: nil)
    }
    let report = try CoverageReport.build(store: temp.store, job: job)
    let email = try #require(report.results.first { $0.type == "email" })
    #expect((email.foundRows, email.answeredRows) == (5, 6))
    #expect((email.validRows, email.catchAllRows) == (2, 2))
    #expect(email.validRate == fraction(2, 6))
    #expect(
      Set(email.statusBreakdown.map(\.name))
        == ["deliverable", "catch-all", "N/A", "valid", "catch_all", "invalid"])
    let personal = try #require(report.results.first { $0.type == "personal_email" })
    #expect((personal.foundRows, personal.validRows, personal.catchAllRows) == (3, 1, 1))
    let text = TextRenderer().render(report)
    #expect(text.contains("Found values by status"))
    #expect(text.contains("deliverable"))
  }
}
