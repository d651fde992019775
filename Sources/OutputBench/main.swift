import Foundation
import LeadsheetCore
import Output

/// Writes generated rows (9 input columns + results) to CSV or XLSX, for `Benchmarks/export.sh`.
///
///     OutputBench csv|xlsx ROWS PATH
let args = CommandLine.arguments
guard args.count == 4, let format = SourceFormat(rawValue: args[1]), let rows = Int(args[2]) else {
  FileHandle.standardError.write(Data("usage: OutputBench csv|xlsx ROWS PATH\n".utf8))
  exit(2)
}
let header = [
  "First Name", "Last Name", "Company", "Domain", "LinkedIn URL", "Title", "Employees",
  "Created", "Notes",
]
let firsts = ["Alice", "Bruno", "Chloé", "Dmitri", "Eiko", "François", "Günther", "Hana"]
let lasts = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]
let companies = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka"]
let titles = ["CEO", "CTO", "Head of Sales", "VP Marketing", "Engineer", "Buyer"]
let statuses: [RowStatus] = [.found, .found, .found, .notFound, .invalid, .failed]

do {
  let writer = try OutputWriters.open(
    path: args[3], inputPath: nil, header: header, requested: [.email, .phone],
    options: OutputOptions(format: format))
  for i in 0..<rows {
    let first = firsts[i % firsts.count]
    let last = lasts[(i / 8) % lasts.count]
    let company = companies[(i / 64) % companies.count]
    let domain = company.lowercased() + ".com"
    let day = 1 + i % 28
    let cells: [Cell] = [
      Cell(first), Cell(last), Cell(company), Cell(domain),
      Cell("https://www.linkedin.com/in/\(first.lowercased())-\(last.lowercased())-\(i)"),
      Cell(titles[i % titles.count]), Cell(String(10 + i % 5000), kind: .number),
      Cell("2024-03-\(day < 10 ? "0" : "")\(day)", kind: .date),
      Cell(i % 10 == 0 ? "met at the \"Paris\" fair, follow up" : ""),
    ]
    let status = statuses[i % statuses.count]
    let result: RowResult
    switch status {
    case .found:
      result = RowResult(
        status: .found, email: "\(first.lowercased()).\(last.lowercased())@\(domain)",
        emailStatus: "valid", phones: ["+336\(String(10_000_000 + i % 89_999_999))"],
        phoneStatus: "valid", enrichmentID: "6f1c2d3e-\(String(i, radix: 16))")
    case .notFound:
      result = RowResult(status: .notFound, message: "No data found")
    default:
      result = RowResult(status: status, message: "missing linkedin_url")
    }
    try writer.append(cells: cells, result: result)
  }
  let summary = try writer.finish()
  print("\(summary.rows) rows, \(summary.bytes) bytes")
} catch {
  FileHandle.standardError.write(Data("OutputBench: \(error)\n".utf8))
  exit(1)
}
