import LeadsheetCore

extension JobOptions {
  /// Pronto's documented rate limit: 50 requests per second per user.
  static let contractRateLimit = 50.0

  /// The credit costs to price the report with: the job's own, else the defaults.
  var reportCreditCosts: ReportCreditCosts {
    parsedCreditCosts.map { ReportCreditCosts(costs: $0, source: "job_options") } ?? .default
  }

  /// The rate to measure rate use against: the job's `--rate`, else Pronto's limit.
  ///
  /// `--rate 0` (no limit) and jobs created before the rate was stored measure
  /// against the documented 50/s, with source `contract`.
  var reportRateLimit: (value: Double, source: String) {
    if let rate, rate > 0 { return (rate, "job_options") }
    return (Self.contractRateLimit, "contract")
  }
}
