import ArgumentParser
import Dispatch
import Foundation
import LeadsheetCore
import Logging
import Simulator

extension Leadsheet {
  /// `leadsheet simulate`: a local stand-in for Pronto's single-enrich endpoint.
  struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a local simulator of Pronto's enrichment API (for tests and dry runs).",
      discussion: """
        Prints `listening on http://HOST:PORT` as its first line, then runs until
        SIGINT or SIGTERM. GET /__stats gives the counters and the billing summary;
        POST /__control changes faults, credits, keys or rate at runtime.
        See docs/simulator.md.
        """)

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8787

    @Option(help: "Accepted API keys, comma-separated (default: one generated key, printed).")
    var keys: String?

    @Option(help: "Keys whose account has not consented to personal email, comma-separated.")
    var noConsentKeys: String?

    @Option(help: "Accepted requests per second and key; 0 = unlimited.")
    var rate = 50

    @Option(help: "Latency MEDIAN,P99 in milliseconds (log-normal); 0,0 = none.")
    var latencyMs = "1000,5000"

    @Option(help: "Share of accepted, valid requests answered with a fault (0…1).")
    var faultRate = 0.0

    @Option(help: "Fault kinds: 500,502,503,reset,hang,garbage,reset-after-billing.")
    var faults = SimulatedFault.defaultKinds.map(\.rawValue).joined(separator: ",")

    @Option(help: "Seed of outcomes and fault draws.")
    var seed: UInt64 = 0

    @Option(
      help:
        "The account's balance in credits; a request that would take it below zero gets 422, nothing billed (default: unlimited)."
    )
    var credits: Int?

    @Option(help: "Status answered when credits run out: 422 (Pronto's) or 402.")
    var creditsStatus = 422

    @Option(help: "Write one JSON line per billed request to this file.")
    var ledger: String?

    @Flag(help: "Answer 429 without a Retry-After header (as some servers do).")
    var noRetryAfter = false

    @Option(help: "Shape of `phones` in synchronous answers: strings or objects.")
    var phonesShape = "strings"

    @Option(
      help:
        "The most numbers a found phone holds: above 1, a fifth of the found phones hold 2 to N (billed per number under --billing per-number)."
    )
    var maxPhones = 1

    @Option(help: "Status of an accepted asynchronous submission: 200 or 202.")
    var asyncStatus = 200

    @Flag(help: "Serve no GET /credits (404), as a server without it.")
    var noCreditsEndpoint = false

    @Option(help: "Requests worked on at once; more wait in a FIFO queue (default: unlimited).")
    var maxConcurrent: Int?

    @Option(help: "Credits per account (key) and day; beyond: 422 with Retry-After.")
    var dailyCredits: Int?

    @Option(help: "Length of a --daily-credits day in seconds (days start at multiples of it).")
    var daySeconds = 86_400

    @Option(
      help:
        "How a served request is priced: per-request (its types' sum), per-found or per-number, as leadsheet's --billing."
    )
    var billing: BillingModel.Kind = .perRequest

    @Option(help: "Credits per enrichment type (default email=1,phone=10,personal_email=3).")
    var creditCost: String?

    @Flag(help: "Polls of asynchronous results do not count toward --rate.")
    var freePolls = false

    func validate() throws {
      guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
      guard rate >= 0 else { throw ValidationError("--rate must be 0 or more") }
      guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be 0…1") }
      guard [402, 422].contains(creditsStatus) else {
        throw ValidationError("--credits-status must be 402 or 422")
      }
      guard PhonesShape(rawValue: phonesShape) != nil else {
        throw ValidationError("--phones-shape must be strings or objects")
      }
      guard [200, 202].contains(asyncStatus) else {
        throw ValidationError("--async-status must be 200 or 202")
      }
      guard (maxConcurrent ?? 1) >= 1 else {
        throw ValidationError("--max-concurrent must be 1 or more")
      }
      guard (dailyCredits ?? 0) >= 0 else {
        throw ValidationError("--daily-credits must be 0 or more")
      }
      guard maxPhones >= 1 else { throw ValidationError("--max-phones must be 1 or more") }
      guard daySeconds >= 1 else { throw ValidationError("--day-seconds must be 1 or more") }
      if let creditCost {
        do {
          _ = try CreditCosts.parse(creditCost)
        } catch let error as LeadsheetError {
          throw ValidationError("--credit-cost: \(error.message)")
        }
      }
    }

    func run() async throws {
      // Logs go to standard error: standard output starts with the address line.
      LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .warning
        return handler
      }
      var configuration = try SimulatorConfiguration(
        host: host, port: port, keys: Self.list(keys), noConsentKeys: Self.list(noConsentKeys),
        rate: rate, latency: LatencyDistribution.parse(latencyMs), faultRate: faultRate,
        faults: SimulatedFault.parseList(faults), seed: seed, credits: credits,
        creditsExhaustedStatus: creditsStatus, ledgerPath: ledger)
      configuration.sendsRetryAfter = !noRetryAfter
      configuration.phonesShape = PhonesShape(rawValue: phonesShape) ?? .strings
      configuration.maxPhones = maxPhones
      configuration.asyncSubmitStatus = asyncStatus
      configuration.servesCreditsEndpoint = !noCreditsEndpoint
      configuration.maxConcurrent = maxConcurrent
      configuration.dailyCredits = dailyCredits
      configuration.daySeconds = Double(daySeconds)
      configuration.billing = BillingModel(
        billing, costs: try creditCost.map { try CreditCosts.parse($0) } ?? .default)
      configuration.pollsRateLimited = !freePolls
      let signals = Self.signals()
      let simulator = try await Simulator.start(configuration)
      var banner = "listening on \(simulator.address)\n"
      if simulator.generatedKey { banner += "api key: \(simulator.keys[0])\n" }
      banner += "base url: \(simulator.baseURL)\n"
      banner += "async base url: \(simulator.asyncBaseURL)\n"
      FileHandle.standardOutput.write(Data(banner.utf8))
      for await _ in signals { break }
      await simulator.stop()
    }

    static func list(_ text: String?) -> [String] {
      (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
    }

    /// SIGINT and SIGTERM as an async sequence.
    static func signals() -> AsyncStream<Int32> {
      let (stream, continuation) = AsyncStream<Int32>.makeStream()
      for sig in [SIGINT, SIGTERM] {
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler { continuation.yield(sig) }
        source.resume()
        SignalSources.keep(source)
      }
      return stream
    }
  }
}

/// Keeps signal sources alive for the life of the process.
enum SignalSources {
  nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
  static func keep(_ s: any DispatchSourceSignal) { sources.append(s) }
}
