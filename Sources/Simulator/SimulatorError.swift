/// A simulator setting that cannot be used, or a server that could not start.
public struct SimulatorError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong.
  public var message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
