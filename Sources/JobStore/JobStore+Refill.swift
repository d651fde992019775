import Foundation
import LeadsheetCore

/// What a run's refill got from the store: the requests to buy, and what it settled
/// without buying.
public struct Refill: Sendable, Hashable {
  /// Requests to send, in send order. A request that reuses some of its types asks
  /// only for the others (its `enrichmentType` is narrowed).
  public var requests: [PendingRequest] = []
  /// Requests finished from the contact store alone (nothing bought).
  public var reusedRequests = 0
  /// Of those, the ones that found something.
  public var reusedFound = 0
  /// Types taken from the store, over every request of this refill (also the
  /// narrowed ones), by type.
  public var reusedTypes: [EnrichmentType: Int] = [:]
  /// Every request's reused answers (for what they would have cost).
  public var reused: [ReusedAnswers] = []
  /// Some pending requests wait for a contact another request is buying (a claim):
  /// an empty refill does not mean the job has nothing left.
  public var waiting = false
  /// The refill stopped after finishing `JobStore.maxReusedPerRefill` requests from the
  /// store: more may be pending, ask again at once (one transaction never holds the
  /// database for a whole list answered from the store).
  public var more = false
  /// Types a stage rule decided not to buy in this refill (`--phone-if`, `--max-per`), by type.
  public var skippedTypes: [EnrichmentType: Int] = [:]

  /// Creates an empty value.
  public init() {}

  /// Counts the types `staged` skips that `before` did not (once, when stored).
  mutating func countSkips(_ staged: StagedAnswers, before: StagedAnswers) {
    for type in staged.skipped.keys where before.skipped[type] == nil {
      skippedTypes[type, default: 0] += 1
    }
  }
}

// MARK: - Handing out requests, reusing and claiming

extension JobStore {
  /// The most requests one refill finishes from the contact store before it returns
  /// (`Refill.more`): a list the store answers whole is finished in short transactions.
  public static let maxReusedPerRefill = 2_000

