import Foundation
import Testing

/// The statuses a row may end with (anything but `pending`).
let finalStatuses: Set<String> = ["found", "not_found", "invalid", "failed", "skipped"]

/// `enrich FILE` against `sim`, fast: `--rate 200` unless `extra` sets one.
func enrichArguments(_ file: String, _ sim: SimulatorProcess, _ extra: [String] = []) -> [String] {
  var args = ["enrich", file, "--base-url", sim.baseURL]
  if !extra.contains("--rate") { args += ["--rate", "200"] }
  return args + extra
}

/// `resume JOB` against `sim`, fast: `--rate 200` unless `extra` sets one.
func resumeArguments(_ job: String, _ sim: SimulatorProcess, _ extra: [String] = []) -> [String] {
  var args = ["resume", job, "--base-url", sim.baseURL]
  if !extra.contains("--rate") { args += ["--rate", "200"] }
  return args + extra
}

/// The job id in `enrich`'s "job k7m2qx: 1,000 rows…" or "resuming job k7m2qx" line.
func jobID(in stderr: String) -> String? {
  for line in stderr.split(separator: "\n") {
    for prefix in ["job ", "resuming job "] where line.hasPrefix(prefix) {
      let id = line.dropFirst(prefix.count).prefix(6)
      if id.count == 6,
        line.dropFirst(prefix.count + 6).first.map({ $0 == ":" || $0 == " " })
          ?? false
      {
        return String(id)
      }
    }
  }
  return nil
}

/// Waits for `enrich` to have created its job (the ingest is committed) and returns its id.
func awaitJob(_ p: ChildProcess, timeout: Duration = .seconds(20)) async throws -> String {
  var id: String?
  _ = await p.waitFor(timeout: timeout) { _, err in
    id = jobID(in: err)
    return id != nil
  }
  return try #require(id, "no job id from \(p.commandLine): \(p.stderr.suffix(1000))")
}

/// Checks that an output holds every input row once, in order, with a final status.
///
/// - Returns: The output read back.
@discardableResult
func expectComplete(
  output path: String, input: LeadList, statusColumn: String = "status",
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> EnrichedList {
  let out = try EnrichedList(path: path)
  #expect(out.rows.count == input.rows.count, sourceLocation: sourceLocation)
  #expect(
    Array(out.header.prefix(input.header.count)) == input.header, sourceLocation: sourceLocation)
  var misplaced = 0
  for (i, row) in out.rows.enumerated() where i < input.rows.count {
    if Array(row.prefix(input.header.count)) != input.rows[i] { misplaced += 1 }
  }
  #expect(misplaced == 0, "rows not in input order or changed", sourceLocation: sourceLocation)
  let notFinal = out.column(statusColumn).filter { !finalStatuses.contains($0) }
  #expect(
    notFinal.isEmpty, "rows without a final status: \(Set(notFinal))",
    sourceLocation: sourceLocation)
  return out
}

/// A random duration in `range` seconds.
func randomDelay(_ range: ClosedRange<Double>) -> Duration {
  .milliseconds(Int(Double.random(in: range) * 1000))
}
