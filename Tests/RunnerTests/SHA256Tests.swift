import Foundation
import Testing

@testable import Runner

@Test func fipsVectors() {
  func hex(_ s: String) -> String {
    var h = SHA256()
    h.update(Array(s.utf8))
    return h.finalizeHex()
  }
  #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  #expect(
    hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
      == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
}

@Test func fileDigestMatchesSha256sum() throws {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID()).bin").path
  var bytes = [UInt8]()
  for i in 0..<3_000_001 { bytes.append(UInt8(truncatingIfNeeded: i &* 31 &+ i >> 7)) }
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  defer { try? FileManager.default.removeItem(atPath: path) }
  let ours = try SHA256.file(at: path)
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
  p.arguments = [path]
  let pipe = Pipe()
  p.standardOutput = pipe
  try p.run()
  p.waitUntilExit()
  let theirs = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  #expect(theirs.hasPrefix(ours.hex))
  #expect(ours.size == 3_000_001)
}
