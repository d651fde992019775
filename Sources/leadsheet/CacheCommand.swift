import ArgumentParser
import Foundation
import JobStore
import LeadsheetCore

extension Leadsheet {
  /// `leadsheet cache`: the contact store, where every answer bought is kept so that
  /// the next job meeting the same contact does not buy it again.
  struct Cache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show or purge the contact store (answers kept across jobs).",
      discussion: """
        Every answer a job buys is kept in the job database, by contact and type, with \
        when it was bought and by which job. `jobs --purge JOB` also removes the answers \
        that job bought.
        """)

    @OptionGroup var store: StoreArguments

    @Flag(help: "Print what the store holds (the default).")
    var stats = false

    @Option(help: "Delete the answers bought more than DAYS days ago.")
    var purgeOlderThan: Int?

    @Flag(help: "Delete every answer in the store.")
    var purgeAll = false

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
      if purgeAll && purgeOlderThan != nil {
        throw ValidationError("give --purge-all or --purge-older-than, not both")
      }
      if let days = purgeOlderThan, days < 0 {
        throw ValidationError("--purge-older-than must be 0 or more days")
      }
    }

    func run() async throws {
      try await reportingErrors {
        let db = try store.open()
        defer { db.close() }
        if purgeAll || purgeOlderThan != nil {
          let cutoff = purgeOlderThan.map { Date().addingTimeInterval(-Double($0) * 86_400) }
          let n = try db.purgeContactStore(boughtBefore: cutoff)
          Terminal.standardError.writeLine(
            "purged \(ProgressPrinter.grouped(n)) answers"
              + (purgeOlderThan.map { " bought more than \($0) days ago" } ?? "")
              + " from the contact store")
          return
        }
        let s = try db.contactStoreStats()
        if json {
          let e = JSONEncoder()
          e.outputFormatting = [.prettyPrinted, .sortedKeys]
          e.keyEncodingStrategy = .convertToSnakeCase
          e.dateEncodingStrategy = .iso8601
          Terminal.standardOutput.writeLine(String(decoding: try e.encode(s), as: UTF8.self))
          return
        }
        let g = ProgressPrinter.grouped
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        var lines = [
          "contact store \(store.path)",
          "answers  \(g(s.entries)) (\(g(s.found)) found) for \(g(s.contacts)) contacts,"
            + " bought by \(g(s.jobs)) job\(s.jobs == 1 ? "" : "s")",
        ]
        for (type, n) in s.byType.sorted(by: { $0.key < $1.key }) {
          lines.append("  " + type.padding(toLength: 16, withPad: " ", startingAt: 0) + g(n))
        }
        if let oldest = s.oldest, let newest = s.newest {
          lines.append("bought   \(day.string(from: oldest)) to \(day.string(from: newest))")
        }
        Terminal.standardOutput.writeLine(lines.joined(separator: "\n"))
      }
    }
  }
}
