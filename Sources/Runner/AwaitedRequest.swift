import JobStore
import LeadsheetCore

/// A request whose parts are being bought or polled, held by the run until every
/// part has a final answer; then it becomes one outcome.
///
/// A part is the set of types one call asked for (see `SubmissionLedger`). A part
/// is *open* from the moment it is to be bought or polled until it is answered or
/// fails. The ledger (ids and answers) is committed with the request as it grows,
/// so a crash loses neither an id nor an answer.
struct AwaitedRequest: Sendable, Hashable {
  /// A part that ended without an answer.
  struct Failure: Sendable, Hashable {
    var errorClass: String
    var message: String
    /// The API holds an id for it (still pending, or not fetchable now): the request
    /// ends `failed` as `submitted`, and the next run polls the id again.
    var keepsID: Bool
  }

  /// How the request ended, for the run's counters.
  enum Kind: Sendable, Hashable { case found, notFound, failed }

  /// The whole request, as stored.
  var work: PendingRequest
  var ledger: SubmissionLedger
  /// Parts not answered yet.
  var open: Set<String> = []
  var failures: [String: Failure] = [:]
  /// When this run started polling each part (for `--poll-timeout`).
  var pollingSince: [String: Double] = [:]
  /// Polls made of each part in this run.
  var polls: [String: Int] = [:]
  /// Transient failures of each part's calls (submissions or polls).
  var retries: [String: Int] = [:]
  /// 429s of each part's calls.
  var rateLimits: [String: Int] = [:]

  /// When this run began it (seconds on the run's clock): the outcome's latency is
  /// the time from there to the last part's answer.
  var began: Double

  init(work: PendingRequest, at now: Double) {
    self.work = work
    self.ledger = work.ledger
    self.began = now
  }

  /// No part is being sent without an id: the request may be stored `submitted`.
  var isComplete: Bool { open.allSatisfy { ledger.ids[$0] != nil } }

  /// The outcome once no part is open.
  func outcome(at now: Double) -> (RequestOutcome, Kind) {
    var (outcome, kind) = assembled()
    outcome.latencyMilliseconds = RunStatistics.milliseconds(max(0, now - began))
    return (outcome, kind)
  }

  private func assembled() -> (RequestOutcome, Kind) {
    let merged = ledger.merged
    let stillPending = failures.filter(\.value.keepsID).sorted { $0.key < $1.key }
    if let (part, failure) = stillPending.first {
      var outcome = RequestOutcome(
        requestID: work.id,
        result: .failed(errorClass: "submitted", message: Self.label(part) + failure.message),
        enrichmentID: ledger.idsText)
      outcome.partialResults = ledger.resultsText
      return (outcome, .failed)
    }
    let others = failures.sorted { $0.key < $1.key }
    if merged.isFound || others.isEmpty {
      var response = merged
      let notes = others.map { Self.label($0.key) + $0.value.message }
      if !notes.isEmpty {
        response.message = ([response.message].compactMap { $0 } + notes).joined(separator: "; ")
      }
      return (
        RequestOutcome(requestID: work.id, result: .response(response, json: nil)),
        merged.isFound ? .found : .notFound
      )
    }
    let (part, failure) = others[0]
    return (
      RequestOutcome(
        requestID: work.id,
        result: .failed(
          errorClass: failure.errorClass, message: Self.label(part) + failure.message),
        enrichmentID: ledger.idsText),
      .failed
    )
  }

  /// `phone: ` before a part's message when the request has several parts.
  private static func label(_ part: String) -> String { part.contains(",") ? "" : part + ": " }
}
