import Foundation
import Testing

/// One hostile or broken input file and what `leadsheet inspect` must answer.
struct HostileCase: Sendable, CustomTestStringConvertible {
  /// What the file is.
  var name: String
  /// Writes the file into `folder` and returns its path.
  var make: @Sendable (URL) throws -> String
  /// The exit code expected.
  var code: Int32
  /// Text the one error line (or, for exit 0, the output) must contain.
  var expected: String

  var testDescription: String { name }
}

/// `Tests/IngestTests/Fixtures/NAME`.
private func fixture(_ name: String) -> @Sendable (URL) throws -> String {
  { _ in
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("IngestTests/Fixtures/\(name)").path
  }
}

/// Writes `bytes` to `name` in the folder.
private func bytes(_ name: String, _ bytes: @escaping @Sendable () -> [UInt8])
  -> @Sendable (URL) throws -> String
{
  { folder in
    let path = folder.appendingPathComponent(name).path
    try Data(bytes()).write(to: URL(fileURLWithPath: path))
    return path
  }
}

/// Streams `head`, then `count` × `chunk`, then `tail` to `name`: a large file written
/// without holding it in memory.
private func streamed(
  _ name: String, head: String, chunk: [UInt8], count: Int, tail: String = "\n"
) -> @Sendable (URL) throws -> String {
  { folder in
    let path = folder.appendingPathComponent(name).path
    FileManager.default.createFile(atPath: path, contents: nil)
    let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? h.close() }
    try h.write(contentsOf: Data(head.utf8))
    var block = Data()
    block.reserveCapacity(1 << 20)
    for _ in 0..<count {
      block.append(contentsOf: chunk)
      if block.count >= 1 << 20 {
        try h.write(contentsOf: block)
        block.removeAll(keepingCapacity: true)
      }
    }
    try h.write(contentsOf: block)
    try h.write(contentsOf: Data(tail.utf8))
    return path
  }
}