  /// The next requests to buy, in send order, after taking from the contact store
  /// what `reuse` allows and claiming the rest (in one transaction).
  ///
  /// For each pending request, in send order:
  /// - with no stored ledger (nothing at the API yet) and a contact identity,
  ///   `reuse` picks the stored answers it may take; a request whose every type is
  ///   reused is finished here (`found`/`not_found`, its `reused` answers kept, no
  ///   credit spent); one with some types reused is handed out asking for the others;
  /// - the types it buys are claimed for its contact. A type already claimed by a
  ///   live run of another job, or by another request of this job (the same contact
  ///   written differently), makes the request wait (`waits_on`): it is not handed
  ///   out until that claim is gone, and then reuses what was bought. A claim of a
  ///   job that holds no live lock (a crash) is taken over.
  ///
  /// Waiting requests whose claims are gone are woken first.
  ///
  /// - Parameters:
  ///   - job: The job.
  ///   - limit: The most requests to hand out.
  ///   - reuse: The reuse decision; `nil` reuses nothing (claims are still taken).
  ///   - stage: The staging rule (`--phone-if`, `--personal-email-if`, `--max-per`):
  ///     a request may buy some types now and defer others until these answer
  ///     (`PendingRequest.deferred`; its answer puts it back to pending), or skip
  ///     types for good; `nil` stages nothing.
  ///   - maxReused: The most requests finished without buying before the refill
  ///     returns with `more` (smaller while an ingest is writing the same database,
  ///     so that its transactions are not kept waiting).
  /// - Throws: `LeadsheetError(.storage)`.
  public func takeRequests(
    job: JobID, limit: Int, reuse: ReuseDecision?, stage: StageDecision? = nil,
    maxReused: Int = maxReusedPerRefill
  ) throws -> Refill {
    let size = try chunkSize(job)
    return try connection.transaction {
      try wakeWaiting(job: job)
      var refill = Refill()
      var finished: [Int64] = []
      var steps = RefillStatements(connection: connection)
      var liveJobs: [String: Bool] = [:]
      // Requests the stage rule left for a later refill: not read again by this one.
      var passed: [Int64] = []
      scan: while refill.requests.count < limit {
        // The requests handed out so far stay pending until marked: skip them.
        let batch = try nextRequests(
          job: job, limit: limit - refill.requests.count,
          excluding: refill.requests.map(\.id) + passed)
        if batch.isEmpty { break }
        for candidate in batch {
          var work = candidate
          let identity = ContactIdentity(work.request)
          if identity == nil && stage == nil {
            refill.requests.append(work)
            continue
          }
          // Where a staged request stands (what earlier stages bought, reused, skipped).
          let prior = try steps.stageState(work.id)
          let settled = Set(
            prior.reused.types + Array(prior.staged.earlier.keys)
              + Array(prior.staged.skipped.keys))
          let remaining = work.request.enrichmentType.filter { !settled.contains($0) }
          var reused: [EnrichmentType: StoredAnswer] = [:]
          if let reuse, let identity, work.ledger.isEmpty, !remaining.isEmpty {
            var asked = work.request
            asked.enrichmentType = remaining
            reused = reuse(asked, try steps.stored(identity)).filter { remaining.contains($0.key) }
          }
          let fresh = ReusedAnswers(reused)
          var allReused = prior.reused
          for (type, answer) in fresh.answers { allReused.answers[type] = answer }
          var staged = prior.staged
          staged.deferred = []
          var buy = remaining.filter { reused[$0] == nil }
          var takesQuota = false
          if let stage {
            var quota = StageQuestion.Quota.none
            var better = 0
            if let group = prior.group {
              if prior.quotaTaken {
                quota = .taken
              } else {
                quota = .used(try steps.groupUsed(job: job, group))
                better = try steps.betterUndecided(work.id)
              }
            }
            let plan = stage(
              StageQuestion(
                toBuy: buy, email: allReused.answers[.email] ?? staged.earlier[.email],
                quota: quota, betterUndecided: better))
            if plan.waits {
              refill.waiting = true
              passed.append(work.id)
              continue
            }
            buy = plan.buy
            staged.deferred = plan.deferred
            staged.skipped.merge(plan.skipped) { _, new in new }
            takesQuota = plan.takesQuota && !prior.quotaTaken
          }
          if buy.isEmpty {
            // Nothing left to buy: finish from what was reused, bought earlier or skipped.
            allReused.bought = staged.earlier.keys.sorted()
            let merged = staged.completed(allReused.isEmpty ? nil : allReused.merged(into: nil))
            let status: RowStatus =
              merged.isFound
              ? .found
              : (allReused.isEmpty && staged.earlier.isEmpty ? .skipped : .notFound)
            try steps.finishSettled(
              work.id, job: job, reused: allReused, staged: staged, merged: merged,
              status: status, at: now())
            refill.countSkips(staged, before: prior.staged)
            finished.append(work.id)
            if staged.earlier.isEmpty && !allReused.isEmpty {
              refill.reusedRequests += 1
              if merged.isFound { refill.reusedFound += 1 }
            }
            if !fresh.isEmpty {
              for type in fresh.types { refill.reusedTypes[type, default: 0] += 1 }
              refill.reused.append(fresh)
            }
            if finished.count >= maxReused {
              refill.more = true
              break scan
            }
            continue
          }
          if let identity {
            let keys = buy.map {
              StoredAnswer.typeKey($0, countries: work.request.phoneCountryCodes)
            }
            if try steps.isClaimedElsewhere(
              identity, keys: keys, request: work.id, job: job,
              isLive: { other in
                if let known = liveJobs[other] { return known }
                let live = try self.holdsLiveLock(other)
                liveJobs[other] = live
                return live
              })
            {
              try steps.wait(work.id, on: identity)
              refill.waiting = true
              continue
            }
            try steps.claim(identity, keys: keys, request: work.id, job: job)
          }
          if takesQuota { try steps.takeQuota(work.id) }
          // Always written: a request reset by --retry-failed may hold an older choice.
          allReused.bought = (buy + Array(staged.earlier.keys)).sorted()
          try steps.noteReused(work.id, answers: allReused)
          // Also without a rule now: stages left by an earlier run's rule are cleared, so
          // that the answer is not taken for a first stage.
          if stage != nil || !prior.staged.isEmpty {
            try steps.noteStaged(work.id, staged)
            refill.countSkips(staged, before: prior.staged)
          }
          if !fresh.isEmpty {
            for type in fresh.types { refill.reusedTypes[type, default: 0] += 1 }
            refill.reused.append(fresh)
          }
          if buy != work.request.enrichmentType {
            work.request.enrichmentType = buy
            work.ledger = work.ledger.keeping(buy)
          }
          work.deferred = staged.deferred
          refill.requests.append(work)
        }
      }
      try completeChunks(job: job, size: size, requests: finished)
      if !refill.waiting {
        refill.waiting =
          try connection.scalarInt(
            "SELECT count(*) FROM requests WHERE job_id = ? AND waits_on IS NOT NULL",
            [.text(job.rawValue)]) > 0
      }
      if !refill.waiting, stage != nil {
        // A request whose first stage is out comes back pending once it answers.
        refill.waiting =
          try connection.scalarInt(
            """
            SELECT count(*) FROM requests
            WHERE job_id = ? AND state IN ('inFlight', 'submitted') AND staged IS NOT NULL
              AND json_array_length(staged, '$.deferred') > 0
            """, [.text(job.rawValue)]) > 0
      }
      if !finished.isEmpty { try touch(job) }
      return refill
    }
  }

