import Foundation

/// The simulator's ledger (`--ledger PATH`) from line `from` on (0-based), as JSON objects.
func ledgerLines(_ path: String, from: Int = 0) -> [[String: Any]] {
  guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
  return text.split(separator: "\n").dropFirst(from).compactMap {
    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
  }
}

/// The last name (lower case) of a ledger line's contact.
func lastName(_ line: [String: Any]) -> String {
  let parts = (line["contact"] as? String ?? "").split(
    separator: "|", omittingEmptySubsequences: false)
  return parts.count > 1 ? String(parts[1]) : ""
}