/// The corpus of the reliability issue, each with its expected outcome.
let hostileCases: [HostileCase] = [
  HostileCase(
    name: "empty file", make: bytes("empty.csv") { [] }, code: 65, expected: "no header row"),
  HostileCase(
    name: "header only", make: bytes("header.csv") { Array("First Name,Last Name\n".utf8) },
    code: 0, expected: "rows         0"),
  HostileCase(
    name: "binary garbage",
    make: bytes("garbage.csv") {
      var rng = SplitMix(seed: 9)
      return (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }, code: 65, expected: "contains NUL bytes"),
  HostileCase(
    name: "text file named .xlsx", make: bytes("text.xlsx") { Array("First,Last\n".utf8) },
    code: 65, expected: "no ZIP signature"),
  HostileCase(
    name: "truncated ZIP", make: fixture("truncated.xlsx"), code: 65,
    expected: "no end of central directory"),
  HostileCase(
    name: "ZIP without the workbook", make: fixture("no_workbook.xlsx"), code: 65,
    expected: "no xl/workbook.xml"),
  HostileCase(
    name: "encrypted workbook (OLE2 with EncryptionInfo)", make: fixture("encrypted.xlsx"),
    code: 65, expected: "encrypted.xlsx: the workbook is encrypted or password-protected"),
  HostileCase(
    name: "legacy .xls renamed .xlsx (OLE2 with a Workbook stream)",
    make: fixture("legacy_renamed.xlsx"), code: 65,
    expected: "legacy_renamed.xlsx: an Excel 97–2003 .xls file (open it in Excel or LibreOffice"),
  HostileCase(
    name: "OLE2 signature and nothing else",
    make: bytes("damaged.xlsx") {
      [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 4088)
    }, code: 65,
    expected:
      "OLE2 compound file (a legacy .xls or an encrypted workbook) whose directory is damaged"),
  HostileCase(
    name: "external entity in the sheet", make: fixture("xxe_sheet.xlsx"), code: 65,
    expected: "sheet1.xml: contains a DOCTYPE/entity declaration"),
  HostileCase(
    name: "external entity in shared strings", make: fixture("xxe_sst.xlsx"), code: 65,
    expected: "sharedStrings.xml: contains a DOCTYPE/entity declaration"),
  HostileCase(
    name: "billion laughs in the sheet", make: fixture("laughs_sheet.xlsx"), code: 65,
    expected: "sheet1.xml: contains a DOCTYPE/entity declaration"),
  HostileCase(
    name: "billion laughs in shared strings", make: fixture("laughs_sst.xlsx"), code: 65,
    expected: "sharedStrings.xml: contains a DOCTYPE/entity declaration"),
  HostileCase(
    name: "DOCTYPE in the workbook", make: fixture("doctype_workbook.xlsx"), code: 65,
    expected: "workbook.xml: contains a DOCTYPE/entity declaration"),
  HostileCase(
    name: "ZIP bomb", make: fixture("zip_bomb.xlsx"), code: 65, expected: "ZIP bomb"),
  HostileCase(
    name: "ZIP bomb lying about its size", make: fixture("zip_bomb_lying.xlsx"), code: 65,
    expected: "inflates beyond"),
  HostileCase(
    name: "100 MB single cell",
    make: streamed(
      "cell.csv", head: "Name\n", chunk: Array(repeating: 0x61, count: 1000), count: 100_000),
    code: 65, expected: "field longer than 1,048,576 bytes"),
  HostileCase(
    name: "100 MB quoted cell that never closes",
    make: streamed(
      "quoted.csv", head: "Name\n\"", chunk: Array(repeating: 0x62, count: 1000),
      count: 100_000),
    code: 65, expected: "field longer than 1,048,576 bytes"),
  HostileCase(
    name: "a million columns on one line",
    make: streamed("wide.csv", head: "", chunk: Array("a,".utf8), count: 1_000_000),
    code: 65, expected: "more than 16,384 fields on one line"),
  HostileCase(
    name: "invalid UTF-8 after the first MiB",
    make: { folder in
      let path = folder.appendingPathComponent("latin1-late.csv").path
      var data = Data("First Name,Last Name,Company\n".utf8)
      var i = 0
      while data.count < 1_200_000 {
        data.append(contentsOf: Array("Ada,Lovelace\(i),Acme\n".utf8))
        i += 1
      }
      data.append(contentsOf: Array("Ren".utf8) + [0xE9])
      data.append(contentsOf: Array(",Dupont,Acme\nAl,Tu,Acme\n".utf8))
      try data.write(to: URL(fileURLWithPath: path))
      return path
    }, code: 0, expected: "not valid UTF-8 and w"),
  HostileCase(
    name: "mixed line ends",
    make: bytes("mixed.csv") {
      Array("First Name,Last Name\r\nAda,Lovelace\rAlan,Turing\nGrace,Hopper\r\n".utf8)
    }, code: 0, expected: "rows         3"),
]

extension EndToEnd {
  /// The reliability issue's corpus of bad files, through the real binary.
  ///
  /// Each gets one clear error line and exit 65 (or reads, with a counted warning), fast
  /// and in bounded memory. The readers' own tests (IngestTests) cover the details.
  @Suite("Hostile input")
  struct HostileInput {
    /// `leadsheet inspect FILE` under `/usr/bin/time`: exit code, one error line, under
    /// 30 s and 200 MB peak RSS.
    @Test(
      "inspect answers a bad file with one line, fast, in bounded memory",
      arguments: hostileCases)
    func inspect(_ c: HostileCase) async throws {
      let w = try Workdir("hostile")
      defer { w.remove() }
      let file = try c.make(w.url)
      let rssFile = w.path("rss.txt")
      let clock = ContinuousClock()
      let start = clock.now
      let p = try ChildProcess(
        executable: URL(fileURLWithPath: "/usr/bin/time"),
        arguments: [
          "-f", "%M", "-o", rssFile, try Binaries.requireLeadsheet().path, "inspect", file,
        ],
        environment: w.environment, directory: w.url, logName: "inspect")
      let t = await p.wait(timeout: .seconds(30))
      let elapsed = clock.now - start
      #expect(t == .exit(c.code), "\(c.name): \(p.stderr.suffix(1000))")
      if c.code == 0 {
        #expect((p.stdout + p.stderr).contains(c.expected), "\(c.name): \(p.stdout + p.stderr)")
      } else {
        expectOneLineError(p.stderr, containing: c.expected)
        #expect(p.stdout.isEmpty)
      }
      let rssText = (try? String(contentsOfFile: rssFile, encoding: .utf8)) ?? ""
      let kb = Int(rssText.split(separator: "\n").last ?? "") ?? -1
      #expect(kb > 0 && kb < 200_000, "\(c.name): peak RSS \(kb) kB")
      print("hostile input: \(c.name): \(t), \(elapsed), peak RSS \(kb / 1024) MB")
    }
  }
}
