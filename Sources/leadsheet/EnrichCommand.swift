import ArgumentParser
import Foundation
import JobStore
import LeadsheetCore
import Mapping
import Runner

extension Leadsheet {
  /// `leadsheet enrich FILE`: the main job — read, store, run, write the enriched list.
  struct Enrich: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Enrich a lead list through Pronto's API as a resumable job, and write the result.",
      discussion: """
        The list becomes a job in the job database, split into checkpointed chunks.
        Ctrl-C, a crash, a lost network or exhausted credits never lose a result:
        `leadsheet resume JOB` continues where it stopped, without paying twice.
        Run the same command again on the same file and it resumes the unfinished job.
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var mapping: MappingArguments
    @OptionGroup var run: RunArguments
    @OptionGroup var store: StoreArguments
    @OptionGroup var output: OutputArguments

    @Option(help: "Skip rows whose COLUMN already holds a value (they keep it; status skipped).")
    var onlyMissing: String?

    @Option(
      help: ArgumentHelp(
        "Send the requests in the order of COLUMN (add :desc for highest first; blanks last).",
        discussion:
          "Numbers compare as numbers, dates as dates, text as text. A budget or daily cap then buys the rows that matter most. Sending starts once the whole list is stored.",
        valueName: "COLUMN[:desc]"))
    var orderBy: String?

    @Option(help: "Rows per checkpointed chunk.")
    var chunkSize = 100

    @Flag(help: "Start a new job even if an unfinished one exists for this file and options.")
    var new = false

    @Flag(help: "Print the final summary as JSON on stdout.")
    var json = false

    @Option(
      help: ArgumentHelp(
        "On a terminal, ask before spending more than N credits (worst case).",
        discussion: "Never asked without a terminal: scripts rely on --max-credits."))
    var confirmOver = 100

    @Flag(name: [.short, .long], help: "Answer yes to the spending question (for scripts).")
    var yes = false

    func run() async throws {
      try await reportingErrors {
        // A refused key fails in a second, before the list is read.
        try await AccountCheck.refuseABadKey(run)
        let ingest = try input.ingestOptions()
        var options = JobOptions(
          types: try EnrichmentType.parseList(mapping.types), maps: mapping.maps,
          phoneCountries: mapping.phoneCountries,
          delimiter: ingest.delimiter.map { String(UnicodeScalar($0)) },
          encoding: ingest.encoding?.rawValue, sheet: input.sheet, headerRow: input.headerRow,
          onlyMissing: onlyMissing, chunkSize: chunkSize,
          creditCosts: mapping.creditCost ?? CreditCosts.default.description,
          maxCellBytes: input.maxCellBytes, rate: run.rate,
          billing: run.billing ?? .perRequest, maxCredits: run.maxCredits,
          dailyCredits: run.dailyCredits,
          orderBy: try orderBy.map { try OrderBy.parse($0).description },
          maxAge: run.maxAge, recheckNotFoundAfter: run.recheckNotFoundAfter,
          refresh: run.refresh == true ? true : nil)
        options.maxPhoneNumbers = run.maxPhoneNumbers
        options.phoneIf = run.stages.phoneIf
        options.personalEmailIf = run.stages.personalEmailIf
        options.maxPer = run.stages.maxPer
        // A rule the job's types cannot follow is refused before anything is stored.
        try StagePolicy(options: options).check(types: options.types)
        let db = try store.open()
        let fingerprint = try FileFingerprint.of(path: input.file)
        let say = Say(quiet: run.quiet || json)
        var jobID: JobID
        var live: LiveIngest?
        let existing =
          new
          ? nil : try JobBuilder.findUnfinished(in: db, sha256: fingerprint.hex, options: options)
        if !yes, SpendConfirmation.canAsk {
          // Before any request: what the run may spend, and a question above --confirm-over.
          let account = await AccountLimits.read(run)
          let estimate =
            if let existing, existing.state != .ingesting {
              try SpendConfirmation.estimate(
                existing: existing.id, store: db, options: options, run: run, account: account)
            } else {
              try SpendConfirmation.estimate(
                newJobOn: input.file,
                ingest: IngestOptionsSource(options: ingest, mapping: mapping.mappingOptions()),
                options: options, run: run, account: account, store: db)
            }
          try SpendConfirmation.confirm(estimate, threshold: confirmOver)
        }
        if let existing {
          jobID = existing.id
          say.line(
            "resuming job \(jobID) (same file and options, \(existing.state)); pass --new for a fresh job"
          )
          if let orderBy, let order = try JobOrdering.apply(orderBy, to: existing, in: db) {
            say.line("job \(jobID): requests now sent \(order.phrase)")
          }
          if existing.state == .ingesting {
            live = try JobBuilder.continueIngest(databasePath: store.path, job: jobID)
          }
        } else {
          // The rows are stored on a thread of their own; the first requests leave
          // as soon as the first chunk is committed.
          let started = try JobBuilder.start(
            databasePath: store.path, path: input.file, fingerprint: fingerprint, options: options)
          jobID = started.job.id
          live = started
          if let order = options.parsedOrderBy {
            say.line(
              "job \(jobID): storing \(input.file); requests are sent \(order.phrase),"
                + " once the whole list is stored")
          } else {
            say.line("job \(jobID): storing \(input.file); the first requests leave meanwhile")
          }
        }
        db.close()
        let exit = try await JobSession(
          jobID: jobID, databasePath: store.path, run: run, output: output, json: json,
          ingest: live
        ).runAndExport()
        if exit != 0 { throw ExitCode(exit) }
      }
    }
  }
}

/// Prints lines to stderr unless quiet.
struct Say {
  let quiet: Bool
  func line(_ text: String) {
    if !quiet { Terminal.standardError.writeLine(text) }
  }
}
