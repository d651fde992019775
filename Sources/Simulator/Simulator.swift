import Logging
import Foundation
import Hummingbird
import LeadsheetCore

/// A local stand-in for Pronto's API, over real HTTP: `POST
/// /v2/contacts/single_enrich` and `sync_single_enrich`, the asynchronous `POST
/// /api/v2/contacts/single_enrich` with `GET /api/v2/contacts/{id}`, and
/// `GET /account` and `/credits` (see `docs/simulator.md`).
///
/// It checks keys, validates bodies as the contract states, limits the rate
/// per key, adds latency, injects faults, draws deterministic outcomes, counts
/// credits and keeps a billing ledger. Run it from the command line
/// (`leadsheet simulate`) or in-process:
///
///     let sim = try await Simulator.start(SimulatorConfiguration(rate: 0, latency: .none))
///     // … point a client at sim.baseURL with sim.keys[0] …
///     let stats = await sim.stats()
///     await sim.stop()
public final class Simulator: Sendable {
  /// `http://HOST:PORT/v2`: the base URL of the synchronous API.
  public let baseURL: String
  /// `http://HOST:PORT/api/v2`: the base URL of the asynchronous API (Pronto's app host).
  public let asyncBaseURL: String
  /// `http://HOST:PORT`.
  public let address: String
  /// The port bound.
  public let port: Int
  /// The keys accepted at start (a generated one when none was configured).
  public let keys: [String]
  /// Whether the key was generated (and so may be printed).
  public let generatedKey: Bool
  let state: SimulatorState
  let task: Task<Void, any Error>

  private init(
    host: String, port: Int, keys: [String], generatedKey: Bool, state: SimulatorState,
    task: Task<Void, any Error>
  ) {
    let shownHost = host.contains(":") ? "[\(host)]" : host
    self.address = "http://\(shownHost):\(port)"
    self.baseURL = address + "/v2"
    self.asyncBaseURL = address + "/api/v2"
    self.port = port
    self.keys = keys
    self.generatedKey = generatedKey
    self.state = state
    self.task = task
  }

  /// Starts a simulator and returns once it listens.
  ///
  /// - Throws: ``SimulatorError`` when the ledger cannot be written or the
  ///   port cannot be bound.
  public static func start(_ configuration: SimulatorConfiguration) async throws -> Simulator {
    let generated = configuration.keys.isEmpty
    let keys =
      generated
      ? ["sim_key_" + String(format: "%016llx", UInt64.random(in: .min ... .max))]
      : configuration.keys
    let state = try SimulatorState(configuration: configuration, keys: keys)
    let router = Router(context: SimulatorRequestContext.self)
    SimulatorRoutes(
      state: state, hangLimit: configuration.hangLimit,
      servesCredits: configuration.servesCreditsEndpoint
    ).register(on: router)

    let (ports, continuation) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "leadsheet-simulator")
    logger.logLevel = configuration.logLevel
    let app = Application(
      router: router,
      configuration: .init(
        address: .hostname(configuration.host, port: configuration.port),
        serverName: "leadsheet-simulator", backlog: 1024),
      onServerRunning: { channel in
        continuation.yield(channel.localAddress?.port ?? 0)
        continuation.finish()
      }, logger: logger)
    let task = Task {
      defer { continuation.finish() }
      try await app.run()
    }
    var bound: Int?
    for await port in ports { bound = port }
    guard let bound, bound > 0 else {
      task.cancel()
      do { try await task.value } catch {
        throw SimulatorError(
          "cannot listen on \(configuration.host):\(configuration.port): \(error)")
      }
      throw SimulatorError("cannot listen on \(configuration.host):\(configuration.port)")
    }
    return Simulator(
      host: configuration.host, port: bound, keys: keys, generatedKey: generated, state: state,
      task: task)
  }

  /// A snapshot of the counters and the billing summary (as `GET /__stats`).
  public func stats() async -> SimulatorStats { await state.stats() }

  /// Changes faults, credits, keys or rate at runtime (as `POST /__control`).
  ///
  /// - Throws: ``SimulatorError`` for an unknown fault kind or a bad latency.
  public func control(_ change: SimulatorControl) async throws { try await state.apply(change) }

  /// Stops listening, ends requests in progress and closes the ledger.
  public func stop() async {
    task.cancel()
    _ = try? await task.value
    await state.close()
  }
}
