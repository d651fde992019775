extension Migrations {
  /// v9: answers reused from the contact store, and claims that keep two runs from
  /// buying one contact at once.
  ///
  /// `requests.reused` is a JSON object, by enrichment type, of the answers taken
  /// from the contact store instead of being bought (`ReusedAnswers`): `NULL` for a
  /// request that bought everything it asked. `requests.waits_on` is the contact
  /// identity a pending request waits for while another request (of another job,
  /// or a duplicate identity in the same job) is buying it; such a request is not
  /// handed out until the claim is gone.
  ///
  /// `claims` holds one row per (contact identity, type key) being bought: which
  /// job and request buys it. A claim is removed with the request's final outcome,
  /// and every claim of a job when its run ends; a claim whose job holds no live
  /// lock (a crash) is stale and taken over.
  static let reuse = Migration(
    version: 9, name: "reused answers and claims",
    sql: """
      ALTER TABLE requests ADD COLUMN reused TEXT;
      ALTER TABLE requests ADD COLUMN waits_on TEXT;
      CREATE INDEX requests_waiting ON requests(job_id) WHERE waits_on IS NOT NULL;
      CREATE TABLE claims (
        identity TEXT NOT NULL,
        type TEXT NOT NULL,
        job_id TEXT NOT NULL,
        request_id INTEGER NOT NULL,
        PRIMARY KEY (identity, type)
      ) WITHOUT ROWID;
      CREATE INDEX claims_by_request ON claims(request_id);
      CREATE INDEX claims_by_job ON claims(job_id);
      """)
}
