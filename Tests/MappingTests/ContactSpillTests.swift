import Foundation
import LeadsheetCore
import Testing

@testable import Mapping

/// `ContactSet` spilling to disk: the counts stay exact, the files go away,
/// and a folder that cannot be written leaves the set in memory.

/// Plans over `distinct` names with mixed types, so that many contacts repeat.
private func plans(_ count: Int, distinct: Int, seed: UInt64) -> [RowPlan] {
  var state = seed
  func next() -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int(truncatingIfNeeded: state >> 33)
  }
  let typeSets: [[EnrichmentType]] = [[.email], [.email, .phone], [.phone, .personalEmail]]
  return (0..<count).map { _ in
    if next() % 9 == 0 { return .invalid(.missingLastName, ignored: [.websiteInvalid]) }
    let types = typeSets[next() % typeSets.count]
    return .send(
      EnrichRequest(firstname: "N\(next() % distinct)", lastname: "L", enrichmentType: types),
      dropped: next() % 5 == 0 ? [.phone] : [], ignored: [])
  }
}

private func json(_ summary: MappingSummary) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  return String(decoding: try encoder.encode(summary), as: UTF8.self)
}

private let costs = CreditCosts(perType: [.email: 1, .phone: 10, .personalEmail: 3])

/// A summary whose set spills past 768 contacts (1,024 slots).
private func spilling(_ plans: ArraySlice<RowPlan>, base: String? = nil) -> MappingSummary {
  var s = MappingSummary(creditCosts: costs)
  s.seen = ContactSet(maxSlots: 1024, spillBase: base)
  for plan in plans { s.add(plan) }
  return s
}

private func inMemory(_ plans: ArraySlice<RowPlan>) -> MappingSummary {
  var s = MappingSummary(creditCosts: costs)
  for plan in plans { s.add(plan) }
  return s
}

@Test func aSpilledSummarySettlesToTheExactCounts() throws {
  let all = plans(8_000, distinct: 2_500, seed: 7)
  let exact = inMemory(all[...])
  #expect(!exact.seen.spilled)
  let spilled = spilling(all[...])
  #expect(spilled.seen.spilled)
  // Before settling, every contact after the spill counted as new.
  #expect(spilled.requests > exact.requests)
  let settled = try MappingSummary.merged([spilled])
  #expect(try json(settled) == json(exact))
  #expect(settled.duplicates > 0 && settled.requests + settled.duplicates == settled.valid)
}

@Test func partsThatSpilledMergeWithPartsThatDidNot() throws {
  let all = plans(9_000, distinct: 3_000, seed: 11)
  let whole = try json(inMemory(all[...]))
  for cuts in [[1_000, 7_000], [4_500], [200, 300, 8_800]] {
    let bounds = [0] + cuts + [all.count]
    let parts = (0..<(bounds.count - 1)).map { i -> MappingSummary in
      let slice = all[bounds[i]..<bounds[i + 1]]
      return i % 2 == 0 ? spilling(slice) : inMemory(slice)
    }
    #expect(parts.contains { $0.seen.spilled })
    #expect(try json(MappingSummary.merged(parts)) == whole, "cuts \(cuts)")
  }
}

@Test func spillFilesArePrivateAndRemoved() throws {
  let base = FileManager.default.temporaryDirectory
    .appendingPathComponent("leadsheet-spill-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: base) }
  do {
    let s = spilling(plans(3_000, distinct: 2_900, seed: 3)[...], base: base)
    let folder = try #require(s.seen.spill?.directory)
    #expect(folder.hasPrefix(base + "/leadsheet-contacts-"))
    let mode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
    #expect(mode == 0o700)
    let file = try FileManager.default.attributesOfItem(atPath: folder + "/0")[.posixPermissions]
    #expect(file as? Int == 0o600)
    _ = try MappingSummary.merged([s])
  }
  #expect(try FileManager.default.contentsOfDirectory(atPath: base).isEmpty)
}

@Test func anUnwritableFolderKeepsTheSetInMemory() throws {
  let all = plans(3_000, distinct: 2_000, seed: 5)
  let s = spilling(all[...], base: "/nonexistent/leadsheet")
  #expect(!s.seen.spilled)
  #expect(s.seen.spillFailure?.code == .storage)
  #expect(try json(MappingSummary.merged([s])) == json(inMemory(all[...])))
}

@Test func batchedContactChecksGiveTheSameCounts() throws {
  let all = plans(5_000, distinct: 1_500, seed: 13)
  let exact = try json(inMemory(all[...]))
  for spill in [false, true] {
    var batched = MappingSummary(creditCosts: costs)
    batched.batchesContactChecks = true
    if spill { batched.seen = ContactSet(maxSlots: 1024) }
    for (n, plan) in all.enumerated() {
      #expect(batched.add(plan) == false)
      // Mid-way, a flush of a copy gives the counts of the rows so far (in
      // memory only: a spilled copy would append to the same files).
      if n == 2_500, !spill {
        var copy = batched
        copy.flush()
        #expect(try json(copy) == json(inMemory(all[...n])))
      }
      if n == 4_000 {
        #expect(try json(MappingSummary.merged([batched])) == json(inMemory(all[...n])))
      }
    }
    #expect(batched.pending.count == (all.count - all.filter { $0.request == nil }.count) % 32)
    #expect(try json(MappingSummary.merged([batched])) == exact, "spill \(spill)")
    batched.flush()
    if !spill { #expect(try json(batched) == exact) }
  }
}
