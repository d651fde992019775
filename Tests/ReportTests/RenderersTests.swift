import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Report

/// A finished job of 300 rows grouped by country, for the renderer tests.
func sampleReport(_ temp: TempStore, leads: [Lead] = testLeads(), by: [String] = ["Country"])
  throws -> CoverageReport
{
  let job = try makeJob(temp.store, leads: leads)
  let run = try temp.store.startRun(job: job)
  try temp.store.recordCredits(job: job, balance: 5_000, atStart: true)
  let counted = try answerCounting(temp.store, job: job)
  // The account was charged 137 credits more than leadsheet counted.
  try temp.store.recordCredits(job: job, balance: Double(5_000 - counted - 137), atStart: false)
  try temp.store.addToRun(run, RunCounters(requestsSent: 270, retries: 4, rateLimited: 2))
  try temp.store.recordPause(run: run, reason: "rate limited", seconds: 1)
  try temp.store.endRun(run, reason: "done")
  return try CoverageReport.build(store: temp.store, job: job, by: by)
}

/// Every number of a JSON value, with its key path.
func numbers(_ value: Any, path: String = "") -> [(path: String, value: NSNumber)] {
  if let dict = value as? [String: Any] {
    return dict.flatMap { numbers($0.value, path: path + "." + $0.key) }
  }
  if let list = value as? [Any] {
    return list.enumerated().flatMap { numbers($0.element, path: path + "[\($0.offset)]") }
  }
  let booleans = ["finished", "values_capped", "differs"]
  if let n = value as? NSNumber, !booleans.contains(where: path.hasSuffix) { return [(path, n)] }
  return []
}

@Suite struct RenderersTests {
  @Test func theSameNumbersInEveryFormat() throws {
    let temp = try TempStore()
    let report = try sampleReport(temp)
    let json = JSONRenderer().render(report)
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
    let others: [(String, String)] = [
      ("text", TextRenderer().render(report)), ("md", MarkdownRenderer().render(report)),
      ("html", HTMLRenderer().render(report)),
    ]
    var checked = 0
    for (path, number) in numbers(object) {
      let leaf = path.split(separator: ".").last.map(String.init) ?? ""
      // Internal figures not shown as such: schema version, the rate limit's use as a fraction…
      if [
        "schema_version", "rate_limit_use", "rate_limit", "requests_per_second",
        "duration_seconds", "seconds", "count", "email", "phone", "personal_email",
      ].contains(leaf) {
        continue
      }
      let text: String
      if ["rate", "found_rate", "share", "valid_rate", "difference_share"].contains(leaf) {
        text = ReportFormat.percent(number.doubleValue)
      } else {
        text = ReportFormat.count(number.intValue)
      }
      for (format, rendered) in others {
        #expect(rendered.contains(text), "\(format) lacks \(path) = \(text)")
      }
      checked += 1
    }
    #expect(checked > 100)
    // Latency, throughput and credit costs, written the same way.
    let latency = try #require(report.run.latency)
    for (_, rendered) in others {
      #expect(rendered.contains("\(latency.p50) / \(latency.p95) / \(latency.p99) ms"))
      #expect(rendered.contains(ReportFormat.decimal(report.run.requestsPerSecond ?? 0)))
      #expect(rendered.contains("email=1, phone=10, personal_email=3"))
    }
  }

  @Test func byColumnKeepsTheTopTwentyAndLumpsTheRest() throws {
    let temp = try TempStore()
    // Value k appears k + 1 times: 30 values, 465 rows.
    var leads: [Lead] = []
    for k in 0..<30 {
      for j in 0...k {
        leads.append(
          Lead(
            first: "F\(k)x\(j)", last: "L", domain: "d.com",
            linkedin: "https://www.linkedin.com/in/p\(k)x\(j)/", country: "C\(k)"))
      }
    }
    let job = try makeJob(temp.store, leads: leads, types: [.email])
    let report = try CoverageReport.build(store: temp.store, job: job, by: ["Country"])
    let groups = try #require(report.groups.first)
    #expect(groups.distinctValues == 30)
    #expect(groups.top.count == 20)
    #expect(groups.top.map(\.label) == (10..<30).reversed().map { "C\($0)" })
    #expect(groups.top.map(\.rows) == (10..<30).reversed().map { $0 + 1 })
    #expect(groups.rest?.rows == (0..<10).reduce(0) { $0 + $1 + 1 })
    #expect(groups.rest?.label == "(other values)")
    #expect(!groups.valuesCapped)
    #expect(report.rowsByStatus.pending == leads.count)
  }

  @Test func columnCounterBoundsTheValuesItKeeps() {
    var counter = ColumnCounter(column: "c", index: 0, limit: 3)
    for i in 0..<10 {
      let row = JobRow(index: i, line: i, cells: [Cell("v\(i % 5)")], status: .pending)
      counter.add(row, asked: [])
    }
    let result = counter.result(types: [], top: 2)
    #expect(counter.groups.count == 3)
    #expect(result.valuesCapped)
    #expect(result.top.map(\.rows) == [2, 2])
    #expect(result.rest?.rows == 6)
  }

  @Test func hostileCellTextIsEscaped() throws {
    let temp = try TempStore()
    var leads = testLeads(count: 40)
    let hostile = "<script>alert('x')</script>|**bold**"
    for i in leads.indices where i % 2 == 0 { leads[i].country = hostile }
    let job = try makeJob(
      temp.store, leads: leads, inputPath: "<img src=x onerror=alert(1)>.csv")
    try answerRequests(temp.store, job: job, controlledAnswer)
    let report = try CoverageReport.build(store: temp.store, job: job, by: ["Country"])
    let html = HTMLRenderer().render(report)
    #expect(!html.contains("<script"))
    #expect(!html.contains("<img"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    let md = MarkdownRenderer().render(report)
    #expect(!md.contains("<script"))
    #expect(md.contains("&lt;script&gt;alert('x')&lt;/script&gt;\\|\\*\\*bold\\*\\*"))
    let text = TextRenderer().render(report)
    #expect(text.contains("<script>alert('x')</scr"))
  }

  @Test func htmlIsSelfContained() throws {
    let temp = try TempStore()
    let html = HTMLRenderer().render(try sampleReport(temp))
    #expect(!html.contains("<script"))
    #expect(!html.contains("<link"))
    #expect(!html.contains("src="))
    #expect(!html.contains("url("))
    for chart in ["found-rates", "status-breakdown", "coverage", "by-0"] {
      #expect(html.contains("data-chart=\"\(chart)\""))
    }
  }

  @Test func textFitsTheTerminal() throws {
    let temp = try TempStore()
    let text = TextRenderer().render(try sampleReport(temp))
    for line in text.split(separator: "\n") {
      #expect(line.count <= 110, "too long: \(line)")
    }
    #expect(text.contains("█"))
  }
}
