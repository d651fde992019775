import Foundation
import LeadsheetCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Who holds a job's lock.
public struct JobLock: Sendable, Hashable {
  /// The holder's process id.
  public var pid: Int32
  /// The holder's host name.
  public var host: String
  /// When the lock was taken.
  public var since: Date

  /// Creates a value (for tests and tools; the store makes them).
  public init(pid: Int32, host: String, since: Date) {
    self.pid = pid
    self.host = host
    self.since = since
  }
}

// MARK: - Locking

extension JobStore {
  /// Takes the job's lock for process `pid` on `host`, so that no other process runs the job.
  ///
  /// The lock is a row in `locks`, taken in a write transaction, so two
  /// processes racing for it cannot both win. Taking it again with the same
  /// pid and host succeeds. A lock held by a pid that is no longer alive on
  /// this host (a crash) is stale and taken over; a lock from another host is
  /// never taken over (its pid cannot be checked from here).
  ///
  /// - Returns: The stale lock taken over, if any (the caller should then run
  ///   `recoverInFlight(job:resend:)` and may log it).
  /// - Throws: `LeadsheetError(.storage)` naming the other process: "job
  ///   k7m2qx is being run by pid 4242 on host build-1 since 2024-03-01T09:30:00Z".
  @discardableResult
  public func acquireLock(job: JobID, pid: Int32, host: String) throws -> JobLock? {
    try connection.transaction {
      _ = try requireJob(job)
      let current = try lockUnlocked(job)
      var stale: JobLock?
      if let current {
        if current.pid == pid, current.host == host { return nil }
        guard current.host == host, !Self.isAlive(pid: current.pid) else {
          let since = ISO8601DateFormatter().string(from: current.since)
          throw LeadsheetError(
            .storage, file: path,
            "job \(job) is being run by pid \(current.pid) on host \(current.host) since \(since)",
            hint: current.host == host
              ? "wait for it to finish, or stop that process"
              : "wait for it to finish; if that machine is gone, run: leadsheet unlock \(job)")
        }
        stale = current
      }
      try connection.prepare(
        "INSERT OR REPLACE INTO locks (job_id, pid, host, since) VALUES (?, ?, ?, ?)"
      ).run([
        .text(job.rawValue), .int(Int64(pid)), .text(host),
        .double(now().timeIntervalSince1970),
      ])
      return stale
    }
  }

  /// Releases the job's lock if `pid` on `host` holds it, or whoever holds it when both are `nil`.
  ///
  /// - Returns: Whether a lock was removed.
  @discardableResult
  public func releaseLock(job: JobID, pid: Int32? = nil, host: String? = nil) throws -> Bool {
    try connection.transaction {
      if let pid, let host {
        try connection.prepare("DELETE FROM locks WHERE job_id = ? AND pid = ? AND host = ?")
          .run([.text(job.rawValue), .int(Int64(pid)), .text(host)])
      } else {
        try connection.prepare("DELETE FROM locks WHERE job_id = ?").run([.text(job.rawValue)])
      }
      return connection.changes > 0
    }
  }

  /// Who holds the job's lock, if anyone.
  public func lock(job: JobID) throws -> JobLock? { try lockUnlocked(job) }

  /// The name of this host, for `acquireLock(job:pid:host:)`.
  public static var currentHost: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The id of this process, for `acquireLock(job:pid:host:)`.
  public static var currentPID: Int32 { ProcessInfo.processInfo.processIdentifier }

  /// Whether a process with this pid exists on this host (`kill(pid, 0)`).
  static func isAlive(pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }

  private func lockUnlocked(_ job: JobID) throws -> JobLock? {
    let stmt = try connection.prepare("SELECT pid, host, since FROM locks WHERE job_id = ?")
    try stmt.bind([.text(job.rawValue)])
    guard try stmt.step() else { return nil }
    return JobLock(
      pid: Int32(truncatingIfNeeded: stmt.int64(0)), host: stmt.text(1) ?? "",
      since: Date(timeIntervalSince1970: stmt.double(2)))
  }
}
