import Foundation
import JobStore
import LeadsheetCore
import Logging
import ProntoClient
import Report
import Runner

/// Runs one job to its end for `enrich` and `resume`: connect, run, export, summarise.
struct JobSession {
  let jobID: JobID
  let databasePath: String
  let run: RunArguments
  let output: OutputArguments
  let json: Bool
  /// The job's ingest when it is still storing rows (`enrich`, or `resume` of an interrupted ingest).
  var ingest: LiveIngest? = nil

  /// Stops a live ingest after its current chunk (the job stays `ingesting`; `resume` continues it).
  private func stopIngest() async {
    guard let ingest else { return }
    ingest.cancel()
    _ = await ingest.outcome()
  }

  /// Runs the job; returns the exit code (0 done, 75 paused, 130 interrupted).
  /// Stores the balances with the run just ended and says what the account was charged.
  private func recordBalance(before: Double?, after: Double?, say: Say) throws {
    guard before != nil || after != nil else { return }
    let store = try JobStore(path: databasePath)
    defer { store.close() }
    try store.recordCredits(job: jobID, balance: before, atStart: true)
    try store.recordCredits(job: jobID, balance: after, atStart: false)
    if let before, let after {
      let g = { (x: Double) in ProgressPrinter.grouped(Int(x.rounded())) }
      say.line(
        "account balance: \(g(before)) → \(g(after)) credits (\(g(before - after)) charged during this run, by the account)"
      )
    }
  }

  /// The API mode of this run: `--api` when given, else the job's stored one; the
  /// job's options are updated with it and with the base URL the run uses.
  private func settleAPI(mode: APIMode?, baseURL: String?) throws -> APIMode {
    let store = try JobStore(path: databasePath)
    defer { store.close() }
    guard let job = try store.job(jobID), var options = JobOptions(json: job.spec.options) else {
      return mode ?? .sync
    }
    let resolved = mode ?? options.apiMode

    if options.api != resolved || (baseURL != nil && options.baseURL != baseURL) {
      options.api = resolved
      if let baseURL { options.baseURL = baseURL }
      try store.updateOptions(job: jobID, try JobBuilder.optionsText(options))
    }
    return resolved
  }

  /// The job's billing model, budget and daily cap: `--billing`, `--max-phone-numbers`,
  /// `--max-credits` and `--daily-credits` when given (stored with the job, replacing the stored ones),
  /// else the stored ones.
  private func settleCredits() throws -> (BillingModel, Int?, Int?) {
    let store = try JobStore(path: databasePath)
    defer { store.close() }
    guard let job = try store.job(jobID), var options = JobOptions(json: job.spec.options) else {
      return (
        BillingModel(
          run.billing ?? .perRequest,
          phoneNumbersAtMost: run.maxPhoneNumbers ?? BillingModel.defaultPhoneNumbersAtMost),
        run.maxCredits, run.dailyCredits
      )
    }
    let before = options
    options = options.spending(run)
    if options != before {
      try store.updateOptions(job: jobID, try JobBuilder.optionsText(options))
    }
    return (options.billingModel, options.maxCredits, options.dailyCredits)
  }

  /// Which stored answers the run reuses: `--max-age`, `--recheck-not-found-after`
  /// and `--refresh` when given (stored with the job, replacing the stored ones), else
  /// the stored ones.
  private func settleReuse() throws -> ReusePolicy {
    let store = try JobStore(path: databasePath)
    defer { store.close() }
    guard let job = try store.job(jobID), var options = JobOptions(json: job.spec.options) else {
      return ReusePolicy(
        options: JobOptions(
          maxAge: run.maxAge, recheckNotFoundAfter: run.recheckNotFoundAfter,
          refresh: run.refresh))
    }
    let before = options
    if let maxAge = run.maxAge { options.maxAge = maxAge }
    if let recheck = run.recheckNotFoundAfter { options.recheckNotFoundAfter = recheck }
    if let refresh = run.refresh { options.refresh = refresh ? true : nil }
    if options != before {
      try store.updateOptions(job: jobID, try JobBuilder.optionsText(options))
    }
    return ReusePolicy(options: options)
  }

  /// Which types wait for the email and how many per group buy them: `--phone-if`,
  /// `--personal-email-if` and `--max-per` when given (stored with the job, replacing
  /// the stored ones), else the stored ones.
  ///
  /// - Throws: `LeadsheetError(.usage)` for a rule the job's types cannot follow.
  private func settleStages() throws -> StagePolicy {
    let store = try JobStore(path: databasePath)
    defer { store.close() }
    guard let job = try store.job(jobID), var options = JobOptions(json: job.spec.options) else {
      var options = JobOptions()
      options.phoneIf = run.stages.phoneIf
      options.personalEmailIf = run.stages.personalEmailIf
      options.maxPer = run.stages.maxPer
      return StagePolicy(options: options)
    }
    let before = options
    if let phoneIf = run.stages.phoneIf { options.phoneIf = phoneIf }
    if let personalEmailIf = run.stages.personalEmailIf {
      options.personalEmailIf = personalEmailIf
    }
    if let maxPer = run.stages.maxPer { options.maxPer = maxPer }
    let policy = StagePolicy(options: options)
    try policy.check(types: options.types)
    if options != before {
      try store.updateOptions(job: jobID, try JobBuilder.optionsText(options))
    }
    return policy
  }

