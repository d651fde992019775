import Foundation
import Ingest
import LeadsheetCore
import Mapping

/// Times `leadsheet inspect`'s work on a list: parsing alone, then planning and
/// summarising rows already in memory, then the same by bytes
/// (`RowPlanner.count` over `RawRow`s built in memory beforehand), then parsing
/// and planning streamed as `inspect` does.
///
///     MappingBench PATH [TYPES] [REPEATS]
///
/// `TYPES` is a `--types` list (default `email`); planning is repeated
/// `REPEATS` times (default 3) and the best run is reported. Times are CPU
/// time of the process (user + system), so other load on the machine matters
/// less than wall time would.
let args = CommandLine.arguments
guard args.count >= 2 else {
  FileHandle.standardError.write(Data("usage: MappingBench PATH [TYPES] [REPEATS]\n".utf8))
  exit(2)
}

/// The process's CPU time in seconds.
func cpuSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

do {
  let types = try EnrichmentType.parseList(args.count > 2 ? args[2] : "email")
  let repeats = args.count > 3 ? max(1, Int(args[3]) ?? 3) : 3
  let options = MappingOptions(types: types)

  // Parse only, keeping the rows for the planning pass.
  var start = cpuSeconds()
  let table = try SourceOpener.openTable(path: args[1])
  var rows: [[Cell]] = []
  while let row = try table.next() { rows.append(row.cells) }
  let parse = cpuSeconds() - start

  let mapping = try ColumnMapping.resolve(header: table.header, options: options)
  let planner = RowPlanner(mapping: mapping, options: options)

  // Plan + summary from memory; best of `repeats`.
  var plan = Double.infinity
  var summary = MappingSummary(creditCosts: options.creditCosts)
  for _ in 0..<repeats {
    summary = MappingSummary(creditCosts: options.creditCosts)
    start = cpuSeconds()
    for cells in rows { summary.add(planner.plan(cells)) }
    summary = try MappingSummary.merged([summary])
    plan = min(plan, cpuSeconds() - start)
  }

  // The same rows as `RawRow`s (field bytes back to back, one buffer for all
  // rows), then counted by bytes (`RowPlanner.count`); best of `repeats`.
  var rawBytes: [UInt8] = []
  var rawEnds: [Int] = []
  var rawRows: [(bytes: Range<Int>, ends: Range<Int>)] = []
  for cells in rows {
    let byteStart = rawBytes.count
    let endStart = rawEnds.count
    for cell in cells {
      rawBytes += cell.text.utf8
      rawEnds.append(rawBytes.count - byteStart)
    }
    rawRows.append((byteStart..<rawBytes.count, endStart..<rawEnds.count))
  }
  rows = []
  var raw = Double.infinity
  var rawSummary = MappingSummary(creditCosts: options.creditCosts)
  rawBytes.withUnsafeBufferPointer { bytes in
    rawEnds.withUnsafeBufferPointer { ends in
      for _ in 0..<repeats {
        rawSummary = MappingSummary(creditCosts: options.creditCosts)
        start = cpuSeconds()
        for (n, r) in rawRows.enumerated() {
          let row = RawRow(
            number: n + 2, bytes: UnsafeBufferPointer(rebasing: bytes[r.bytes]),
            ends: UnsafeBufferPointer(rebasing: ends[r.ends]), count: r.ends.count)
          planner.count(row, into: &rawSummary)
        }
        rawSummary = (try? MappingSummary.merged([rawSummary])) ?? rawSummary
        raw = min(raw, cpuSeconds() - start)
      }
    }
  }
  rawBytes = []
  rawEnds = []
  rawRows = []

  // Streamed, as `inspect` does.
  start = cpuSeconds()
  let streamed = try SourceOpener.openTable(path: args[1])
  var streamedSummary = MappingSummary(creditCosts: options.creditCosts)
  while let row = try streamed.next() { streamedSummary.add(planner.plan(row.cells)) }
  let both = cpuSeconds() - start

  let n = Double(summary.rows)
  func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
  print(
    "rows \(summary.rows), valid \(summary.valid), requests \(summary.requests), "
      + "duplicates \(summary.duplicates), credits \(summary.credits)")
  print("ignored \(summary.ignoredValues.sorted { $0.key < $1.key })")
  print("invalid \(summary.invalidByReason.sorted { $0.key < $1.key })")
  print("parse only      \(f(parse)) s cpu  \(f(parse / n * 1e6)) µs/row")
  print("plan + summary  \(f(plan)) s cpu  \(f(plan / n * 1e6)) µs/row (best of \(repeats))")
  print("count by bytes  \(f(raw)) s cpu  \(f(raw / n * 1e6)) µs/row (best of \(repeats))")
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  let same = try encoder.encode(rawSummary) == encoder.encode(summary)
  print("count by bytes gives the same summary: \(same ? "yes" : "NO")")
  print("parse + plan    \(f(both)) s cpu  \(f(n / both, 0)) rows/s")
} catch {
  FileHandle.standardError.write(Data("MappingBench: \(error)\n".utf8))
  exit(1)
}
