extension Migrations {
  /// v8: the contact store: the latest answer per contact and enrichment type, across
  /// jobs, so that a contact bought by one job is not bought again by the next.
  ///
  /// `identity` is `ContactIdentity.key`; `type` the enrichment type, with the phone
  /// countries asked when there were some (`phone:FR,BE`). `value` is what was found
  /// (the email, the phones as a JSON list, the personal email; `NULL` when nothing
  /// was), `status` the type's status as the API sent it. `job_id` is the job that
  /// bought the answer (not a foreign key: the entry outlives a purged job only when
  /// another job bought it later).
  static let contactStore = Migration(
    version: 8, name: "contact store",
    sql: """
      CREATE TABLE contacts (
        identity TEXT NOT NULL,
        type TEXT NOT NULL,
        found INTEGER NOT NULL,
        value TEXT,
        status TEXT,
        message TEXT,
        bought_at REAL NOT NULL,
        job_id TEXT NOT NULL,
        PRIMARY KEY (identity, type)
      ) WITHOUT ROWID;
      CREATE INDEX contacts_by_job ON contacts(job_id);
      CREATE INDEX contacts_by_time ON contacts(bought_at);
      """)
}
