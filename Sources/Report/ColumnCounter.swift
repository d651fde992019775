import Foundation
import JobStore

/// Found-rate groups per value of one column, with a bounded number of values kept.
///
/// Keeps a `GroupAccumulator` for at most `limit` distinct values; rows with
/// a value seen after the limit is reached go to one overflow group, which
/// joins the rest group. Memory is bounded by `limit`, not by the list.
struct ColumnCounter {
  /// The most distinct values tracked per column.
  static let defaultLimit = 10_000

  let column: String
  let index: Int
  let limit: Int
  var groups: [String: GroupAccumulator] = [:]
  var overflow = GroupAccumulator()
  var overflowed = false

  init(column: String, index: Int, limit: Int = ColumnCounter.defaultLimit) {
    self.column = column
    self.index = index
    self.limit = limit
  }

  /// Adds one row, grouped by its cell's trimmed text (`(empty)` when blank).
  mutating func add(_ row: JobRow, asked: [String]) {
    let text = index < row.cells.count ? row.cells[index].text : ""
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let value = trimmed.isEmpty ? "(empty)" : trimmed
    if groups[value] != nil || groups.count < limit {
      groups[value, default: GroupAccumulator()].add(row, asked: asked)
    } else {
      overflowed = true
      overflow.add(row, asked: asked)
    }
  }

  /// The top `top` values by rows (ties by value), the rest as one group.
  func result(types: [String], top: Int = 20) -> ColumnGroups {
    let sorted = groups.sorted { a, b in
      a.value.rows != b.value.rows ? a.value.rows > b.value.rows : a.key < b.key
    }
    let head = sorted.prefix(top).map { $0.value.rates(label: $0.key, types: types) }
    var rest = overflow
    for (_, group) in sorted.dropFirst(top) { rest.merge(group) }
    return ColumnGroups(
      column: column, distinctValues: groups.count, valuesCapped: overflowed, top: head,
      rest: rest.rows > 0 ? rest.rates(label: "(other values)", types: types) : nil)
  }
}
