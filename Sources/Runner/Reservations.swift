/// The credits held for requests marked or in flight, not answered yet: each
/// request's worst case, and the part of it that grows with the phone numbers an
/// answer may hold (`per-number`), so that a run that learns answers hold more
/// numbers raises what every held request may still cost (`raise(extraNumbers:)`).
///
/// `CreditBudget` and `DailyCap` each keep one.
///
///     var held = Reservations()
///     held.reserve(7, worst: 31, perNumber: 10)  // email + phone at 3 numbers
///     held.raise(extraNumbers: 1)                 // an answer held 4: 41 held
///     held.remove(7)                              // 41, now 0 held
public struct Reservations: Sendable, Hashable {
  private struct Held: Sendable, Hashable {
    var worst: Int
    var perNumber: Int
  }

  private var held: [Int64: Held] = [:]
  /// The sum of the worst cases held.
  public private(set) var total = 0

  /// Creates an empty set.
  public init() {}

  /// Holds `worst` for request `id`, `perNumber` of which per extra phone number a
  /// raise would add (the phone's price under `per-number`, else 0); a second
  /// reservation keeps the first.
  public mutating func reserve(_ id: Int64, worst: Int, perNumber: Int = 0) {
    guard held[id] == nil else { return }
    held[id] = Held(worst: worst, perNumber: perNumber)
    total += worst
  }

  /// Drops request `id`'s reservation: what it held (0 when none).
  @discardableResult
  public mutating func remove(_ id: Int64) -> Int {
    guard let h = held.removeValue(forKey: id) else { return 0 }
    total -= h.worst
    return h.worst
  }

  /// Every held request that may return phone numbers now counts `extraNumbers`
  /// more of them.
  public mutating func raise(extraNumbers: Int) {
    guard extraNumbers > 0 else { return }
    for (id, h) in held where h.perNumber > 0 {
      let extra = h.perNumber * extraNumbers
      held[id]?.worst += extra
      total += extra
    }
  }

  /// Whether request `id` holds a reservation.
  public func contains(_ id: Int64) -> Bool { held[id] != nil }
}
