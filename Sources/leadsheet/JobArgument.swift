import ArgumentParser
import JobStore
import LeadsheetCore

/// Finds a job by id (case-insensitive), with a clear error listing recent ids.
func requireJob(_ text: String, in store: JobStore) throws -> Job {
  let wanted = text.uppercased()
  if let job = try store.jobs().first(where: { $0.id.rawValue.uppercased() == wanted }) {
    return job
  }
  let recent = try store.jobs().suffix(5).map(\.id.rawValue)
  throw LeadsheetError(
    .notFound, "no job \(text) in \(store.path)",
    hint: recent.isEmpty
      ? "no jobs yet: start one with leadsheet enrich FILE"
      : "recent jobs: \(recent.joined(separator: ", ")); list them with leadsheet jobs")
}
