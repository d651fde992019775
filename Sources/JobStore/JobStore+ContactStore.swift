import Foundation
import LeadsheetCore

/// One answer in the contact store: what a contact's enrichment of one type gave,
/// when, and which job bought it.
public struct StoredAnswer: Sendable, Hashable {
  /// The contact.
  public var identity: ContactIdentity
  /// The store's type key (`email`, `phone`, `phone:FR,BE`, `personal_email`).
  public var type: String
  /// Whether something was found.
  public var found: Bool
  /// The email, the phones as a JSON list, or the personal email (`nil`: none found).
  public var value: String?
  /// The type's status as the API sent it.
  public var status: String?
  /// The answer's message.
  public var message: String?
  /// When it was bought.
  public var boughtAt: Date
  /// The job that bought it.
  public var job: JobID

  /// Creates a value.
  public init(
    identity: ContactIdentity, type: String, found: Bool, value: String?, status: String?,
    message: String?, boughtAt: Date, job: JobID
  ) {
    self.identity = identity
    self.type = type
    self.found = found
    self.value = value
    self.status = status
    self.message = message
    self.boughtAt = boughtAt
    self.job = job
  }

  /// The store's key for `type` asked with `countries` (`phone:FR,BE`).
  public static func typeKey(_ type: EnrichmentType, countries: [String]?) -> String {
    guard type == .phone, let countries, !countries.isEmpty else { return type.rawValue }
    return "phone:" + countries.joined(separator: ",")
  }

  /// The store's entries for each type `request` asked, from its answer.
  /// The value (`nil`: nothing found; phones as a JSON list) and status of `type` in `answer`.
  public static func part(_ type: EnrichmentType, of answer: EnrichResponse) -> (
    value: String?, status: String?
  ) {
    switch type {
    case .email:
      return (answer.email.flatMap { $0.isEmpty ? nil : $0 }, answer.emailStatus)
    case .personalEmail:
      return (
        answer.personalEmail.flatMap { $0.isEmpty ? nil : $0 }, answer.personalEmailStatus
      )
    case .phone:
      let numbers = (answer.phones ?? []).map(\.number).filter { !$0.isEmpty }
      let value =
        numbers.isEmpty ? nil : String(decoding: try! JSONEncoder().encode(numbers), as: UTF8.self)
      return (value, answer.phoneStatus)
    }
  }

  public static func entries(
    of request: EnrichRequest, answer: EnrichResponse, at time: Date, job: JobID
  ) -> [StoredAnswer] {
    guard let identity = ContactIdentity(request) else { return [] }
    return request.enrichmentType.map { type in
      let (value, status) = part(type, of: answer)
      return StoredAnswer(
        identity: identity, type: typeKey(type, countries: request.phoneCountryCodes),
        found: value != nil, value: value, status: status, message: answer.message,
        boughtAt: time, job: job)
    }
  }
}

/// What the contact store holds (`leadsheet cache --stats`).
public struct ContactStoreStats: Sendable, Hashable, Codable {
  /// Entries (contact × type).
  public var entries: Int
  /// Distinct contacts.
  public var contacts: Int
  /// Entries by type key.
  public var byType: [String: Int]
  /// Entries that found something.
  public var found: Int
  /// The oldest and newest purchase.
  public var oldest: Date?
  public var newest: Date?
  /// Jobs that bought the entries.
  public var jobs: Int
}

extension JobStore {
  /// Writes answers to the contact store, replacing older answers of the same
  /// contact and type (inside the caller's transaction, or in one of its own).
  func storeAnswers(_ answers: [StoredAnswer]) throws {
    guard !answers.isEmpty else { return }
    let stmt = try connection.prepare(
      """
      INSERT INTO contacts (identity, type, found, value, status, message, bought_at, job_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (identity, type) DO UPDATE SET found = excluded.found,
        value = excluded.value, status = excluded.status, message = excluded.message,
        bought_at = excluded.bought_at, job_id = excluded.job_id
      WHERE excluded.bought_at >= contacts.bought_at
      """)
    for a in answers {
      try stmt.run([
        .text(a.identity.key), .text(a.type), .int(a.found ? 1 : 0), .optional(a.value),
        .optional(a.status), .optional(a.message), .double(a.boughtAt.timeIntervalSince1970),
        .text(a.job.rawValue),
      ])
    }
  }

