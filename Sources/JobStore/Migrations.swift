/// One forward step of the schema.
///
/// Migrations are applied in order, each in its own transaction together with
/// `PRAGMA user_version = version`. Once shipped, a migration is never edited:
/// a change to the schema is a new migration appended to `Migrations.all`
/// (GRDB's rule; `Tests/JobStoreTests/Fixtures/v1.sqlite` checks it).
struct Migration {
  /// The `user_version` the database has after this migration.
  var version: Int
  /// A short description.
  var name: String
  /// The SQL to run.
  var sql: String
}

/// The schema's history.
enum Migrations {
  /// Every migration, oldest first; `all[i].version == i + 1`.
  static let all: [Migration] = [v1, v2, v3, v4, v5, v6, v7, contactStore, reuse, stages]

  /// The version of a database made by this build.
  static var latestVersion: Int { all.last!.version }

  /// v1: jobs, rows, requests, chunks, locks.
  ///
  /// Times are Unix seconds (`REAL`). `rows.row_index` is 0-based and gives
  /// the chunk (`row_index / jobs.chunk_size`).
  static let v1 = Migration(
    version: 1, name: "jobs, rows, requests, chunks, locks",
    sql: """
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY NOT NULL,
        input_path TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,
        input_size INTEGER NOT NULL,
        format TEXT NOT NULL,
        sheet TEXT,
        header TEXT NOT NULL,
        mapping TEXT NOT NULL,
        enrichment_types TEXT NOT NULL,
        options TEXT NOT NULL,
        chunk_size INTEGER NOT NULL,
        state TEXT NOT NULL,
        state_reason TEXT,
        row_count INTEGER NOT NULL DEFAULT 0,
        resent_after_crash INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        ingested_at REAL
      );
      CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs(id),
        contact_key TEXT NOT NULL,
        body TEXT NOT NULL,
        first_chunk INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at REAL,
        status TEXT,
        email TEXT,
        email_status TEXT,
        personal_email TEXT,
        personal_email_status TEXT,
        phones TEXT,
        phone_status TEXT,
        message TEXT,
        enrichment_id TEXT,
        error_class TEXT,
        latency_ms INTEGER,
        finished_at REAL,
        response TEXT
      );
      CREATE UNIQUE INDEX requests_by_contact ON requests(job_id, contact_key);
      CREATE INDEX requests_pending ON requests(job_id, first_chunk, id)
        WHERE state = 'pending';
      CREATE TABLE rows (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs(id),
        row_index INTEGER NOT NULL,
        line INTEGER NOT NULL,
        cells BLOB NOT NULL,
        plan TEXT NOT NULL,
        request_id INTEGER REFERENCES requests(id),
        reason_code TEXT,
        reason_message TEXT
      );
      CREATE UNIQUE INDEX rows_by_index ON rows(job_id, row_index);
      CREATE INDEX rows_by_request ON rows(request_id);
      CREATE TABLE chunks (
        job_id TEXT NOT NULL REFERENCES jobs(id),
        chunk INTEGER NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (job_id, chunk)
      ) WITHOUT ROWID;
      CREATE TABLE locks (
        job_id TEXT PRIMARY KEY NOT NULL REFERENCES jobs(id),
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        since REAL NOT NULL
      );
      """)

  /// v2: run statistics for the report (one row per `run`/`resume`, plus its pauses).
  static let v2 = Migration(
    version: 2, name: "run statistics",
    sql: """
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs(id),
        started_at REAL NOT NULL,
        ended_at REAL,
        requests_sent INTEGER NOT NULL DEFAULT 0,
        retries INTEGER NOT NULL DEFAULT 0,
        rate_limited INTEGER NOT NULL DEFAULT 0,
        end_reason TEXT
      );
      CREATE INDEX runs_by_job ON runs(job_id, id);
      CREATE TABLE run_pauses (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        at REAL NOT NULL,
        reason TEXT NOT NULL,
        seconds REAL
      );
      CREATE INDEX run_pauses_by_run ON run_pauses(run_id);
      """)
}

extension Migrations {
  /// v3: duplicates are found in memory at ingest, and requests in flight by a small index.
  ///
  /// The unique index on `(job_id, contact_key)` made every ingested row a
  /// random B-tree insert (and a look-up); `JobIngestWriter` now keeps a
  /// 128-bit digest per distinct contact instead, rebuilt from
  /// `contact_key` when an interrupted ingest is continued. The partial index
  /// on requests in flight lets `recoverInFlight` start a run without
  /// scanning every request of a large job.
  static let v3 = Migration(
    version: 3, name: "in-memory duplicates at ingest, index of requests in flight",
    sql: """
      DROP INDEX requests_by_contact;
      CREATE INDEX requests_in_flight ON requests(job_id) WHERE state = 'inFlight';
      """)
}

extension Migrations {
  /// v4: the account's credit balance at the start and end of each run.
  ///
  /// Read from `GET /credits` when the API answers it (`NULL` otherwise), so
  /// that what the account was charged can be set beside leadsheet's count.
  static let v4 = Migration(
    version: 4, name: "credit balance per run",
    sql: """
      ALTER TABLE runs ADD COLUMN credits_before REAL;
      ALTER TABLE runs ADD COLUMN credits_after REAL;
      """)
}

extension Migrations {
  /// v5: requests the API took and has not answered (`state = 'submitted'`, or
  /// failed still pending at `--poll-timeout`), found by small indexes when a run
  /// starts polling them, without scanning every request of a large job.
  static let v5 = Migration(
    version: 5, name: "indexes of submitted requests",
    sql: """
      CREATE INDEX requests_submitted ON requests(job_id) WHERE state = 'submitted';
      CREATE INDEX requests_failed_submitted ON requests(job_id)
        WHERE state = 'done' AND error_class = 'submitted';
      """)
}

extension Migrations {
  /// v6: requests by the time they were finished, for `--daily-credits`: what every
  /// job spent today is read from the requests finished since the UTC midnight,
  /// without scanning every request of the database.
  static let v6 = Migration(
    version: 6, name: "requests by finish time",
    sql: """
      CREATE INDEX requests_finished ON requests(finished_at) WHERE state = 'done';
      """)
}

extension Migrations {
  /// v7: `--order-by`: each request's place in the job's send order.
  ///
  /// `requests.send_rank` is 0 for the request sent first; `NULL` for a job in
  /// file order (every job made before v7, and every job without `--order-by`:
  /// their ingest writes nothing more per row). The index holds pending ranked
  /// requests only, so that it costs an unordered job's ingest nothing.
  static let v7 = Migration(
    version: 7, name: "send order of requests (--order-by)",
    sql: """
      ALTER TABLE requests ADD COLUMN send_rank INTEGER;
      CREATE INDEX requests_pending_ranked ON requests(job_id, send_rank, id)
        WHERE state = 'pending' AND send_rank IS NOT NULL;
      """)
}