  /// Removes the job's claims and wakes its waiting requests: call when a run starts
  /// (claims left by a crash) and when it ends (requests not sent keep none).
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func releaseClaims(job: JobID) throws {
    try connection.transaction {
      try connection.prepare("DELETE FROM claims WHERE job_id = ?").run([.text(job.rawValue)])
      try connection.prepare(
        "UPDATE requests SET waits_on = NULL WHERE job_id = ? AND waits_on IS NOT NULL"
      ).run([.text(job.rawValue)])
    }
  }

  /// Claims, for the job's submitted requests (ids at the API, being polled), the
  /// types they are buying, so that another job waits for their answers.
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func claimSubmitted(job: JobID, _ requests: [PendingRequest]) throws {
    guard !requests.isEmpty else { return }
    try connection.transaction {
      var steps = RefillStatements(connection: connection)
      for work in requests {
        guard let identity = ContactIdentity(work.request) else { continue }
        let keys = work.request.enrichmentType.map {
          StoredAnswer.typeKey($0, countries: work.request.phoneCountryCodes)
        }
        try steps.claim(identity, keys: keys, request: work.id, job: job)
      }
    }
  }

  /// Wakes the job's waiting requests whose contact is no longer claimed by another
  /// request (or only by a job that holds no live lock).
  private func wakeWaiting(job: JobID) throws {
    let waiting = try connection.prepare(
      "SELECT DISTINCT waits_on FROM requests WHERE job_id = ? AND waits_on IS NOT NULL")
    try waiting.bind([.text(job.rawValue)])
    var identities: [String] = []
    while try waiting.step() { if let key = waiting.text(0) { identities.append(key) } }
    guard !identities.isEmpty else { return }
    let claimers = try connection.prepare("SELECT DISTINCT job_id FROM claims WHERE identity = ?")
    let wake = try connection.prepare(
      "UPDATE requests SET waits_on = NULL WHERE job_id = ? AND waits_on = ?")
    for identity in identities {
      try claimers.bind([.text(identity)])
      var held = false
      while try claimers.step() {
        guard let other = claimers.text(0) else { continue }
        if try other == job.rawValue || holdsLiveLock(other) { held = true }
      }
      claimers.reset()
      if !held { try wake.run([.text(job.rawValue), .text(identity)]) }
    }
  }

