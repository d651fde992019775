import Foundation
import JobStore

/// Sums a job's runs into the report's run section.
enum RunSummarizer {
  /// Duration is the sum of each run's length; a run without an end (running,
  /// or crashed) lasts until the job's last change.
  static func summarize(
    runs: [RunRecord], latency: LatencySummary?, rateLimit: (value: Double, source: String),
    job: Job, now: Date
  ) -> RunSection {
    var duration = 0.0
    var sent = 0
    var retries = 0
    var limited = 0
    var pauses: [String: PauseGroup] = [:]
    for run in runs {
      let end = run.endedAt ?? max(job.updatedAt, run.startedAt)
      duration += max(0, end.timeIntervalSince(run.startedAt))
      sent += run.counters.requestsSent
      retries += run.counters.retries
      limited += run.counters.rateLimited
      for pause in run.pauses {
        var group = pauses[pause.reason] ?? PauseGroup(reason: pause.reason, count: 0, seconds: 0)
        group.count += 1
        group.seconds += pause.seconds ?? 0
        pauses[pause.reason] = group
      }
    }
    duration = (duration * 1000).rounded() / 1000
    let rps = duration > 0 ? (Double(sent) / duration * 100).rounded() / 100 : nil
    let use = rps.map { ($0 / rateLimit.value * 10_000).rounded() / 10_000 }
    return RunSection(
      runs: runs.count, firstStartedAt: runs.first.map { isoText($0.startedAt) },
      lastEndedAt: runs.last?.endedAt.map(isoText), durationSeconds: duration,
      requestsSent: sent, retries: retries, rateLimited: limited, requestsPerSecond: rps,
      rateLimit: rateLimit.value, rateLimitSource: rateLimit.source, rateLimitUse: use,
      latency: latency.map {
        LatencySection(count: $0.count, p50: $0.p50, p95: $0.p95, p99: $0.p99)
      },
      pauses: pauses.values.sorted {
        $0.seconds != $1.seconds ? $0.seconds > $1.seconds : $0.reason < $1.reason
      },
      lastEndReason: runs.last?.endReason, resentAfterCrash: job.resentAfterCrash)
  }
}
