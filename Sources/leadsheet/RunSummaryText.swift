import Foundation
import JobStore
import LeadsheetCore
import Runner

/// What `enrich` and `resume` print when a run ends.
enum RunSummaryText {
  static func text(job: Job, counts: JobCounts, run: RunSummary, output: String?) -> String {
    let g = ProgressPrinter.grouped
    let rows = counts.rowsByStatus
    func n(_ s: RowStatus) -> Int { rows[s] ?? 0 }
    var lines: [String] = []
    let done = counts.rows - n(.pending)
    lines.append("job \(job.id): \(g(done))/\(g(counts.rows)) rows done")
    let answered = n(.found) + n(.notFound)
    let pct =
      answered > 0
      ? " (\(Int((Double(n(.found)) / Double(answered) * 100).rounded())) % of answered rows)" : ""
    lines.append(
      "  found \(g(n(.found)))\(pct) · not found \(g(n(.notFound))) · invalid \(g(n(.invalid))) · failed \(g(n(.failed)))"
        + (n(.skipped) > 0 ? " · skipped \(g(n(.skipped)))" : "")
        + (n(.pending) > 0 ? " · pending \(g(n(.pending)))" : ""))
    var runLine = "  this run: \(g(run.sent)) requests in \(ProgressPrinter.duration(run.seconds))"
    if run.seconds > 0 { runLine += String(format: " (%.1f/s)", Double(run.sent) / run.seconds) }
    if run.retries > 0 { runLine += ", \(g(run.retries)) retries" }
    if run.rateLimited > 0 { runLine += ", \(g(run.rateLimited)) rate-limited" }
    if run.timedOut > 0 { runLine += ", \(g(run.timedOut)) timed out" }
    if run.polls > 0, let mean = run.pollsPerResultMean {
      runLine +=
        ", \(g(run.polls)) polls for \(g(run.polledResults)) results"
        + String(format: " (%.2f per result)", mean)
    }
    if counts.creditsSaved > 0 {
      runLine += "; \(g(counts.creditsSaved)) duplicate row(s) sent once"
    }
    lines.append(runLine)
    if let line = reuseLine(run) { lines.append(line) }
    if let line = stagesLine(run) { lines.append(line) }
    lines.append(creditsLine(run))
    if let line = dailyLine(run) { lines.append(line) }
    if run.timedOut > 0 {
      lines.append(
        "  \(g(run.timedOut)) attempts timed out: each is possibly billed (the server may have"
          + " worked on it); retried up to --max-retries; a longer --timeout avoids it")
    }
    if run.recoveredInFlight > 0 {
      lines.append(
        "  \(g(run.recoveredInFlight)) requests were in flight when the job last stopped abruptly"
          + " (sent again, or failed with --no-resend-in-flight)")
    }
    switch run.end {
    case .done:
      if let output { lines.append("wrote \(output)") }
    case .interrupted:
      lines.append("interrupted: committed results are kept")
      lines.append("resume with: leadsheet resume \(job.id)")
    case .paused(let reason, let remedy):
      lines.append("paused: \(reason)")
      lines.append(remedy)
      lines.append("resume with: leadsheet resume \(job.id)")
    case .budgetReached(let pause):
      lines.append(pause.message(job: "\(job.id)"))
    case .dailyCapReached(let pause):
      lines.append(pause.message(job: "\(job.id)", now: Date().timeIntervalSince1970))
    case .limitReached(let limit):
      lines.append("stopped after --limit \(g(limit)) requests")
      lines.append(
        "continue with: leadsheet resume \(job.id)   (or export what is done: leadsheet export \(job.id))"
      )
    }
    return lines.joined(separator: "\n")
  }

  /// `  reused (already bought, no credit spent): email 200 · 200 credits saved`
  static func reuseLine(_ run: RunSummary) -> String? {
    let g = ProgressPrinter.grouped
    let types = run.reusedTypes.sorted { $0.key < $1.key }
    guard !types.isEmpty else { return nil }
    let byType = types.map { "\($0.key.rawValue) \(g($0.value))" }.joined(separator: ", ")
    var line = "  reused (already bought, no credit spent): \(byType)"
    if run.reusedRequests > 0 {
      line += " · \(g(run.reusedRequests)) request(s) answered from the store alone"
    }
    return line + " · \(g(run.creditsSavedByReuse)) credits saved"
  }

  /// `  not bought on purpose (--phone-if, --max-per): phone 206 · 2,060 credits spared`
  static func stagesLine(_ run: RunSummary) -> String? {
    let g = ProgressPrinter.grouped
    let types = run.skippedTypes.sorted { $0.key < $1.key }
    guard !types.isEmpty else { return nil }
    let byType = types.map { "\($0.key.rawValue) \(g($0.value))" }.joined(separator: ", ")
    return "  not bought on purpose (--phone-if, --personal-email-if, --max-per): \(byType)"
      + " · \(g(run.creditsSparedByStages)) credits spared"
  }

