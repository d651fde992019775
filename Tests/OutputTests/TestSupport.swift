import Foundation
import LeadsheetCore

@testable import Output

/// Helpers shared by the Output tests: temporary folders and external tools.
enum Support {
  /// The folder of this test process's temporary folders, removed when the process exits.
  private static let root: String = {
    let root = NSTemporaryDirectory() + "leadsheet-output-tests-\(getpid())"
    try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    atexit {
      try? FileManager.default.removeItem(
        atPath: NSTemporaryDirectory() + "leadsheet-output-tests-\(getpid())")
    }
    return root
  }()

  /// A fresh temporary folder (removed when the tests exit).
  static func temporaryFolder() throws -> String {
    let path = root + "/" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Runs a program; returns its exit status and standard output.
  @discardableResult
  static func run(_ executable: String, _ arguments: [String]) throws -> (
    status: Int32, out: String
  ) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [executable] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// Runs a Python script with arguments; returns its standard output.
  static func python(_ script: String, _ arguments: [String]) throws -> String {
    let r = try run("python3", ["-c", script] + arguments)
    guard r.status == 0 else { throw LeadsheetError(.malformed, "python3 failed: \(r.out)") }
    return r.out
  }

  /// Decodes JSON printed by a script.
  static func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
  }

  /// Whether python3 runs.
  static let hasPython: Bool = (try? run("python3", ["-c", "print(1)"]).status) == 0
  /// Whether openpyxl is importable.
  static let hasOpenpyxl: Bool = (try? run("python3", ["-c", "import openpyxl"]).status) == 0
  /// Whether LibreOffice's soffice is on the PATH.
  static let hasLibreOffice: Bool = (try? run("which", ["soffice"]).status) == 0
}
