import ArgumentParser
import Foundation
import LeadsheetCore
import Logging
import ProntoClient
import Simulator

extension Leadsheet {
  /// `leadsheet load-test` (hidden): drives the client at a fixed number of requests in flight.
  ///
  /// Against `--base-url` (a separately started `leadsheet simulate`, so that
  /// the client's CPU is measured alone) or an in-process simulator
  /// (`--in-process`). Rate-limited requests wait `Retry-After` and go again;
  /// transient failures retry with ``Backoff``. Prints one JSON object.
  struct LoadTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "load-test",
      abstract: "Measure the API client against a simulator (requests/second, CPU).",
      shouldDisplay: false)

    @Option(help: "Base URL of a running simulator (key from PRONTO_API_KEY).")
    var baseURL: String?

    @Flag(help: "Start a simulator in this process instead.")
    var inProcess = false

    @Option(help: "Requests to complete.")
    var requests = 2000

    @Option(help: "Requests kept in flight.")
    var concurrency = 200

    @Option(help: "In-process simulator: rate per second (0 = unlimited).")
    var rate = 0

    @Option(help: "In-process simulator: latency MEDIAN,P99 in milliseconds.")
    var latencyMs = "5,5"

    func run() async throws {
      var simulator: Simulator?
      let base: String
      let key: APIKey
      if inProcess {
        let sim = try await Simulator.start(
          SimulatorConfiguration(rate: rate, latency: LatencyDistribution.parse(latencyMs)))
        simulator = sim
        base = sim.baseURL
        key = APIKey(sim.keys[0])!
      } else {
        guard let baseURL else { throw ValidationError("give --base-url or --in-process") }
        base = baseURL
        key = try APIKey.resolve(environment: ProcessInfo.processInfo.environment, file: nil)
      }
      var logger = Logger(label: "leadsheet.load-test")
      logger.logLevel = .warning
      let client = ProntoClient(
        configuration: try ProntoClientConfiguration(
          baseURL: base, maxConnections: max(concurrency, 8)),
        apiKey: key, logger: logger)

      let cpuStart = Self.cpuSeconds()
      let clock = ContinuousClock()
      let start = clock.now
      let total = requests
      let counts = try await withThrowingTaskGroup(of: [String: Int].self) { group in
        var next = 0
        func request(_ i: Int) -> EnrichRequest {
          EnrichRequest(
            firstname: "Load\(i)", lastname: "Tester", domain: "example\(i % 97).com",
            linkedinURL: "https://www.linkedin.com/in/load-\(i)/", enrichmentType: [.email, .phone])
        }
        for _ in 0..<min(concurrency, total) {
          let r = request(next)
          next += 1
          group.addTask { await Self.complete(r, client: client) }
        }
        var merged: [String: Int] = [:]
        for try await c in group {
          merged.merge(c, uniquingKeysWith: +)
          if next < total {
            let r = request(next)
            next += 1
            group.addTask { await Self.complete(r, client: client) }
          }
        }
        return merged
      }
      let elapsed = (clock.now - start)
      let cpu = Self.cpuSeconds() - cpuStart
      let seconds =
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      try await client.shutdown()
      var serverStats: SimulatorStats?
      if let simulator {
        serverStats = await simulator.stats()
        await simulator.stop()
      }
      var report: [String: Any] = [
        "requests": total, "concurrency": concurrency, "seconds": (seconds * 1000).rounded() / 1000,
        "requests_per_second": (Double(total) / seconds).rounded(),
        "cpu_seconds": (cpu * 1000).rounded() / 1000,
        "cpu_percent_of_one_core": (cpu / seconds * 1000).rounded() / 10,
        "cpu_measures": inProcess ? "client and simulator (one process)" : "client only",
        "attempts_by_outcome": counts,
      ]
      if let s = serverStats {
        report["server_peak_rate"] = s.peakRate
        report["server_peak_concurrency"] = s.peakConcurrency
        report["server_rate_limited"] = s.rateLimited
      }
      let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    }

    /// Sends one request until it reaches a final outcome; counts every attempt by label.
    static func complete(_ request: EnrichRequest, client: ProntoClient) async -> [String: Int] {
      var counts: [String: Int] = [:]
      var retry = 0
      var rng = SystemRandomNumberGenerator()
      while true {
        let attempt = await client.enrich(request)
        counts[attempt.label, default: 0] += 1
        switch attempt {
        case .rateLimited(let after):
          try? await Task.sleep(for: after ?? .seconds(1))
        case .transient:
          guard let delay = Backoff.standard.delay(forRetry: retry, using: &rng) else {
            return counts
          }
          retry += 1
          try? await Task.sleep(for: delay)
        default:
          return counts
        }
      }
    }

    /// User + system CPU time of this process, in seconds.
    static func cpuSeconds() -> Double {
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
      return s(usage.ru_utime) + s(usage.ru_stime)
    }
  }
}
