import Foundation
import LeadsheetCore
import Testing

@testable import JobStore

@Suite struct LockTests {
  @Test func secondProcessIsRefusedWithItsName() throws {
    try withStore { store, folder throws in
      let job = try makeJob(store, rows: [row(2, contact: 1)])
      let me = JobStore.currentPID
      #expect(try store.acquireLock(job: job.id, pid: me, host: "here") == nil)
      #expect(try store.acquireLock(job: job.id, pid: me, host: "here") == nil)  // re-entrant

      // Another store on the same file, as another process would see it.
      let other = try JobStore(path: folder.path("jobs.sqlite"))
      #expect {
        try other.acquireLock(job: job.id, pid: 999_999, host: "here")
      } throws: { error in
        let text = (error as? LeadsheetError)?.description ?? ""
        return text.contains("pid \(me)") && text.contains("host here") && text.contains("since")
      }
      // A live pid on another host is never taken over either.
      #expect(throws: LeadsheetError.self) {
        try other.acquireLock(job: job.id, pid: 1234, host: "elsewhere")
      }
      #expect(try other.releaseLock(job: job.id, pid: 999_999, host: "here") == false)
      #expect(try store.releaseLock(job: job.id, pid: me, host: "here"))
      #expect(try other.acquireLock(job: job.id, pid: 999_999, host: "here") == nil)
      #expect(try store.lock(job: job.id)?.pid == 999_999)
    }
  }

  @Test func staleLockIsTakenOver() throws {
    try withStore { store, _ throws in
      let job = try makeJob(store, rows: [row(2, contact: 1)])
      let dead = try deadPID()
      #expect(!JobStore.isAlive(pid: dead))
      try store.acquireLock(job: job.id, pid: dead, host: "here")
      let stale = try store.acquireLock(job: job.id, pid: JobStore.currentPID, host: "here")
      #expect(stale?.pid == dead)
      #expect(try store.lock(job: job.id)?.pid == JobStore.currentPID)
      // A dead pid on another host cannot be checked: refused.
      try store.releaseLock(job: job.id)
      try store.acquireLock(job: job.id, pid: dead, host: "elsewhere")
      #expect(throws: LeadsheetError.self) {
        try store.acquireLock(job: job.id, pid: JobStore.currentPID, host: "here")
      }
    }
  }
}
