import ArgumentParser
import Foundation
import JobStore

/// Where the job database is: `--db`, else `LEADSHEET_DB`, else `$XDG_STATE_HOME/leadsheet/jobs.sqlite`.
struct StoreArguments: ParsableArguments {
  @Option(
    help: "The job database (default: $LEADSHEET_DB, else ~/.local/state/leadsheet/jobs.sqlite).")
  var db: String?

  /// The database path in force.
  var path: String { db ?? JobStore.defaultPath() }

  /// Opens the database, creating it (mode 0600) if needed.
  func open() throws -> JobStore { try JobStore(path: path) }
}
