/// Carries out ``FIFOAdmission``: requests beyond the limit wait, in arrival
/// order, for a slot; the wait is part of the latency the client sees.
///
/// Every ``acquire()`` must be followed by one ``release()``.
actor ConcurrencyGate {
  private var admission: FIFOAdmission
  private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
  private var nextTicket: UInt64 = 0

  /// Creates a gate; `nil` or 0 is unlimited.
  init(limit: Int?) { admission = FIFOAdmission(limit: limit) }

  /// The most requests that waited at once.
  var peakWaiting: Int { admission.peakWaiting }
  /// The most requests worked on at once.
  var peakWorking: Int { admission.peakWorking }

  /// Returns once the request may be worked on.
  func acquire() async {
    nextTicket += 1
    let ticket = nextTicket
    if admission.arrive(ticket) { return }
    await withCheckedContinuation { waiters[ticket] = $0 }
  }

  /// Frees the caller's slot, passing it to the oldest waiting request.
  func release() {
    guard let next = admission.leave() else { return }
    waiters.removeValue(forKey: next)?.resume()
  }
}
