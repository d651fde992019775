import Foundation
import Testing

extension EndToEnd {
  /// A CRM export with a 100,000-character notes cell, enriched against the simulator:
  /// CSV output keeps it byte for byte; XLSX output cuts it at Excel's 32,767 characters,
  /// and the summary and the report say so.
  @Suite("Long cells")
  struct LongCells {
    /// 100,000 characters: ASCII with an "é" and an emoji across the 32,767 mark.
    static let notes: String = {
      var s = String(repeating: "Called twice: asked for a demo. ", count: 1_023)  // 32,736
      s += String(repeating: "é", count: 30) + "😀"  // the emoji straddles 32,767 (UTF-16)
      s += String(repeating: "x", count: 100_000 - s.unicodeScalars.count)
      return s
    }()

    @Test("a 100,000-character cell: whole in CSV, cut at 32,767 in XLSX, counted")
    func longNotesCell() async throws {
      let w = try Workdir("long-cells")
      defer { w.remove() }
      let input = try w.write(
        "crm.csv",
        "First Name,Last Name,Company,LinkedIn URL,Notes\n"
          + "Ada,Lovelace,Analytical Engines,https://www.linkedin.com/in/ada,short\n"
          + "Grace,Hopper,Navy,https://www.linkedin.com/in/grace,\(Self.notes)\n"
          + "Alan,Turing,Bletchley,https://www.linkedin.com/in/alan,\n")
      let csv = try await w.run(
        ["enrich", input, "--simulate", "--types", "email", "--json"], timeout: .seconds(120))
      #expect(csv.code == 0, "\(csv.stderr)")
      #expect(csv.json["end"] as? String == "done")
      #expect((csv.json["output_warnings"] as? [String])?.isEmpty == true)
      let written = try Data(contentsOf: URL(fileURLWithPath: w.path("crm.enriched.csv")))
      let text = String(decoding: written, as: UTF8.self)
      #expect(text.contains("," + Self.notes + ","), "the notes cell is not byte-exact")

      // The same job written as XLSX.
      let job = try #require(csv.json["job"] as? String)
      let export = try await w.run(["export", job, "--format", "xlsx", "-o", w.path("crm.xlsx")])
      #expect(export.code == 0, "\(export.stderr)")
      #expect(export.stderr.contains("1 cell(s) longer than 32,767 characters were cut"))
      let cell = try xlsxCell(w.path("crm.xlsx"), reference: "E3")
      let cut = Self.notes.utf16.prefix(32_766)  // the emoji does not fit: cut before it
      #expect(cell.utf16.count == 32_766)
      #expect(Array(cell.utf16) == Array(cut))
      #expect(cell.hasSuffix("é"))

      // The report counts it, in every format.
      let json = try await w.run(["report", job, "--format", "json"])
      let report = try #require(
        try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      let section = try #require(report["input"] as? [String: Any])
      #expect(section["long_cells"] as? Int == 1)
      #expect(section["first_long_cell_line"] as? Int == 3)
      for format in ["text", "md", "html"] {
        let r = try await w.run(["report", job, "--format", format])
        #expect(r.code == 0, "\(format): \(r.stderr)")
        #expect(r.stdout.contains("longer than Excel"), "\(format)")
      }
    }

    /// The text of one cell of the first sheet, read with Python's zipfile (not leadsheet).
    func xlsxCell(_ path: String, reference: String) throws -> String {
      let script = """
        import re, sys, zipfile, html
        xml = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode("utf-8")
        m = re.search(r'<c r="' + sys.argv[2] + r'"[^>]*><is><t[^>]*>(.*?)</t>', xml, re.S)
        sys.stdout.write(html.unescape(m.group(1)) if m else "")
        """
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = ["python3", "-c", script, path, reference]
      let pipe = Pipe()
      p.standardOutput = pipe
      try p.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      return String(decoding: data, as: UTF8.self)
    }
  }
}
