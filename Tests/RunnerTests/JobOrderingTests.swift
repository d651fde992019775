import Foundation
import JobStore
import LeadsheetCore
import Testing

@testable import Runner

/// `--order-by` through `JobBuilder` and `JobOrdering`: the column resolved like `--map`,
/// an unknown one refused in one line, the ranks written with the ingest and rewritten
/// for another order.
@Suite struct JobOrderingTests {
  static let csv = """
    First Name,Last Name,Company,Lead Score
    Ada,One,Acme,5
    Bruno,Two,Acme,
    Chloé,Three,Acme,1200
    Ada,One,Acme,"2,000"
    Dmitri,Four,Acme,-1

    """

  func build(_ orderBy: String?) throws -> (JobStore, JobID, URL) {
    let (folder, csv) = try JobBuilderTests.write(Self.csv)
    let store = try JobStore(path: folder.appendingPathComponent("jobs.sqlite").path)
    let result = try JobBuilder.build(
      store: store, path: csv, fingerprint: (String(repeating: "0", count: 64), 1),
      options: JobOptions(types: [.email], chunkSize: 2, orderBy: orderBy))
    return (store, result.job.id, folder)
  }

  func order(_ store: JobStore, _ job: JobID) throws -> [String] {
    try store.nextRequests(job: job, limit: 10).map { $0.request.lastname ?? "" }
  }

  @Test func ranksAtIngestAndAgainForAnotherOrder() throws {
    let (store, job, folder) = try build("lead score:desc")  // case-insensitive, like --map
    defer { try? FileManager.default.removeItem(at: folder) }
    // One's best row (2,000) beats Three's 1,200; Two's blank is last.
    #expect(try order(store, job) == ["One", "Three", "Four", "Two"])

    let stored = try #require(try store.job(job))
    #expect(try JobOrdering.apply("Lead Score:desc", to: stored, in: store) == nil, "unchanged")
    let changed = try JobOrdering.apply("leadscore", to: stored, in: store)
    #expect(changed == OrderBy(column: "leadscore"))
    #expect(try order(store, job) == ["Four", "One", "Three", "Two"])
    let options = JobOptions(json: try #require(try store.job(job)).spec.options)
    #expect(options?.orderBy == "leadscore")
  }

  @Test func withoutAnOrderTheFileOrderStands() throws {
    let (store, job, folder) = try build(nil)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try order(store, job) == ["One", "Two", "Three", "Four"])
  }

  @Test func anUnknownColumnIsRefusedInOneLine() throws {
    do {
      _ = try build("scroe:desc")
      Issue.record("no error")
    } catch let error as LeadsheetError {
      #expect(error.code == .notFound)
      #expect(
        error.message
          == "--order-by: no column named 'scroe'; the columns are 'First Name', 'Last Name', 'Company', 'Lead Score'"
      )
      #expect(!error.description.contains("\n"))
    }
  }
}
