import Foundation
import Runner

/// Shows a run's progress: one live line on a terminal, plain lines every 10 s otherwise.
///
/// Nothing at all with `--quiet`; colour only on a terminal without `NO_COLOR`.
final class ProgressPrinter: @unchecked Sendable {
  private let out = Terminal.standardError
  private let quiet: Bool
  private let lock = NSLock()
  private var lastPlain = -Double.infinity
  private var drewLive = false
  /// The reset time of the daily wait last printed on a non-terminal (once per wait).
  private var printedWait: Double?

  init(quiet: Bool) { self.quiet = quiet }

  /// Shows one snapshot.
  func show(_ p: RunProgress) {
    guard !quiet else { return }
    lock.withLock {
      let line = ProgressPrinter.format(p)
      if let wait = p.dailyWait, !out.isTTY {
        if printedWait != wait.resetAt {
          printedWait = wait.resetAt
          out.writeLine(line)
        }
        return
      }
      if out.isTTY {
        out.write("\r\u{1B}[2K" + line)
        drewLive = true
      } else if p.elapsed - lastPlain >= 10 {
        lastPlain = p.elapsed
        out.writeLine(line)
      }
    }
  }

  /// Ends the live line so that later output starts on a fresh line.
  func finish() {
    lock.withLock {
      if drewLive { out.write("\n") }
      drewLive = false
    }
  }

  /// `1,234/5,000 requests · 49.8/s · found 812 (66 %) · in flight 12 · credits 412/1,000 · retries 3 · ETA 1m16s`
  static func format(_ p: RunProgress) -> String {
    if let wait = p.dailyWait { return wait.waitingLine(now: p.unixTime) }
    let pct =
      p.requestsDone > 0 ? Int((Double(p.found) / Double(p.requestsDone) * 100).rounded()) : 0
    var parts = [
      "\(grouped(p.requestsDone))/\(grouped(p.requestsTotal)) requests",
      String(format: "%.1f/s", p.ratePerSecond),
      "found \(grouped(p.found)) (\(pct) %)",
      "in flight \(p.inFlight)",
    ]
    if let max = p.maxCredits {
      parts.append("credits \(grouped(p.creditsSpent))/\(grouped(max))")
    } else if p.creditsSpent > 0 {
      parts.append("credits \(grouped(p.creditsSpent))")
    }
    if let cap = p.dailyCap {
      parts.append("today \(grouped(p.creditsToday))/\(grouped(cap))")
    }
    if p.retries > 0 { parts.append("retries \(grouped(p.retries))") }
    if p.rateLimited > 0 { parts.append("429s \(grouped(p.rateLimited))") }
    if let eta = p.eta { parts.append("ETA \(duration(eta))") }
    return parts.joined(separator: " · ")
  }

  /// `1,234,567`
  static func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.reversed().enumerated() {
      if i > 0 && i % 3 == 0 && c != "-" { out.append(",") }
      out.append(c)
    }
    return String(out.reversed())
  }

  /// `45s`, `3m05s`, `2h07m`
  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
  }
}
