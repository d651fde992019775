extension Migrations {
  /// v10: staged spend (`--phone-if`, `--personal-email-if`) and `--max-per`.
  ///
  /// `requests.staged` is a JSON object (`StagedAnswers`): the answers a request
  /// bought in an earlier stage (its email, before the phone is decided), the types
  /// it defers until they are known, and the types a rule decided not to buy, with
  /// why. `NULL` for a request bought in one go. `requests.group_key` is the folded
  /// value of the `--max-per` column in the request's first row (`NULL`: blank, or
  /// no `--max-per`); `requests.quota_taken` is 1 once the request took one of its
  /// group's places, so that sending it again never takes a second.
  static let stages = Migration(
    version: 10, name: "staged types and per-group quotas",
    sql: """
      ALTER TABLE requests ADD COLUMN staged TEXT;
      ALTER TABLE requests ADD COLUMN group_key TEXT;
      ALTER TABLE requests ADD COLUMN quota_taken INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX requests_groups ON requests(job_id, group_key) WHERE group_key IS NOT NULL;
      """)
}
