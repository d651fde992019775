import Foundation
import Testing

/// Runs `leadsheet ARGS --db DB` on a pseudo-terminal (util-linux `script`), typing
/// `answer` on it; returns the exit code and everything the terminal showed.
func runOnTerminal(_ w: Workdir, _ arguments: [String], answer: String) async throws
  -> (code: Int32, screen: String)
{
  let binary = try Binaries.requireLeadsheet()
  let quoted = ([binary.path] + arguments + ["--db", w.db]).map {
    "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
  // -q quiet, -e the command's exit code, -c the command; no typescript file.
  p.arguments = ["-qec", quoted.joined(separator: " "), "/dev/null"]
  var env = w.environment
  env["LEADSHEET_LOG_LEVEL"] = "error"
  p.environment = env
  p.currentDirectoryURL = w.url
  let input = Pipe()
  let output = Pipe()
  p.standardInput = input
  p.standardOutput = output
  p.standardError = output
  try p.run()
  input.fileHandleForWriting.write(Data(answer.utf8))
  try input.fileHandleForWriting.close()
  let screen = output.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return (p.terminationStatus, String(decoding: screen, as: UTF8.self))
}

extension EndToEnd {
  /// Issue 12, item 5: on a terminal `enrich` prints the estimate and asks before
  /// spending more than `--confirm-over`; `--yes` answers for scripts; without a
  /// terminal it never asks.
  @Suite("Spend question")
  struct SpendQuestion {
    @Test(
      "the question appears on a pseudo-terminal, not without one; no sends nothing; --yes skips it"
    )
    func asksOnATerminalOnly() async throws {
      let list = LeadList(count: 150, seed: 41, duplicateShare: 0, invalidShare: 0)
      let w = try Workdir("spend-question")
      defer { w.remove() }
      let input = try w.write("leads.csv", list.csv)
      let sim = try await SimulatorProcess(in: w)

      // Answered no: nothing is sent, no job is made, exit 1.
      let no = try await runOnTerminal(
        w, enrichArguments(input, sim, ["--types", "email,phone"]), answer: "n\n")
      #expect(no.code == 1, "\(no.screen)")
      #expect(no.screen.contains("estimate: 150 requests"), "\(no.screen)")
      let worst = try #require(Self.upTo(in: no.screen), "\(no.screen)")
      #expect(worst > 150 && worst <= 150 * 11, "\(no.screen)")
      #expect(no.screen.contains("not confirmed: nothing was sent"), "\(no.screen)")
      #expect(try await sim.stats().billed == 0)
      #expect(try w.sql("SELECT count(*) FROM jobs") == "0")

      // Answered yes, within a budget: the question says what the budget allows.
      let yes = try await runOnTerminal(
        w,
        enrichArguments(
          input, sim, ["--types", "email,phone", "--max-credits", "60", "--confirm-over", "10"]),
        answer: "y\n")
      #expect(yes.code == 75, "\(yes.screen)")
      #expect(yes.screen.contains("spend up to 60 credits? [y/N]"), "\(yes.screen)")
      let afterYes = try await sim.stats().billed
      #expect(afterYes > 0)

      // --yes on a terminal: no question.
      let skipped = try await runOnTerminal(
        w,
        enrichArguments(
          input, sim,
          ["--types", "email,phone", "--max-credits", "120", "--confirm-over", "10", "--yes"]),
        answer: "")
      #expect(skipped.code == 75, "\(skipped.screen)")
      #expect(!skipped.screen.contains("[y/N]"), "\(skipped.screen)")
      #expect(try await sim.stats().billed > afterYes)

      // No terminal: never asked, even over the threshold (the stored budget is raised).
      let script = try await w.run(
        enrichArguments(
          input, sim,
          ["--types", "email,phone", "--confirm-over", "1", "--max-credits", "100000"]))
      #expect(script.code == 0, "\(script.stderr)")
      #expect(!script.stderr.contains("[y/N]"))
      #expect(!script.stderr.contains("estimate:"))
      await sim.stop()
    }

    /// The N of `spend up to N credits?`.
    static func upTo(in screen: String) -> Int? {
      guard let range = screen.range(of: "spend up to ") else { return nil }
      let digits = screen[range.upperBound...].prefix { $0.isNumber || $0 == "," }
      return Int(digits.replacingOccurrences(of: ",", with: ""))
    }
  }
}