  /// Whether `job` is being run by a live process (its lock's pid is alive on this
  /// host, or the lock is another host's, which cannot be checked from here).
  func holdsLiveLock(_ job: String) throws -> Bool {
    let stmt = try connection.prepare("SELECT pid, host FROM locks WHERE job_id = ?")
    try stmt.bind([.text(job)])
    guard try stmt.step() else { return false }
    let pid = Int32(truncatingIfNeeded: stmt.int64(0))
    let host = stmt.text(1) ?? ""
    return host != Self.currentHost || Self.isAlive(pid: pid)
  }
}

/// The prepared statements of one refill.
private struct RefillStatements {
  let connection: SQLiteConnection
  private var lookup: Statement?
  private var claimRead: Statement?
  private var claimWrite: Statement?
  private var claimDrop: Statement?
  private var reusedWrite: Statement?
  private var stageRead: Statement?
  private var groupCount: Statement?
  private var betterCount: Statement?
  private var stagedWrite: Statement?

  init(connection: SQLiteConnection) { self.connection = connection }

  /// The contact's stored answers, by type key.
  mutating func stored(_ identity: ContactIdentity) throws -> [String: StoredAnswer] {
    if lookup == nil {
      lookup = try connection.prepare(
        """
        SELECT type, found, value, status, message, bought_at, job_id
        FROM contacts WHERE identity = ?
        """)
    }
    return try JobStore.readStoredAnswers(lookup!, identity: identity)
  }

  /// Whether one of `keys` of the contact is claimed by another request that is
  /// still being bought (this job's, or a job with a live lock); stale claims of
  /// dead jobs are removed.
  mutating func isClaimedElsewhere(
    _ identity: ContactIdentity, keys: [String], request: Int64, job: JobID,
    isLive: (String) throws -> Bool
  ) throws -> Bool {
    if claimRead == nil {
      claimRead = try connection.prepare(
        "SELECT job_id, request_id FROM claims WHERE identity = ? AND type = ?")
      claimDrop = try connection.prepare("DELETE FROM claims WHERE identity = ? AND type = ?")
    }
    for key in keys {
      try claimRead!.bind([.text(identity.key), .text(key)])
      guard try claimRead!.step() else {
        claimRead!.reset()
        continue
      }
      let other = claimRead!.text(0) ?? ""
      let otherRequest = claimRead!.int64(1)
      claimRead!.reset()
      if other == job.rawValue {
        if otherRequest != request { return true }
      } else if try isLive(other) {
        return true
      } else {
        try claimDrop!.run([.text(identity.key), .text(key)])
      }
    }
    return false
  }

  /// Claims `keys` of the contact for `request` of `job`.
  mutating func claim(_ identity: ContactIdentity, keys: [String], request: Int64, job: JobID)
    throws
  {
    if claimWrite == nil {
      claimWrite = try connection.prepare(
        "INSERT OR REPLACE INTO claims (identity, type, job_id, request_id) VALUES (?, ?, ?, ?)")
    }
    for key in keys {
      try claimWrite!.run([.text(identity.key), .text(key), .text(job.rawValue), .int(request)])
    }
  }

  /// Sets `request` waiting for the contact.
  func wait(_ request: Int64, on identity: ContactIdentity) throws {
    try connection.prepare("UPDATE requests SET waits_on = ? WHERE id = ?")
      .run([.text(identity.key), .int(request)])
  }

  /// Keeps the answers `request` reuses (none: `NULL`), merged into its answer when
  /// it is recorded.
  mutating func noteReused(_ request: Int64, answers: ReusedAnswers) throws {
    if reusedWrite == nil {
      reusedWrite = try connection.prepare("UPDATE requests SET reused = ? WHERE id = ?")
    }
    try reusedWrite!.run([.optional(answers.json), .int(request)])
  }

