import Dispatch
import Foundation

/// Watches SIGINT and SIGTERM: the first asks for a graceful stop, the second exits at once.
///
/// A graceful stop lets the requests in flight finish (or time out) and records
/// them; exiting at once is still safe, because every outcome already
/// committed stays committed and requests marked in flight are known to the
/// job (see `docs/job-model.md`).
public final class StopSignal: @unchecked Sendable {
  private let lock = NSLock()
  private var sources: [DispatchSourceSignal] = []
  private var received: Int32?
  private var handlers: [@Sendable (Int32) -> Void] = []

  /// Starts watching; `onFirst` runs on a background queue when the first signal arrives.
  public init() {}

  /// Installs the handlers.
  ///
  /// - Parameter immediateExitCode: The status the process exits with on the second signal.
  public func install(immediateExitCode: Int32 = 130) {
    let queue = DispatchQueue(label: "leadsheet.signals")
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
      source.setEventHandler { [weak self] in
        guard let self else { return }
        let (first, handlers) = self.lock.withLock { () -> (Bool, [@Sendable (Int32) -> Void]) in
          if self.received != nil { return (false, []) }
          self.received = sig
          return (true, self.handlers)
        }
        if first {
          handlers.forEach { $0(sig) }
        } else {
          FileHandle.standardError.write(Data("\nleadsheet: stopped at once\n".utf8))
          exit(immediateExitCode)
        }
      }
      source.resume()
      sources.append(source)
    }
  }

  /// Runs `handler` when the first signal arrives (at once if it already has).
  public func onSignal(_ handler: @escaping @Sendable (Int32) -> Void) {
    let already = lock.withLock { () -> Int32? in
      if let received { return received }
      handlers.append(handler)
      return nil
    }
    if let already { handler(already) }
  }

  /// The first signal received, if any.
  public var signalReceived: Int32? { lock.withLock { received } }
}
