import Hummingbird

/// The request context of the simulator: Hummingbird's basic one, plus hooks
/// on the connection, so that faults can close it.
struct SimulatorRequestContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  /// Closes the connection (no answer is sent).
  let closeConnection: @Sendable () async -> Void
  /// Whether the client is still connected.
  let isConnected: @Sendable () -> Bool

  init(source: ApplicationRequestContextSource) {
    self.coreContext = .init(source: source)
    let channel = source.channel
    self.closeConnection = { try? await channel.close().get() }
    self.isConnected = { channel.isActive }
  }
}
