import ArgumentParser
import Foundation
import LeadsheetCore
import Logging
import ProntoClient

extension Leadsheet {
  /// `leadsheet account`: checks the API key and prints the account's credit balance.
  struct Account: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check the API key (GET /account) and print the credit balance (GET /credits).",
      discussion: """
        Exits 0 when the key is accepted, 75 when it is refused or the API cannot be
        reached. The fields are printed as the API gives them (it does not document
        their shape); a server without /credits is said so, not an error.
        """)

    @OptionGroup var run: RunArguments

    @Flag(help: "Print the answer as JSON on stdout.")
    var json = false

    func run() async throws {
      try await reportingErrors {
        let connection = try await Connection.open(
          run, mode: run.api ?? .sync, logger: Logger(label: "leadsheet"))
        let account = await connection.client.account()
        let credits: AccountAnswer? =
          if case .fields = account { await connection.client.credits() } else { nil }
        let base = connection.client.configuration.baseURL
        await connection.close()
        let check = AccountCheck(baseURL: base, account: account, credits: credits)
        if json {
          Terminal.standardOutput.writeLine(try check.jsonText())
        } else {
          for line in check.lines { Terminal.standardOutput.writeLine(line) }
        }
        if let failure = check.failure {
          Terminal.standardError.writeLine("leadsheet: error: \(failure)")
          throw ExitCode(ExitCodes.paused)
        }
      }
    }
  }
}

/// What `leadsheet account` found, and how to say it.
struct AccountCheck {
  /// `enrich`'s check before anything else: a key that `GET /account` refuses
  /// stops the command at once (exit 75), before the list is read. A server
  /// without `/account`, or no answer, lets the run go on (its first request
  /// tells).
  static func refuseABadKey(_ run: RunArguments) async throws {
    guard !run.simulate else { return }
    let connection = try await Connection.open(
      run, mode: run.api ?? .sync, logger: Logger(label: "leadsheet"))
    let account = await connection.client.account()
    let base = connection.client.configuration.baseURL
    await connection.close()
    guard case .keyRefused = account else { return }
    let check = AccountCheck(baseURL: base, account: account, credits: nil)
    Terminal.standardError.writeLine("leadsheet: error: \(check.failure ?? "")")
    throw ExitCode(ExitCodes.paused)
  }

  var baseURL: String
  var account: AccountAnswer
  /// `nil` when `/account` did not accept the key (not asked).
  var credits: AccountAnswer?

  /// `accepted`, `refused` or `unknown` (the server could not say).
  var key: String {
    switch account {
    case .fields: "accepted"
    case .keyRefused: "refused"
    case .absent, .failed: "unknown"
    }
  }

  /// The lines printed.
  var lines: [String] {
    var out: [String] = []
    switch account {
    case .fields(let fields):
      out.append("key: accepted by \(baseURL)/account")
      out.append("account: " + Self.text(fields))
    case .keyRefused(let status):
      out.append("key: refused by \(baseURL)/account (HTTP \(status))")
    case .absent(let status):
      out.append("key: not checked: \(baseURL)/account answered HTTP \(status)")
    case .failed(let why):
      out.append("key: not checked: \(why)")
    }
    switch credits {
    case .fields(let fields)?: out.append("credits: " + Self.text(fields))
    case .absent(let status)?:
      out.append("credits: this server has no /credits (HTTP \(status))")
    case .keyRefused(let status)?: out.append("credits: refused (HTTP \(status))")
    case .failed(let why)?: out.append("credits: not read: \(why)")
    case nil: break
    }
    return out
  }

  private static func text(_ fields: [AccountField]) -> String {
    fields.isEmpty ? "(no fields)" : fields.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
  }

  /// The one-line error when the command exits 75 (key refused or not checked), else `nil`.
  var failure: String? {
    switch account {
    case .fields: return nil
    case .keyRefused(let status):
      return
        "\(baseURL) refused the API key (HTTP \(status)): it is wrong, revoked or missing (fix: check $PRONTO_API_KEY or --api-key-file, and --base-url)"
    case .absent, .failed:
      return "could not check the API key at \(baseURL) (fix: check the network and --base-url)"
    }
  }

  /// The JSON printed by `--json`.
  func jsonText() throws -> String {
    struct Part: Encodable {
      var status: String
      var httpStatus: Int?
      var fields: [String: String]?
      var message: String?
    }
    func part(_ answer: AccountAnswer) -> Part {
      switch answer {
      case .fields(let fields):
        return Part(
          status: "ok", fields: Dictionary(fields.map { ($0.name, $0.value) }) { a, _ in a })
      case .keyRefused(let status): return Part(status: "refused", httpStatus: status)
      case .absent(let status): return Part(status: "absent", httpStatus: status)
      case .failed(let why): return Part(status: "failed", message: why)
      }
    }
    struct Body: Encodable {
      var baseURL: String
      var key: String
      var account: Part
      var credits: Part?
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let body = Body(
      baseURL: baseURL, key: key, account: part(account), credits: credits.map(part))
    return String(decoding: try encoder.encode(body), as: UTF8.self)
  }
}
