import JobStore
import LeadsheetCore

/// Counts found rates for one group of rows while the rows stream by.
struct GroupAccumulator {
  var rows = 0
  var answered = 0
  var anyFound = 0
  var answeredByType: [String: Int] = [:]
  var foundByType: [String: Int] = [:]

  /// Adds one row; `asked` are the types its request asks for.
  mutating func add(_ row: JobRow, asked: [String]) {
    rows += 1
    guard row.status == .found || row.status == .notFound else { return }
    answered += 1
    if row.status == .found { anyFound += 1 }
    // A type not bought on purpose (`--phone-if`, `--max-per`) was never asked of the
    // API: it counts neither as found nor as not found.
    for type in asked where RowFacts.statusValue(row, type: type) != StagedAnswers.skippedStatus {
      answeredByType[type, default: 0] += 1
      if RowFacts.hasValue(row, type: type) { foundByType[type, default: 0] += 1 }
    }
  }

  /// Adds another group's counts (to build the rest group).
  mutating func merge(_ other: GroupAccumulator) {
    rows += other.rows
    answered += other.answered
    anyFound += other.anyFound
    answeredByType.merge(other.answeredByType, uniquingKeysWith: +)
    foundByType.merge(other.foundByType, uniquingKeysWith: +)
  }

  /// The group's rates for the job's types.
  func rates(label: String, types: [String]) -> GroupRates {
    let found = types.map {
      TypeRate(type: $0, rows: foundByType[$0] ?? 0, outOf: answeredByType[$0] ?? 0)
    }
    return GroupRates(
      label: label, rows: rows, answeredRows: answered, found: found,
      anyFound: RateCount(rows: anyFound, outOf: answered))
  }
}

/// Small questions about one row, answered the same way everywhere.
enum RowFacts {
  /// Whether the row's outcome holds a value of `type`: an email, a phone, a personal email.
  static func hasValue(_ row: JobRow, type: String) -> Bool {
    guard let outcome = row.outcome, row.status == .found || row.status == .notFound else {
      return false
    }
    switch type {
    case "email": return !(outcome.email ?? "").isEmpty
    case "phone": return !outcome.phones.isEmpty
    case "personal_email": return !(outcome.personalEmail ?? "").isEmpty
    default: return false
    }
  }

  /// The status field the API sent for `type`, as sent; `(none)` when absent.
  static func statusValue(_ row: JobRow, type: String) -> String {
    let value: String?
    switch type {
    case "email": value = row.outcome?.emailStatus
    case "phone": value = row.outcome?.phoneStatus
    case "personal_email": value = row.outcome?.personalEmailStatus
    default: value = nil
    }
    guard let value, !value.isEmpty else { return "(none)" }
    return value
  }

  /// Whether a request field holds something other than whitespace.
  static func isPresent(_ value: String?) -> Bool {
    guard let value else { return false }
    return !value.allSatisfy(\.isWhitespace)
  }
}
