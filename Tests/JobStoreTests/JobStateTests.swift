import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct JobStateTests {
  static let all: [JobState] = [
    .ingesting, .running, .paused(reason: "credits"), .done, .failed(reason: "bad key"),
  ]

  @Test func validTransitions() throws {
    let allowed: Set<String> = [
      "ingesting>running", "ingesting>failed",
      "running>paused", "running>done", "running>failed",
      "paused>running", "paused>paused", "paused>failed",
      "done>running",
      "failed>running", "failed>failed",
    ]
    for from in Self.all {
      for to in Self.all {
        let key = "\(from.name)>\(to.name)"
        #expect(from.canTransition(to: to) == allowed.contains(key), "\(key)")
        var state = from
        if allowed.contains(key) {
          try state.transition(to: to)
          #expect(state == to)
        } else {
          #expect(throws: LeadsheetError.self) { try state.transition(to: to) }
          #expect(state == from)
        }
      }
    }
  }

  @Test func namesRoundTrip() {
    for state in Self.all {
      #expect(JobState(name: state.name, reason: state.reason) == state)
    }
    #expect(JobState(name: "bogus", reason: nil) == nil)
    #expect(JobState.paused(reason: "credits").description == "paused (credits)")
  }

  @Test func storeChecksTransitions() throws {
    try withStore { store, _ throws in
      let job = try store.createJob(sampleSpec())
      // Ingest not finished: cannot run, even after failing.
      #expect(throws: LeadsheetError.self) { try store.setState(job: job.id, to: .done) }
      try store.setState(job: job.id, to: .failed(reason: "unreadable"))
      #expect(throws: LeadsheetError.self) { try store.setState(job: job.id, to: .running) }

      let other = try makeJob(store, rows: [row(2, contact: 1)])
      #expect(try store.job(other.id)?.state == .running)
      try store.setState(job: other.id, to: .paused(reason: "credits exhausted"))
      let paused = try #require(try store.job(other.id))
      #expect(paused.state == .paused(reason: "credits exhausted"))
      try store.setState(job: other.id, to: .running)
      try store.setState(job: other.id, to: .done)
      #expect(throws: LeadsheetError.self) {
        try store.setState(job: other.id, to: .paused(reason: "x"))
      }
      #expect(try store.job(other.id)?.state == .done)
    }
  }

  @Test func jobIDs() {
    var ids = Set<JobID>()
    for _ in 0..<1000 {
      let id = JobID.random()
      #expect(id.rawValue.count == 6)
      #expect(id.rawValue.allSatisfy { !"01ilo".contains($0) })
      ids.insert(id)
    }
    #expect(ids.count > 990)
    #expect(JobID("K7M2QX")?.rawValue == "k7m2qx")
    #expect(JobID("k7m2q") == nil)
    #expect(JobID("k7m2q0") == nil)
  }
}