  /// The request `id` as stored (`nil` when it cannot be read back), read with
  /// `lookup`: `SELECT body, contact_key FROM requests WHERE id = ?`.
  static func storedRequest(id: Int64, lookup: Statement, decoder: JSONDecoder) throws
    -> EnrichRequest?
  {
    try lookup.bind([.int(id)])
    guard try lookup.step() else { return nil }
    return storedRequest(lookup, body: 0, key: 1, decoder: decoder)
  }

  /// Records `answers` in the contact store in a transaction of their own.
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func recordInContactStore(_ answers: [StoredAnswer]) throws {
    try connection.transaction { try storeAnswers(answers) }
  }

  /// The stored answers of `identity`, by type key.
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func storedAnswers(of identity: ContactIdentity) throws -> [String: StoredAnswer] {
    let stmt = try connection.prepare(
      """
      SELECT type, found, value, status, message, bought_at, job_id
      FROM contacts WHERE identity = ?
      """)
    return try Self.readStoredAnswers(stmt, identity: identity)
  }

  /// The stored answers of each of `identities` that has some, by type key, with one
  /// prepared statement (for a whole list's worth of lookups).
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func storedAnswers(of identities: [ContactIdentity]) throws
    -> [ContactIdentity: [String: StoredAnswer]]
  {
    let stmt = try connection.prepare(
      """
      SELECT type, found, value, status, message, bought_at, job_id
      FROM contacts WHERE identity = ?
      """)
    var out: [ContactIdentity: [String: StoredAnswer]] = [:]
    for identity in identities {
      let answers = try Self.readStoredAnswers(stmt, identity: identity)
      if !answers.isEmpty { out[identity] = answers }
    }
    return out
  }

  /// Whether the contact store holds no answer at all.
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func contactStoreIsEmpty() throws -> Bool {
    try connection.scalarInt("SELECT count(*) FROM (SELECT 1 FROM contacts LIMIT 1)") == 0
  }

  /// Reads `identity`'s answers with `stmt`: `SELECT type, found, value, status,
  /// message, bought_at, job_id FROM contacts WHERE identity = ?`.
  static func readStoredAnswers(_ stmt: Statement, identity: ContactIdentity) throws
    -> [String: StoredAnswer]
  {
    try stmt.bind([.text(identity.key)])
    defer { stmt.reset() }
    var out: [String: StoredAnswer] = [:]
    while try stmt.step() {
      guard let type = stmt.text(0), let job = stmt.text(6).flatMap({ JobID($0) })
      else { continue }
      out[type] = StoredAnswer(
        identity: identity, type: type, found: stmt.int(1) != 0, value: stmt.text(2),
        status: stmt.text(3), message: stmt.text(4),
        boughtAt: Date(timeIntervalSince1970: stmt.double(5)), job: job)
    }
    return out
  }

  /// What the contact store holds.
  ///
  /// - Throws: `LeadsheetError(.storage)`.
  public func contactStoreStats() throws -> ContactStoreStats {
    var byType: [String: Int] = [:]
    let stmt = try connection.prepare("SELECT type, count(*) FROM contacts GROUP BY type")
    while try stmt.step() {
      if let type = stmt.text(0) { byType[type] = stmt.int(1) }
    }
    let summary = try connection.prepare(
      """
      SELECT count(*), count(DISTINCT identity), coalesce(sum(found), 0), min(bought_at),
        max(bought_at), count(DISTINCT job_id)
      FROM contacts
      """)
    _ = try summary.step()
    return ContactStoreStats(
      entries: summary.int(0), contacts: summary.int(1), byType: byType,
      found: summary.int(2),
      oldest: summary.isNull(3) ? nil : Date(timeIntervalSince1970: summary.double(3)),
      newest: summary.isNull(4) ? nil : Date(timeIntervalSince1970: summary.double(4)),
      jobs: summary.int(5))
  }

  /// Deletes the store's entries bought before `cutoff` (`nil`: every entry), then
  /// rewrites the file so that their bytes are gone.
  ///
  /// - Returns: The entries deleted.
  /// - Throws: `LeadsheetError(.storage)`.
  @discardableResult
  public func purgeContactStore(boughtBefore cutoff: Date?) throws -> Int {
    let deleted = try connection.transaction {
      if let cutoff {
        try connection.prepare("DELETE FROM contacts WHERE bought_at < ?")
          .run([.double(cutoff.timeIntervalSince1970)])
      } else {
        try connection.execute("DELETE FROM contacts")
      }
      return connection.changes
    }
    try connection.execute("VACUUM")
    try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return deleted
  }
}
