import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Report

@Suite struct JobSpendingTests {
  /// A job answered over two UTC days with `controlledAnswer` (some 4xx refusals, some
  /// timeouts): spent, by type and by day, priced under each billing model, equals the
  /// budget's own count (`CreditTally`) and an independent count from the answers.
  @Test(arguments: BillingModel.Kind.allCases)
  func spentByTypeAndDayUnderTheJobsModel(_ kind: BillingModel.Kind) throws {
    let temp = try TempStore()
    let store = temp.store
    let leads = testLeads()
    let options = JobOptions(types: [.email, .phone], billing: kind, maxCredits: 5_000)
    let json = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
    let job = try makeJob(store, leads: leads, options: json)
    let model = options.billingModel

    var expectedByDay: [Int] = [0, 0]
    var expectedByType: [EnrichmentType: Int] = [:]
    for day in 0..<2 {
      if day == 1 { temp.clock.advance(86_400) }
      try answerRequests(store, job: job, limit: day == 0 ? 40 : 30) { request in
        // Every seventh request timed out after its retries: it may have been billed.
        if number(request) % 7 == 0 {
          expectedByDay[day] += model.worstCase(types: request.enrichmentType)
          for type in request.enrichmentType {
            expectedByType[type, default: 0] += model.worstCase(types: [type])
          }
          return .failed(errorClass: "timeout", message: "deadline passed")
        }
        let result = controlledAnswer(request)
        if case .response(let response, _) = result {
          expectedByDay[day] += model.cost(of: request.enrichmentType, answer: response)
          for type in request.enrichmentType {
            expectedByType[type, default: 0] += model.cost(of: [type], answer: response)
          }
        }
        return result
      }
    }

    let now = Date(timeIntervalSince1970: 1_700_000_000 + 86_400 + 3_600)
    let (spending, bill) = try JobSpending.read(store: store, job: job, now: now)
    let tally = try store.creditTally(job: job)
    #expect(spending.billing == kind.rawValue)
    #expect(spending.creditsSpent == tally.spent(under: model))
    #expect(spending.creditsSpent == expectedByDay.reduce(0, +))
    #expect(spending.spentByDay.map(\.credits) == expectedByDay)
    #expect(spending.spentByDay.map(\.day) == ["2023-11-14", "2023-11-15"])
    #expect(spending.creditsToday == expectedByDay[1])
    #expect(spending.spentByType.map(\.type) == ["email", "phone"])
    #expect(
      spending.spentByType.map(\.credits) == [expectedByType[.email], expectedByType[.phone]])
    #expect(spending.requestsLeft == tally.requestsLeft)
    #expect(spending.requestsLeft > 0)
    #expect(spending.creditsLeftEstimate == tally.estimateLeft(under: model))
    #expect(spending.maxCredits == 5_000)
    #expect(spending.budgetLeft == 5_000 - spending.creditsSpent)
    // The account's bill counts the same credits.
    #expect(bill.creditsCounted == spending.creditsSpent)
    #expect(bill.billing == kind.rawValue)
    // The report says the same.
    let report = try CoverageReport.build(store: store, job: job, now: now)
    #expect(report.spending == spending)
    #expect(report.cost.creditsBilled == spending.creditsSpent)
    for format in [ReportOutputFormat.text, .md, .html] {
      let text = format.renderer.render(report)
      #expect(text.contains("Credits by day (UTC)"), "\(format)")
      #expect(text.contains("2023-11-15"), "\(format)")
      #expect(text.contains(ReportFormat.count(spending.creditsSpent)), "\(format)")
    }
  }

  /// The days the rest takes: the estimate left at the job's cap or Pronto's 2,500.
  @Test func daysToFinishAtTheDailyCap() throws {
    let temp = try TempStore()
    let store = temp.store
    let options = JobOptions(types: [.email, .phone])
    let json = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
    let job = try makeJob(store, leads: testLeads(), options: json)
    let left = try JobSpending.read(store: store, job: job).spending
    #expect(left.creditsSpent == 0)
    #expect(left.creditsLeftEstimate == left.creditsLeftWorstCase)
    #expect(left.dailyCreditsSource == "pronto")
    #expect(left.daysToFinish == (left.creditsLeftEstimate + 2_499) / 2_500)
    let capped = try JobSpending.read(store: store, job: job, dailyCredits: 100).spending
    #expect(capped.dailyCredits == 100)
    #expect(capped.dailyCreditsSource == "daily_credits")
    #expect(capped.daysToFinish == (left.creditsLeftEstimate + 99) / 100)
    #expect(capped.daysToFinish > 1)

    var budgeted = options
    budgeted.maxCredits = 250
    try store.updateOptions(
      job: job, String(decoding: try JSONEncoder().encode(budgeted), as: UTF8.self))
    let withBudget = try JobSpending.read(store: store, job: job, dailyCredits: 100).spending
    #expect(withBudget.budgetLeft == 250)
    // The days are those of the whole rest, whatever the budget pays for.
    #expect(withBudget.daysToFinish == capped.daysToFinish)
  }
}
