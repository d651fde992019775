import ArgumentParser
import LeadsheetCore

/// The `leadsheet` command: enrich lead lists through Pronto's API.
@main
struct Leadsheet: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "leadsheet",
    abstract: "Enrich CSV and XLSX lead lists with emails and phones through Pronto's API.",
    version: LeadsheetVersion.current,
    subcommands: [
      Inspect.self, Enrich.self, Resume.self, Jobs.self, Status.self, Export.self, Simulate.self,
      LoadTest.self, Report.self, Account.self, Cache.self,
    ])
}
