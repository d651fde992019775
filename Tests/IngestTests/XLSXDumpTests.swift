import Foundation
import Ingest
import LeadsheetCore
import Testing

@Test func dumpAllFixtures() throws {
  guard ProcessInfo.processInfo.environment["XLSX_DUMP"] != nil else { return }
  let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
  for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
  where name.hasSuffix(".xlsx") {
    print("== \(name)")
    do {
      let r = try XLSXReader(path: dir.appendingPathComponent(name).path, options: IngestOptions())
      print("   sheets \(r.info.sheets) read \(r.info.sheet ?? "-")")
      while let row = try r.next() {
        print("   \(row.number): " + row.cells.map { "\($0.text)|\($0.kind)" }.joined(separator: " ; "))
      }
      for w in r.warnings { print("   warning \(w)") }
    } catch {
      print("   ERROR \(error)")
    }
  }
}
