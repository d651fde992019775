import Foundation
import LeadsheetCore

/// The answers a request took from the contact store instead of buying them, by
/// enrichment type: stored with the request (`requests.reused`) when its run hands
/// it out, merged into the answer of the types it bought, and read back for the
/// output's `result_source`, `bought_at` and `bought_by` columns.
///
///     var reused = ReusedAnswers()
///     reused.answers[.email] = storedEmailAnswer
///     reused.merged(into: phoneAnswer)   // phoneAnswer with the stored email
public struct ReusedAnswers: Sendable, Hashable {
  /// One reused answer.
  public struct Answer: Sendable, Hashable, Codable {
    /// Whether something was found.
    public var found: Bool
    /// The email, the phones as a JSON list, or the personal email.
    public var value: String?
    /// The type's status as the API sent it.
    public var status: String?
    /// The answer's message.
    public var message: String?
    /// When it was bought (Unix seconds).
    public var boughtAt: Double
    /// The job that bought it.
    public var job: String

    enum CodingKeys: String, CodingKey {
      case found, value, status, message, job
      case boughtAt = "bought_at"
    }

    /// Creates an answer.
    public init(
      found: Bool, value: String?, status: String?, message: String?, boughtAt: Double,
      job: String
    ) {
      self.found = found
      self.value = value
      self.status = status
      self.message = message
      self.boughtAt = boughtAt
      self.job = job
    }

    /// The answer of a contact-store entry.
    public init(_ stored: StoredAnswer) {
      found = stored.found
      value = stored.value
      status = stored.status
      message = stored.message
      boughtAt = stored.boughtAt.timeIntervalSince1970
      job = stored.job.rawValue
    }
  }

  /// The answers, by type.
  public var answers: [EnrichmentType: Answer] = [:]
  /// The types the request bought besides (empty: it bought nothing).
  public var bought: [EnrichmentType] = []

  /// No answers.
  public init() {}

  /// The answers of contact-store entries, by type, of a request that buys `bought`.
  public init(_ stored: [EnrichmentType: StoredAnswer], bought: [EnrichmentType] = []) {
    answers = stored.mapValues(Answer.init)
    self.bought = bought.sorted()
  }

  /// The stored shape: `{"answers": {"email": {…}}, "bought": ["phone"]}`.
  private struct Stored: Codable {
    var answers: [String: Answer]
    var bought: [String]
  }

  /// Reads `requests.reused` (`nil` or unreadable text: no answers).
  public init(json: String?) {
    guard let json, let data = json.data(using: .utf8),
      let stored = try? JSONDecoder().decode(Stored.self, from: data)
    else { return }
    for (key, answer) in stored.answers {
      if let type = EnrichmentType(rawValue: key) { answers[type] = answer }
    }
    bought = stored.bought.compactMap(EnrichmentType.init(rawValue:)).sorted()
  }

  /// Whether no answer was reused.
  public var isEmpty: Bool { answers.isEmpty }

  /// The reused types, sorted.
  public var types: [EnrichmentType] { answers.keys.sorted() }

  /// `requests.reused`: `nil` when empty.
  public var json: String? {
    guard !answers.isEmpty else { return nil }
    let stored = Stored(
      answers: Dictionary(uniqueKeysWithValues: answers.map { ($0.key.rawValue, $0.value) }),
      bought: bought.map(\.rawValue))
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return (try? encoder.encode(stored)).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The oldest purchase among the answers.
  public var oldestPurchase: Date? {
    answers.values.map(\.boughtAt).min().map(Date.init(timeIntervalSince1970:))
  }

  /// The job of the oldest answer.
  public var job: String? {
    answers.values.min { $0.boughtAt < $1.boughtAt }?.job
  }

  /// `answer` (what the request bought, `nil` when it bought nothing) with the reused
  /// types' fields filled in; `status` is `success` when any type, bought or reused,
  /// found something.
  public func merged(into answer: EnrichResponse?) -> EnrichResponse {
    var out = answer ?? EnrichResponse()
    var messages: [String] = []
    for (type, a) in answers.sorted(by: { $0.key < $1.key }) {
      switch type {
      case .email:
        out.email = a.value
        out.emailStatus = a.status
      case .personalEmail:
        out.personalEmail = a.value
        out.personalEmailStatus = a.status
      case .phone:
        let numbers =
          a.value.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
          ?? []
        out.phones = numbers.map { EnrichResponse.Phone($0) }
        out.phoneStatus = a.status
      }
      if let m = a.message, !m.isEmpty, !a.found { messages.append(m) }
    }
    if answers.values.contains(where: \.found) || out.hasData {
      out.status = "success"
    } else if answer == nil {
      out.status = "not_found"
    }
    if out.message == nil || out.message?.isEmpty == true, let first = messages.first {
      out.message = first
    }
    return out
  }
}

/// Which stored answers a request may take instead of buying them: given the
/// request and its contact's stored answers (by type key, see
/// `StoredAnswer.typeKey`), the answers to reuse, by type. The runner passes its
/// `ReusePolicy` as one; the store carries it out.
public typealias ReuseDecision = (EnrichRequest, [String: StoredAnswer]) -> [EnrichmentType:
  StoredAnswer]
