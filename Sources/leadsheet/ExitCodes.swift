import CLeadsheetMalloc
import ArgumentParser
import LeadsheetCore

/// The exit codes leadsheet uses, from `sysexits.h` where one fits.
///
/// | code | meaning |
/// |---|---|
/// | 0 | done |
/// | 64 | bad command-line usage |
/// | 65 | the input file is malformed or refused |
/// | 66 | the input file, sheet, column or job does not exist |
/// | 73 | an output or database file cannot be written |
/// | 75 | the job is paused (credits, key, consent, network): `resume` finishes it |
/// | 130 | interrupted (Ctrl-C / SIGTERM): `resume` finishes it |
enum ExitCodes {
  static let usage: Int32 = 64
  static let dataError: Int32 = 65
  static let noInput: Int32 = 66
  static let cantCreate: Int32 = 73
  static let paused: Int32 = 75
  static let interrupted: Int32 = 130

  /// The exit code for an error that stopped a command.
  static func code(for error: LeadsheetError) -> Int32 {
    switch error.code {
    case .usage: return usage
    case .malformed, .refused, .unsupported: return dataError
    case .unreadable, .notFound: return noInput
    case .storage: return cantCreate
    default: return 1
    }
  }
}

/// Runs a command body, turning a `LeadsheetError` into one line on stderr and its exit code.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
  LogSetup.bootstrap()
  // Buffers of 1 MB or more are mapped on their own and unmapped when freed, so
  // that memory that peaked (a growing table, a spilled buffer) goes back.
  leadsheet_return_large_blocks(1 << 20)
  do {
    return try await body()
  } catch let error as LeadsheetError {
    Terminal.standardError.writeLine("leadsheet: error: \(error)")
    throw ExitCode(ExitCodes.code(for: error))
  }
}
