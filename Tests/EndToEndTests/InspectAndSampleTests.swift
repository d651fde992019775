import Foundation
import Testing

extension EndToEnd {
  /// `leadsheet inspect` on the Samples and on broken files, and `enrich --simulate` on every
  /// Sample: the commands a new user runs first.
  @Suite("Inspect and the Samples")
  struct InspectAndSamples {
    static let samples = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Samples")

    /// What `scripts/make-samples.py` put in each sample: rows, invalid rows, duplicates.
    static let expected:
      [(file: String, rows: Int, invalid: Int, duplicates: Int, format: String)] = [
        ("sales-navigator.csv", 122, 2, 2, "csv"),
        ("prospects-fr.csv", 81, 1, 1, "csv"),
        ("hubspot-contacts.xlsx", 151, 2, 1, "xlsx"),
      ]

    @Test("inspect --json reports each Sample's rows, invalid rows and duplicates")
    func inspectSamples() async throws {
      let w = try Workdir("inspect")
      defer { w.remove() }
      for e in Self.expected {
        let p = try w.start(
          ["inspect", Self.samples.appendingPathComponent(e.file).path, "--json"], db: false)
        let t = await p.wait(timeout: .seconds(30))
        #expect(t.code == 0, "\(e.file): \(p.stderr)")
        let json = try #require(
          try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        let info = try #require(json["info"] as? [String: Any])
        #expect(summary["rows"] as? Int == e.rows, "\(e.file)")
        #expect(summary["invalid"] as? Int == e.invalid, "\(e.file)")
        #expect(summary["duplicates"] as? Int == e.duplicates, "\(e.file)")
        #expect(summary["requests"] as? Int == e.rows - e.invalid - e.duplicates, "\(e.file)")
        #expect(info["format"] as? String == e.format)
        let mapping = try #require(json["mapping"] as? [[String: Any]])
        let fields = Set(mapping.compactMap { $0["field"] as? String })
        #expect(fields.isSuperset(of: ["firstname", "lastname", "company_name", "linkedin_url"]))
      }
      // The French export: Windows-1252 and ';', as French Excel writes it.
      let fr = try w.start(
        ["inspect", Self.samples.appendingPathComponent("prospects-fr.csv").path], db: false)
      _ = await fr.wait(timeout: .seconds(30))
      #expect(fr.stdout.contains("windows-1252, delimiter ';' (sniffed)"), "\(fr.stdout)")
      #expect(fr.stdout.contains("\"Prénom\""))
    }

    @Test("inspect fails with one line and the right exit code on broken input")
    func inspectErrors() async throws {
      let w = try Workdir("inspect-errors")
      defer { w.remove() }
      let cases: [(name: String, content: String?, code: Int32, says: String)] = [
        ("missing.csv", nil, 66, "no such file"),
        ("quote.csv", "First Name,Last Name\nAna,\"Lopez\nBen,Ng\n", 65, "quote.csv:2:"),
        ("text.xlsx", "First Name,Last Name\nAna,Lopez\n", 65, "not a valid XLSX file"),
        ("empty.csv", "", 65, "no header row"),
      ]
      for c in cases {
        let path = w.path(c.name)
        if let content = c.content { try w.write(c.name, content) }
        let p = try w.start(["inspect", path], db: false)
        let t = await p.wait(timeout: .seconds(30))
        #expect(t.code == c.code, "\(c.name): \(p.stderr)")
        let lines = p.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(c.name): \(p.stderr)")
        #expect(p.stderr.contains(c.says), "\(c.name): \(p.stderr)")
        #expect(p.stderr.hasPrefix("leadsheet: error: "))
      }
    }

    @Test("inspect and enrich name an OLE2 file as given and say what it is (issue 14)")
    func ole2FilesAreNamedAsGiven() async throws {
      let w = try Workdir("ole2")
      defer { w.remove() }
      let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("IngestTests/Fixtures")
      // A LibreOffice .xls renamed .xlsx, and msoffcrypto-tool's encrypted .xlsx.
      let cases = [
        ("legacy_renamed.xlsx", "leads.xlsx", "an Excel 97–2003 .xls file (open it in Excel"),
        ("encrypted.xlsx", "locked.xlsx", "the workbook is encrypted or password-protected"),
      ]
      for (fixture, name, says) in cases {
        try FileManager.default.copyItem(
          atPath: fixtures.appendingPathComponent(fixture).path, toPath: w.path(name))
        for command in [["inspect", name], ["enrich", name, "--simulate"]] {
          let p = try w.start(command, db: command[0] == "enrich")
          let t = await p.wait(timeout: .seconds(60))
          #expect(t.code == 65, "\(command): \(p.stderr)")
          #expect(
            p.stderr.hasPrefix("leadsheet: error: \(name): \(says)"), "\(command): \(p.stderr)")
          #expect(p.stderr.split(separator: "\n").count == 1, "\(command): \(p.stderr)")
        }
      }
    }

