import Foundation
import LeadsheetCore
import Testing

@testable import Output

@Test func droppedWriterLeavesNoFile() throws {
  let dir = try Support.temporaryFolder()
  let path = dir + "/out.csv"
  do {
    let w = try AtomicFileWriter(path: path)
    try w.write(Array("half a file".utf8))
  }
  #expect(!FileManager.default.fileExists(atPath: path))
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
}

@Test func droppedOutputWriterLeavesNoFileAndKeepsTheOldOne() throws {
  let dir = try Support.temporaryFolder()
  let path = dir + "/out.xlsx"
  try Data("previous".utf8).write(to: URL(fileURLWithPath: path))
  do {
    let w = try OutputWriters.open(
      path: path, inputPath: nil, header: ["A"], requested: [.email],
      options: OutputOptions(format: .xlsx))
    try w.append(cells: ["1"], result: .pending)
  }
  #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous")
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.xlsx"])
}

@Test func commitRenamesWithOwnerOnlyMode() throws {
  let dir = try Support.temporaryFolder()
  let path = dir + "/out.csv"
  let w = try AtomicFileWriter(path: path)
  try w.write(Array("a,b\r\n".utf8))
  #expect(!FileManager.default.fileExists(atPath: path))
  try w.commit()
  #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\r\n")
  let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
  #expect(mode == 0o600)
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.csv"])
}

@Test func inputPathIsRefused() throws {
  let dir = try Support.temporaryFolder()
  let input = dir + "/leads.csv"
  try Data("a\n1\n".utf8).write(to: URL(fileURLWithPath: input))
  for candidate in [
    input, dir + "/./leads.csv",
    dir + "/../" + URL(fileURLWithPath: dir).lastPathComponent + "/leads.csv",
  ] {
    #expect(throws: LeadsheetError.self) {
      _ = try AtomicFileWriter(path: candidate, inputPath: input)
    }
  }
  // Through a symbolic link too.
  let link = dir + "/link.csv"
  try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
  do {
    _ = try AtomicFileWriter(path: link, inputPath: input)
    Issue.record("a link to the input was accepted")
  } catch let error as LeadsheetError {
    #expect(error.code == .usage)
    #expect(error.description.contains("overwrite the input"))
  }
  #expect(try String(contentsOfFile: input, encoding: .utf8) == "a\n1\n")
}

@Test func missingFolderIsAStorageError() {
  do {
    _ = try AtomicFileWriter(path: "/nonexistent-folder-\(UUID().uuidString)/out.csv")
    Issue.record("no error")
  } catch let error as LeadsheetError {
    #expect(error.code == .storage)
  } catch {
    Issue.record("unexpected \(error)")
  }
}

@Test func xlsxToStandardOutputIsRefused() {
  #expect(throws: LeadsheetError.self) {
    _ = try OutputWriters.open(
      path: "-", inputPath: nil, header: ["A"], requested: [.email],
      options: OutputOptions(format: .xlsx))
  }
}

@Test func defaultPaths() {
  #expect(OutputPath.defaultPath(forInput: "leads.csv", format: .csv) == "leads.enriched.csv")
  #expect(
    OutputPath.defaultPath(forInput: "/data/leads.xlsx", format: .xlsx)
      == "/data/leads.enriched.xlsx")
  #expect(
    OutputPath.defaultPath(forInput: "in/leads.xlsx", format: .csv) == "in/leads.enriched.csv")
  #expect(OutputPath.defaultPath(forInput: ".hidden", format: .csv) == ".hidden.enriched.csv")
  #expect(OutputPath.defaultPath(forInput: "-", format: .csv) == "-")
  #expect(OutputPath.defaultPath(forInput: "-", format: .xlsx) == "enriched.xlsx")
  #expect(
    OutputPath.defaultPath(forInput: "my.leads.v2.csv", format: .csv) == "my.leads.v2.enriched.csv")
}
