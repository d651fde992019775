import ArgumentParser
import Foundation
import JobStore
import LeadsheetCore
import Ingest
import Logging
import Mapping
import ProntoClient
import Runner

/// `enrich`'s question before spending: on a terminal, the estimate and, over
/// `--confirm-over`, `spend up to 11,820 credits? [y/N]`.
///
/// Asked only when both stdin and stderr are terminals and `--yes` is not given:
/// scripts never wait for an answer (they rely on `--max-credits`). The decisions
/// (what the run may spend, whether to ask, what counts as yes) are `SpendEstimate`'s.
enum SpendConfirmation {
  /// Whether a person can be asked: stdin and stderr are terminals.
  static var canAsk: Bool { isatty(STDIN_FILENO) == 1 && Terminal.standardError.isTTY }

  /// Prints the estimate and asks when it is over `threshold`; throws `ExitCode(1)`
  /// when the answer is not yes (nothing was sent, no job was created).
  static func confirm(_ estimate: SpendEstimate, threshold: Int) throws {
    if let line = estimate.reuse?.line { Terminal.standardError.writeLine(line) }
    Terminal.standardError.writeLine(estimate.line)
    guard estimate.needsConfirmation(over: threshold) else { return }
    Terminal.standardError.write(estimate.question)
    let answer = readLine(strippingNewline: true)
    guard SpendEstimate.isYes(answer) else {
      Terminal.standardError.writeLine(
        "not confirmed: nothing was sent (--yes answers for scripts; --max-credits caps the spend)"
      )
      throw ExitCode(1)
    }
  }

  /// The estimate of a new job on `path`: its requests as `inspect` plans them.
  ///
  /// With stored answers in `store`'s contact store, it also counts what they answer
  /// under the job's reuse options.
  static func estimate(
    newJobOn path: String, ingest: IngestOptionsSource, options: JobOptions, run: RunArguments,
    account: AccountLimits, store: JobStore
  ) throws -> SpendEstimate {
    let inspection = try ListInspection.inspect(
      path: path, ingest: ingest.options, mapping: ingest.mapping)
    let model = options.billingModel
    let s = inspection.summary
    var estimate = SpendEstimate(
      requests: s.requests, requestsByType: s.requestsByType,
      worstCase: model.worstCase(
        credits: s.credits, phoneRequests: s.requestsByType[EnrichmentType.phone.rawValue] ?? 0),
      maxPerRequest: model.worstCase(types: options.types),
      billing: model.kind, maxCredits: options.maxCredits, limit: run.limit,
      balance: account.balance, dailyCredits: options.dailyCredits,
      apiDailyLimit: account.dailyLimit)
    estimate.reuse = try ListInspection.storeCoverage(
      path: path, ingest: ingest.options, mapping: ingest.mapping, store: store,
      policy: ReusePolicy(options: options), billing: model)
    return estimate
  }

  /// The estimate of an unfinished job found in the database: its requests left.
  static func estimate(
    existing job: JobID, store: JobStore, options: JobOptions, run: RunArguments,
    account: AccountLimits
  ) throws -> SpendEstimate {
    // The job's stored spending options, as its run will use them (the flags given
    // now replace them), and phones at the most numbers its answers held.
    var options = options
    if let stored = try store.job(job).flatMap({ JobOptions(json: $0.spec.options) }) {
      options = stored.spending(run)
    }
    let tally = try store.creditTally(job: job)
    let model = tally.learned(options.billingModel)
    var byType: [String: Int] = [:]
    for (types, count) in tally.left {
      for type in types { byType[type.rawValue, default: 0] += count }
    }
    return SpendEstimate(
      requests: tally.requestsLeft, requestsByType: byType,
      worstCase: tally.worstCaseLeft(under: model),
      maxPerRequest: model.worstCase(types: options.types), billing: model.kind,
      spent: tally.spent(under: options.billingModel), maxCredits: options.maxCredits,
      limit: run.limit,
      balance: account.balance, dailyCredits: options.dailyCredits,
      apiDailyLimit: account.dailyLimit)
  }
}

/// What the list's reading needs for the estimate: the ingest and mapping options.
struct IngestOptionsSource {
  var options: IngestOptions
  var mapping: MappingOptions
}

/// The account's balance and daily limit, as `GET /credits` tells them (each `nil`
/// when it does not).
struct AccountLimits {
  var balance: Double?
  var dailyLimit: Int?

  /// Asks `GET /credits` (not under `--simulate`: the built-in simulator has no limits).
  static func read(_ run: RunArguments) async -> AccountLimits {
    guard !run.simulate,
      let connection = try? await Connection.open(
        run, mode: run.api ?? .sync, logger: Logger(label: "leadsheet"))
    else { return AccountLimits() }
    let answer = await connection.client.credits()
    await connection.close()
    var limits = AccountLimits(balance: answer.creditBalance)
    if case .fields(let fields) = answer,
      let field = fields.first(where: {
        $0.name == "daily_limit" || $0.name.hasSuffix(".daily_limit")
      }),
      let value = Double(field.value)
    {
      limits.dailyLimit = Int(value)
    }
    return limits
  }
}