    @Test("enrich --simulate runs every Sample to the end and writes the list and the report")
    func enrichSamples() async throws {
      let w = try Workdir("samples")
      defer { w.remove() }
      for e in Self.expected {
        let input = w.path(e.file)
        try FileManager.default.copyItem(
          atPath: Self.samples.appendingPathComponent(e.file).path, toPath: input)
        let r = try await w.run(
          ["enrich", input, "--simulate", "--types", "email,phone", "--json"],
          timeout: .seconds(120))
        #expect(r.code == 0, "\(e.file): \(r.stderr)")
        #expect(r.json["end"] as? String == "done")
        let byStatus = try #require(r.json["rows_by_status"] as? [String: Int])
        #expect(byStatus["invalid"] == e.invalid)
        #expect(byStatus["pending"] == 0)
        #expect((byStatus["found"] ?? 0) + (byStatus["not_found"] ?? 0) + e.invalid == e.rows)
        let base = (e.file as NSString).deletingPathExtension
        let output = w.path("\(base).enriched.\(e.format)")
        #expect(FileManager.default.fileExists(atPath: output))
        #expect(FileManager.default.fileExists(atPath: w.path("\(base).enriched.report.html")))
      }
    }
  }
}

extension EndToEnd.InspectAndSamples {
  /// A CSV that exercises every branch of planning: names needing cleanup,
  /// full names, non-Latin text, every kind of website, email and LinkedIn
  /// URL, quoted fields over several lines, blank and ragged rows, duplicates.
  static func messyList(rows: Int) -> String {
    let first = ["Jean", " Marie ", "Ana  Sofia", "José", "李", "", "Zoë\u{00A0}", "e\u{301}lise"]
    let last = ["Dupont", "Müller ", "García López", "", "王", "O'Brien", "N/A"]
    let full = ["", "Dr. Jean Dupont", "Dupont, Jean", "Solo", "María José García López"]
    let company = ["Acme", " Quantix  Labs", "", "Ünïcode GmbH", "\"Big, Co\""]
    let website = [
      "https://www.acme.example/about", "acme.example", "", "http://linkedin.com/company/x",
      "not a url", "https://bücher.example", "www.ACME.example.", "192.168.0.1",
    ]
    let email = ["jean@acme.example", "x@gmail.com", "", "bad@", "mailto:a@b.example;c@d.example"]
    let linkedin = [
      "https://www.linkedin.com/in/jean-dupont", "fr.linkedin.com/in/marie?trk=x", "",
      "https://www.linkedin.com/company/acme", "https://www.linkedin.com/sales/lead/ACwAAB1,NAME",
      "https://example.com/in/x", "linkedin.com/in/jérôme", "https://www.linkedin.com/feed/",
    ]
    let title = ["CEO", "\"Head of \"\"Growth\"\"\"", "\"Sales\nEMEA\"", ""]
    var out = "First Name,Last Name,Full Name,Company,Website,Email,LinkedIn URL,Title\n"
    var state: UInt64 = 42
    func pick(_ items: [String]) -> String {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return items[Int((state >> 33) % UInt64(items.count))]
    }
    for i in 0..<rows {
      if i % 97 == 0 {
        out += "\n"
        continue
      }
      var cells = [
        pick(first), pick(last), pick(full), pick(company), pick(website), pick(email),
        pick(linkedin), pick(title),
      ]
      if i % 89 == 0 { cells.removeLast(2) }
      out +=
        cells.map { $0.hasPrefix("\"") || !$0.contains(",") ? $0 : "\"\($0)\"" }
        .joined(separator: ",") + (i % 3 == 0 ? "\r\n" : "\n")
    }
    return out
  }

  @Test("inspect gives the same answer reading a CSV in 1 to 4 parts as in one piece")
  func inspectInPartsAgrees() async throws {
    let w = try Workdir("inspect-parts")
    defer { w.remove() }
    let messy = w.url.appendingPathComponent("messy.csv")
    try Data(Self.messyList(rows: 3_000).utf8).write(to: messy)
    let files = [
      messy.path, Self.samples.appendingPathComponent("sales-navigator.csv").path,
      Self.samples.appendingPathComponent("prospects-fr.csv").path,
    ]
    let variants: [[String]] = [
      [], ["--types", "email,phone,personal_email"],
      ["--types", "phone", "--map", "custom.t=Title"],
    ]
    for file in files {
      for extra in variants where file == messy.path || extra.isEmpty {
        var answers: [String] = []
        for parts in 0...4 {
          let p = try w.start(
            ["inspect", file, "--json", "--read-parts", "\(parts)"] + extra, db: false)
          let t = await p.wait(timeout: .seconds(60))
          #expect(t.code == 0, "\(file) \(extra) parts \(parts): \(p.stderr)")
          answers.append(p.stdout)
        }
        #expect(!answers[0].isEmpty)
        for parts in 1...4 {
          #expect(answers[parts] == answers[0], "\(file) \(extra): \(parts) parts differ")
        }
      }
    }
  }
}
