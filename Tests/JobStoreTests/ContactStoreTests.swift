import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct ContactStoreTests {
  /// Every answer recorded is kept by contact and type, with when and by which job;
  /// a later answer replaces it; `jobs --purge` removes what that job bought.
  @Test func answersAreKeptAcrossJobsAndPurgedWithTheirJob() throws {
    try withStore { store, folder in
      let first = try makeJob(store, rows: (0..<3).map { row($0 + 2, contact: $0) })
      let requests = try store.nextRequests(job: first.id, limit: 10)
      try store.markInFlight(job: first.id, requests.map(\.id))
      let applied = try store.recordOutcomes(
        job: first.id,
        [
          found(requests[0].id, email: "first0@acme.example"),
          RequestOutcome(
            requestID: requests[1].id,
            result: .response(
              EnrichResponse(status: "error", emailStatus: "N/A", message: "not found"),
              json: nil)),
          RequestOutcome(
            requestID: requests[2].id, result: .failed(errorClass: "timeout", message: "late")),
        ])
      #expect(applied == 3)
      let zero = try #require(ContactIdentity(request(0)))
      let stored = try store.storedAnswers(of: zero)
      #expect(stored.keys.sorted() == ["email"])
      #expect(stored["email"]?.value == "first0@acme.example")
      #expect(stored["email"]?.found == true)
      #expect(stored["email"]?.job == first.id)
      let one = try store.storedAnswers(of: try #require(ContactIdentity(request(1))))
      #expect(one["email"]?.found == false)
      #expect(one["email"]?.status == "N/A")
      // A failure is not an answer: nothing kept.
      #expect(try store.storedAnswers(of: try #require(ContactIdentity(request(2)))).isEmpty)
      var stats = try store.contactStoreStats()
      #expect(stats.entries == 2 && stats.contacts == 2 && stats.found == 1 && stats.jobs == 1)

      // A second job buys contact 0 again: its answer replaces the first one's.
      let second = try store.createJob(sampleSpec())
      try store.ingest(job: second.id, rows: [row(2, contact: 0)])
      let again = try store.nextRequests(job: second.id, limit: 1)
      try store.markInFlight(job: second.id, again.map(\.id))
      try store.recordOutcomes(job: second.id, [found(again[0].id, email: "new0@acme.example")])
      #expect(try store.storedAnswers(of: zero)["email"]?.job == second.id)
      #expect(try store.storedAnswers(of: zero)["email"]?.value == "new0@acme.example")

      // Purging the first job removes only what it still owns (contact 1).
      try store.purge(job: first.id)
      stats = try store.contactStoreStats()
      #expect(stats.entries == 1)
      #expect(try store.storedAnswers(of: zero)["email"] != nil)
      store.close()
      let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("jobs.sqlite")))
      #expect(bytes.range(of: Data("first0@acme.example".utf8)) == nil)
    }
  }

  @Test func purgeByAgeAndAll() throws {
    try withStore { store, folder in
      let job = try makeJob(store, rows: [row(2, contact: 7)])
      let old = Date(timeIntervalSince1970: 1_700_000_000)
      try store.recordInContactStore([
        StoredAnswer(
          identity: ContactIdentity(key: "nm:old"), type: "email", found: true,
          value: "old@x.example", status: "valid", message: nil, boughtAt: old, job: job.id),
        StoredAnswer(
          identity: ContactIdentity(key: "nm:new"), type: "phone", found: true,
          value: #"["+33612345678"]"#, status: "valid", message: nil, boughtAt: Date(),
          job: job.id),
      ])
      // An older answer never replaces a newer one.
      try store.recordInContactStore([
        StoredAnswer(
          identity: ContactIdentity(key: "nm:new"), type: "phone", found: false, value: nil,
          status: "not_found", message: nil, boughtAt: old, job: job.id)
      ])
      #expect(try store.storedAnswers(of: ContactIdentity(key: "nm:new"))["phone"]?.found == true)
      #expect(try store.purgeContactStore(boughtBefore: Date().addingTimeInterval(-86_400)) == 1)
      #expect(try store.contactStoreStats().entries == 1)
      #expect(try store.purgeContactStore(boughtBefore: nil) == 1)
      #expect(try store.contactStoreStats().entries == 0)
      store.close()
      let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("jobs.sqlite")))
      #expect(bytes.range(of: Data("+33612345678".utf8)) == nil)
      #expect(bytes.range(of: Data("old@x.example".utf8)) == nil)
    }
  }
}