  /// Where `request` stands: its reused answers, stages, `--max-per` group and place.
  mutating func stageState(_ request: Int64) throws -> RequestStage {
    if stageRead == nil {
      stageRead = try connection.prepare(
        "SELECT reused, staged, group_key, quota_taken FROM requests WHERE id = ?")
    }
    try stageRead!.bind([.int(request)])
    defer { stageRead!.reset() }
    guard try stageRead!.step() else { return RequestStage() }
    return RequestStage(
      reused: ReusedAnswers(json: stageRead!.text(0)),
      staged: StagedAnswers(json: stageRead!.text(1)), group: stageRead!.text(2),
      quotaTaken: stageRead!.int64(3) != 0)
  }

  /// The places of `group` already taken in `job`.
  mutating func groupUsed(job: JobID, _ group: String) throws -> Int {
    if groupCount == nil {
      groupCount = try connection.prepare(
        "SELECT count(*) FROM requests WHERE job_id = ? AND group_key = ? AND quota_taken = 1")
    }
    try groupCount!.bind([.text(job.rawValue), .text(group)])
    defer { groupCount!.reset() }
    return try groupCount!.step() ? groupCount!.int(0) : 0
  }

  /// Requests of `request`'s group ranked before it (send rank, else file order)
  /// that hold no place and have no final outcome yet.
  mutating func betterUndecided(_ request: Int64) throws -> Int {
    if betterCount == nil {
      betterCount = try connection.prepare(
        """
        SELECT count(*) FROM requests r JOIN requests me ON me.id = ?
        WHERE r.job_id = me.job_id AND r.group_key = me.group_key AND r.id != me.id
          AND r.state != 'done' AND r.quota_taken = 0
          AND (coalesce(r.send_rank, 9e18), r.first_chunk, r.id)
            < (coalesce(me.send_rank, 9e18), me.first_chunk, me.id)
        """)
    }
    try betterCount!.bind([.int(request)])
    defer { betterCount!.reset() }
    return try betterCount!.step() ? betterCount!.int(0) : 0
  }

  /// `request` takes one of its group's places.
  func takeQuota(_ request: Int64) throws {
    try connection.prepare("UPDATE requests SET quota_taken = 1 WHERE id = ?")
      .run([.int(request)])
  }

  /// Keeps `request`'s stages (`NULL` when nothing is staged).
  mutating func noteStaged(_ request: Int64, _ staged: StagedAnswers) throws {
    if stagedWrite == nil {
      stagedWrite = try connection.prepare("UPDATE requests SET staged = ? WHERE id = ?")
    }
    try stagedWrite!.run([.optional(staged.json), .int(request)])
  }

  /// Finishes `request` without buying anything more: from the store, from what
  /// earlier stages bought, and with the types a rule skipped.
  func finishSettled(
    _ request: Int64, job: JobID, reused: ReusedAnswers, staged: StagedAnswers,
    merged r: EnrichResponse, status: RowStatus, at time: Date
  ) throws {
    var phones = SQLValue.null
    if let list = r.phones {
      phones = .text(
        String(decoding: try JSONEncoder().encode(list.map(\.number)), as: UTF8.self))
    }
    try connection.prepare(
      """
      UPDATE requests SET state = 'done', status = ?, email = ?, email_status = ?,
        personal_email = ?, personal_email_status = ?, phones = ?, phone_status = ?,
        message = ?, error_class = NULL, finished_at = ?, reused = ?, staged = ?,
        waits_on = NULL
      WHERE id = ? AND job_id = ? AND state = 'pending'
      """
    ).run([
      .text(status.rawValue), .optional(r.email), .optional(r.emailStatus),
      .optional(r.personalEmail), .optional(r.personalEmailStatus), phones,
      .optional(r.phoneStatus), .optional(r.message), .double(time.timeIntervalSince1970),
      .optional(reused.json), .optional(staged.json), .int(request), .text(job.rawValue),
    ])
  }
}

/// Where one pending request stands before a refill decides it.
struct RequestStage {
  /// Answers it took from the contact store (at an earlier refill).
  var reused = ReusedAnswers()
  /// Its stages so far.
  var staged = StagedAnswers()
  /// Its `--max-per` group (`nil`: none).
  var group: String?
  /// Whether it holds one of its group's places.
  var quotaTaken = false
}
