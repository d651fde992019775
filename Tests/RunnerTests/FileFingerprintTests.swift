import Foundation
import Testing

@testable import Runner

@Suite struct FileFingerprintTests {
  /// Over a multi-chunk file (3 MB, not a multiple of the 1 MiB read size),
  /// the digest is `sha256sum`'s and the size the file's.
  @Test func digestMatchesSha256sum() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fingerprint-\(UUID()).bin"
    ).path
    var bytes = [UInt8]()
    for i in 0..<3_000_001 { bytes.append(UInt8(truncatingIfNeeded: i &* 31 &+ i >> 7)) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let ours = try FileFingerprint.of(path: path)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    p.arguments = [path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    p.waitUntilExit()
    let theirs = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(theirs.hasPrefix(ours.hex + " "))
    #expect(ours.size == 3_000_001)
  }

  @Test func emptyFileHasTheEmptyDigest() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fingerprint-\(UUID()).bin"
    ).path
    FileManager.default.createFile(atPath: path, contents: Data())
    defer { try? FileManager.default.removeItem(atPath: path) }
    let ours = try FileFingerprint.of(path: path)
    #expect(ours.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(ours.size == 0)
  }

  @Test func aMissingFileIsAOneLineErrorNamingIt() {
    do {
      _ = try FileFingerprint.of(path: "/nonexistent/leads.csv")
      Issue.record("a missing file was fingerprinted")
    } catch {
      let text = "\(error)"
      #expect(text.contains("/nonexistent/leads.csv"))
      #expect(!text.contains("\n"))
    }
  }
}
