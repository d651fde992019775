import LeadsheetCore

/// What to do with one row: send a request, or not because it is invalid.
public enum RowPlan: Sendable, Hashable {
  /// Send `request`; `dropped` lists requested types the row cannot have
  /// (phone and personal email without a LinkedIn URL), `ignored` the
  /// non-blank cells that were not usable.
  case send(EnrichRequest, dropped: [EnrichmentType], ignored: [IgnoredValue])
  /// Do not send: the row cannot make a valid request.
  case invalid(InvalidReason, ignored: [IgnoredValue])

  /// The request to send, if any.
  public var request: EnrichRequest? {
    if case .send(let request, _, _) = self { return request }
    return nil
  }

  /// The reason the row is invalid, if it is.
  public var invalidReason: InvalidReason? {
    if case .invalid(let reason, _) = self { return reason }
    return nil
  }

  /// The requested types the row is not sent for.
  public var dropped: [EnrichmentType] {
    if case .send(_, let dropped, _) = self { return dropped }
    return []
  }

  /// The non-blank cells that were not usable.
  public var ignored: [IgnoredValue] {
    switch self {
    case .send(_, _, let ignored), .invalid(_, let ignored): return ignored
    }
  }
}