  /// `  credits: 1,000 of --max-credits 1,000 spent (412 in this run; per-request)`
  static func creditsLine(_ run: RunSummary) -> String {
    let g = ProgressPrinter.grouped
    let budget = run.maxCredits.map { " of --max-credits \(g($0))" } ?? ""
    // Past the budget (answers with more phone numbers than any before): said plainly.
    let over = run.maxCredits.map { run.creditsSpent - $0 }.flatMap { $0 > 0 ? $0 : nil }
    return "  credits: \(g(run.creditsSpent))\(budget) spent"
      + " (\(g(run.creditsSpentThisRun)) in this run; \(run.billing.rawValue)"
      + (over.map { "; \(g($0)) past the budget" } ?? "") + ")"
  }

  /// `  today: 30 of --daily-credits 30 credits (all jobs); waited 3 times for the daily reset (1m02s)`
  static func dailyLine(_ run: RunSummary) -> String? {
    let g = ProgressPrinter.grouped
    var parts: [String] = []
    if let today = run.creditsToday, let cap = run.dailyCredits {
      parts.append("today: \(g(today)) of --daily-credits \(g(cap)) credits (all jobs)")
    } else if let today = run.creditsToday, let cap = run.apiDailyLimit {
      parts.append("today: \(g(today)) of the API's daily limit of \(g(cap)) credits")
    }
    if run.dailyWaits > 0 {
      parts.append(
        "waited \(run.dailyWaits) time\(run.dailyWaits == 1 ? "" : "s") for the daily reset"
          + " (\(ProgressPrinter.duration(run.dailyWaitSeconds)))")
    }
    return parts.isEmpty ? nil : "  " + parts.joined(separator: "; ")
  }

  static func json(
    job: Job, counts: JobCounts, run: RunSummary, output: String?, outputWarnings: [String] = []
  ) throws -> String {
    var rows: [String: Int] = [:]
    for s in RowStatus.allCases { rows[s.rawValue] = counts.rowsByStatus[s] ?? 0 }
    let end: String
    var reason: String?
    switch run.end {
    case .done: end = "done"
    case .interrupted: end = "interrupted"
    case .paused(let r, _):
      end = "paused"
      reason = r
    case .limitReached: end = "limit_reached"
    case .budgetReached(let pause):
      end = "budget_reached"
      reason = pause.reason
    case .dailyCapReached(let pause):
      end = "daily_cap_reached"
      reason = pause.reason
    }
    let object: [String: Any?] = [
      "job": job.id.rawValue, "end": end, "reason": reason, "output": output,
      "output_warnings": output == nil ? nil : outputWarnings,
      "rows": counts.rows, "rows_by_status": rows,
      "credits_saved_by_duplicates": counts.creditsSaved,
      "credits_spent": run.creditsSpent, "max_credits": run.maxCredits,
      "billing": run.billing.rawValue,
      "credits_today": run.creditsToday, "daily_credits": run.dailyCredits ?? run.apiDailyLimit,
      "api_daily_limit": run.apiDailyLimit,
      "run": [
        "requests_sent": run.sent, "finished": run.finished, "found": run.found,
        "not_found": run.notFound, "failed": run.failed, "retries": run.retries,
        "rate_limited": run.rateLimited, "timed_out_possibly_billed": run.timedOut,
        "seconds": run.seconds,
        "resent_after_crash": run.resentInFlight ? run.recoveredInFlight : 0,
        "failed_after_crash": run.resentInFlight ? 0 : run.recoveredInFlight,
        "latency_ms_p50": run.latency.percentile(0.5) as Any,
        "latency_ms_p95": run.latency.percentile(0.95) as Any,
        "latency_ms_p99": run.latency.percentile(0.99) as Any,
        "latency_ms_max": run.latency.maxMilliseconds,
        "submitted": run.submitted, "polls": run.polls, "polled_results": run.polledResults,
        "polls_per_result_mean": run.pollsPerResultMean as Any,
        "polls_per_result_p99": run.pollsPerResultP99 as Any,
        "credits_spent": run.creditsSpentThisRun,
        "daily_waits": run.dailyWaits, "daily_wait_seconds": run.dailyWaitSeconds,
        "daily_limited": run.dailyLimited,
        "reused_requests": run.reusedRequests,
        "reused_types": Dictionary(
          uniqueKeysWithValues: run.reusedTypes.map { ($0.key.rawValue, $0.value) }),
        "credits_saved_by_reuse": run.creditsSavedByReuse,
        "skipped_types": Dictionary(
          uniqueKeysWithValues: run.skippedTypes.map { ($0.key.rawValue, $0.value) }),
        "credits_spared_by_stages": run.creditsSparedByStages,
      ],
    ]
    let data = try JSONSerialization.data(
      withJSONObject: object.compactMapValues { $0 },
      options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
  }
}