  /// `async` when `--base-url` (or `$LEADSHEET_BASE_URL`) is Pronto's asynchronous API
  /// and `--api` was not given; `nil` otherwise (the job's stored mode stands).
  private func inferredMode(say: Say) -> APIMode? {
    guard !run.simulate else { return nil }
    let env = ProcessInfo.processInfo.environment
    let base = run.baseURL ?? env[ProntoClientConfiguration.baseURLEnvironmentVariable]
    guard let base, let mode = APIMode.inferred(fromBaseURL: base) else { return nil }
    say.line("\(base) is Pronto's asynchronous API: using --api \(mode.rawValue)")
    return mode
  }

  func runAndExport() async throws -> Int32 {
    let say = Say(quiet: run.quiet || json)
    // Beside a live ingest, the few writes before the first request (the job's API
    // mode and options, the run's start) go first; the runner ends this once its
    // first requests are marked in flight.
    if ingest != nil { JobStore.preferWrites(for: JobRunner.startPreference) }
    defer { if ingest != nil { JobStore.endWritePreference() } }
    let logger = Logger(label: "leadsheet")
    let connection: Connection
    let mode: APIMode
    do {
      mode = try settleAPI(mode: run.api ?? inferredMode(say: say), baseURL: nil)
      connection = try await Connection.open(run, mode: mode, logger: logger)
      _ = try settleAPI(mode: mode, baseURL: connection.client.configuration.baseURL)
    } catch {
      await stopIngest()
      throw error
    }
    if connection.simulator != nil {
      say.line("running against the built-in simulator (no key, no network, no cost)")
    }
    let stop = StopSignal()
    stop.install()
    let printer = ProgressPrinter(quiet: run.quiet || json)
    var configuration = run.configuration
    configuration.apiMode = mode
    do {
      (configuration.billing, configuration.maxCredits, configuration.dailyCredits) =
        try settleCredits()
      configuration.reuse = try settleReuse()
      configuration.stage = try settleStages()
    } catch {
      await connection.close()
      await stopIngest()
      throw error
    }
    let summary: RunSummary
    do {
      let runner = try JobRunner(
        databasePath: databasePath, job: jobID, client: connection.client,
        configuration: configuration, logger: logger, ingest: ingest)
      // The account's balance before and after, when the API gives one: what the
      // account was charged, beside leadsheet's own count.
      // Its daily limit, when it tells one, gates the run from the first request.
      let credits = await connection.client.credits()
      let before = credits.creditBalance
      summary = try await runner.run(stop: stop, progress: { printer.show($0) }, credits: credits)
      printer.finish()
      // Asked again only when the first answer gave a balance and the run did not stop
      // because the API went unreachable (a connect timeout would delay the pause).
      var after: Double?
      if before != nil, !summary.apiUnreachable {
        after = await connection.client.credits().creditBalance
      }
      try recordBalance(before: before, after: after, say: say)
      if let ingest, case .finished(let built) = await ingest.outcome() {
        say.line(JobSummaryText.created(built))
      }
      await connection.close()
    } catch {
      printer.finish()
      await connection.close()
      await stopIngest()
      throw error
    }
    let store = try JobStore(path: databasePath)
    defer { store.close() }
    guard let job = try store.job(jobID) else {
      throw LeadsheetError(.notFound, "job \(jobID) disappeared from \(databasePath)")
    }
    var written: String?
    var outputWarnings: [String] = []
    var reportPath: String?
    // The report reads every row: only a finished job gets one (a paused
    // million-row job would otherwise wait seconds at every Ctrl-C).
    var report: CoverageReport?
    if case .done = summary.end {
      let built = try CoverageReport.build(store: store, job: jobID)
      report = built
      let result = try JobExporter.export(store: store, job: job, options: output.exportOptions())
      written = result.path
      outputWarnings = result.warnings
      for w in result.warnings { say.line("warning: \(w)") }
      if result.path != "-" {
        let path = ReportFile.htmlPath(besideOutput: result.path)
        try ReportFile.write(HTMLRenderer().render(built), to: path)
        reportPath = path
      }
    }
    let counts = try store.counts(job: jobID)
    if json {
      Terminal.standardOutput.writeLine(
        try RunSummaryText.json(
          job: job, counts: counts, run: summary, output: written, outputWarnings: outputWarnings))
    } else {
      if let report { say.line(TextRenderer().renderSummary(report)) }
      say.line(RunSummaryText.text(job: job, counts: counts, run: summary, output: written))
      if let reportPath {
        say.line("wrote \(reportPath) (the full report: leadsheet report \(jobID))")
      }
    }
    switch summary.end {
    case .done: return 0
    case .interrupted: return ExitCodes.interrupted
    case .paused, .limitReached, .budgetReached, .dailyCapReached: return ExitCodes.paused
    }
  }
}

extension JobOptions {
  /// These options with the spending flags `run` gives (`--billing`,
  /// `--max-phone-numbers`, `--max-credits`, `--daily-credits`) in place of the
  /// stored ones: what a run of a stored job spends under.
  func spending(_ run: RunArguments) -> JobOptions {
    var options = self
    if let billing = run.billing { options.billing = billing }
    if let numbers = run.maxPhoneNumbers { options.maxPhoneNumbers = numbers }
    if let maxCredits = run.maxCredits { options.maxCredits = maxCredits }
    if let dailyCredits = run.dailyCredits { options.dailyCredits = dailyCredits }
    return options
  }
}
