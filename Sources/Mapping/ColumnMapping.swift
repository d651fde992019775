import LeadsheetCore

/// Which column feeds which field, and why; resolved once from the header row.
///
/// Precedence, highest first:
///
/// 1. `--map field=Header` overrides (`--map field=` turns a field off);
/// 2. exact synonym matches, for every field;
/// 3. partial matches (synonym words plus filler words and qualifiers);
/// 4. fallback names (`LinkedIn Bio`, `URL`).
///
/// A column feeds at most one field (custom fields aside) and a field reads at
/// most one column; within one strength the synonym listed first in
/// `HeaderSynonyms` wins, then the leftmost column. Derived fields are listed
/// too: the domain from the website or email column when there is no domain
/// column, the first and last name from the full-name column.
public struct ColumnMapping: Sendable, Hashable, Codable {
  /// A column copied into the request's `custom` object.
  public struct CustomColumn: Sendable, Hashable, Codable {
    /// The key in `custom`.
    public var key: String
    /// The 0-based column index.
    public var column: Int
    /// The column's header.
    public var header: String

    /// Creates a custom column.
    public init(key: String, column: Int, header: String) {
      self.key = key
      self.column = column
      self.header = header
    }
  }

  /// The header the mapping was resolved against.
  public let header: [String]
  /// Every mapped field, in `RequestField` order, derived ones included.
  public let assignments: [FieldAssignment]
  /// Columns copied into `custom`, in option order.
  public let custom: [CustomColumn]
  /// Fields turned off with `--map field=`.
  public let disabled: Set<RequestField>
  /// The 0-based indices of the columns no field or custom key reads.
  public let unmapped: [Int]

  /// Creates a mapping from its parts (`resolve` is the usual way).
  public init(
    header: [String], assignments: [FieldAssignment], custom: [CustomColumn] = [],
    disabled: Set<RequestField> = []
  ) {
    self.header = header
    self.assignments = assignments.sorted { $0.field < $1.field }
    self.custom = custom
    self.disabled = disabled
    var read = Set(custom.map(\.column))
    for a in assignments where !a.decision.isDerived { read.insert(a.column) }
    self.unmapped = header.indices.filter { !read.contains($0) }
  }

  /// The column a field reads directly (not derived), if any.
  public func column(for field: RequestField) -> Int? {
    assignments.first { $0.field == field && !$0.decision.isDerived }?.column
  }

  /// The column each directly mapped field reads (derived fields left out).
  public var columns: [RequestField: Int] {
    var result: [RequestField: Int] = [:]
    for a in assignments where !a.decision.isDerived { result[a.field] = a.column }
    return result
  }

  /// How a field is obtained: its direct column, else its derivation.
  public func assignment(for field: RequestField) -> FieldAssignment? {
    assignments.first { $0.field == field && !$0.decision.isDerived }
      ?? assignments.first { $0.field == field }
  }

  /// The headers of the unmapped columns.
  public var unmappedHeaders: [String] { unmapped.map { header[$0] } }

  /// The order fields pick their column in, when one header could match two.
  static let matchOrder: [RequestField] = [
    .linkedinURL, .workEmail, .domain, .website, .companyName, .firstname, .lastname, .fullName,
  ]

  /// Resolves the mapping of a header row.
  ///
  /// - Parameters:
  ///   - header: The unique column names (`Table.header`).
  ///   - options: The `--map` overrides and custom columns.
  /// - Throws: `LeadsheetError` with code `.notFound` when an override or a
  ///   custom field names a header that does not exist (the message lists the
  ///   closest names).
  public static func resolve(header: [String], options: MappingOptions) throws -> ColumnMapping {
    var chosen: [RequestField: (column: Int, decision: MappingDecision)] = [:]
    var disabled = Set<RequestField>()
    var used = Set<Int>()
    for field in RequestField.allCases {
      guard let name = options.overrides[field] else { continue }
      if name.isEmpty {
        disabled.insert(field)
        continue
      }
      let column = try findColumn(name, in: header, option: "--map \(field.rawValue)")
      chosen[field] = (column, .override)
      used.insert(column)
    }
    let tokens = header.map(HeaderName.tokens)
    let strengths: [MappingDecision.Strength] = [.exact, .partial, .fallback]
    for strength in strengths {
      for field in matchOrder where chosen[field] == nil && !disabled.contains(field) {
        let synonyms = HeaderSynonyms.of(field)
        var best: (rank: Int, column: Int, synonym: String)?
        for column in header.indices where !used.contains(column) {
          guard let (rank, synonym) = synonyms.match(tokens[column], strength: strength)
          else { continue }
          if best == nil || rank < best!.rank { best = (rank, column, synonym) }
        }
        if let best {
          chosen[field] = (best.column, .headerMatch(synonym: best.synonym, strength: strength))
          used.insert(best.column)
        }
      }
    }
    var assignments = chosen.map {
      FieldAssignment(
        field: $0.key, column: $0.value.column, header: header[$0.value.column],
        decision: $0.value.decision)
    }
    func derive(_ field: RequestField, from source: RequestField, _ decision: MappingDecision) {
      guard chosen[field] == nil, !disabled.contains(field),
        !assignments.contains(where: { $0.field == field }),
        let column = chosen[source]?.column
      else { return }
      assignments.append(
        FieldAssignment(field: field, column: column, header: header[column], decision: decision))
    }
    derive(.domain, from: .website, .domainFromWebsite)
    derive(.domain, from: .workEmail, .domainFromEmail)
    derive(.firstname, from: .fullName, .splitFromFullName)
    derive(.lastname, from: .fullName, .splitFromFullName)
    var custom: [CustomColumn] = []
    for item in options.custom {
      let column = try findColumn(item.header, in: header, option: "--map custom.\(item.key)")
      custom.append(CustomColumn(key: item.key, column: column, header: header[column]))
    }
    return ColumnMapping(
      header: header, assignments: assignments, custom: custom, disabled: disabled)
  }

  /// The column named `name`: same text, else same text ignoring case, else
  /// the only column with the same normalised name.
  ///
  /// - Throws: `LeadsheetError` with code `.notFound` listing close names.
  static func findColumn(_ name: String, in header: [String], option: String) throws -> Int {
    if let i = header.firstIndex(of: name) { return i }
    let lower = name.lowercased()
    if let i = header.firstIndex(where: { $0.lowercased() == lower }) { return i }
    let key = HeaderName.normalize(name)
    let same = header.indices.filter { !key.isEmpty && HeaderName.normalize(header[$0]) == key }
    if same.count == 1 { return same[0] }
    let close = closeHeaders(to: name, in: header)
    let hint: String
    if !close.isEmpty {
      hint = "did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?"
    } else {
      let shown = header.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
      hint = "the columns are \(shown)" + (header.count > 12 ? ", …" : "")
    }
    throw LeadsheetError(.notFound, "no column named '\(name)' for \(option)", hint: hint)
  }

  /// Up to three headers close to `name`, closest first.
  ///
  /// Close means: the normalised names contain one another, or differ by at
  /// most a third of their length in edits (at least 2).
  public static func closeHeaders(to name: String, in header: [String]) -> [String] {
    let key = HeaderName.normalize(name)
    var scored: [(distance: Int, index: Int)] = []
    for (i, h) in header.enumerated() {
      let other = HeaderName.normalize(h)
      guard !other.isEmpty, !key.isEmpty else { continue }
      let d = editDistance(Array(key), Array(other))
      let limit = max(2, max(key.count, other.count) / 3)
      if d <= limit || other.contains(key) || key.contains(other) {
        scored.append((d, i))
      }
    }
    return scored.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
      .prefix(3).map { header[$0.index] }
  }

  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
      var previous = row[0]
      row[0] = i
      for j in 1...b.count {
        let saved = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = saved
      }
    }
    return row[b.count]
  }
}

extension HeaderSynonyms {
  /// The rank and synonym a header's tokens match at `strength`, if any.
  func match(_ tokens: [String], strength: MappingDecision.Strength) -> (Int, String)? {
    let key: String
    let keys: [String]
    let names: [String]
    switch strength {
    case .exact: (key, keys, names) = (tokens.joined(), exactKeys, exact)
    case .partial:
      (key, keys, names) = (HeaderName.core(tokens, qualifiers: qualifiers), partialCores, exact)
    case .fallback: (key, keys, names) = (tokens.joined(), fallbackKeys, fallback)
    }
    guard !key.isEmpty, let rank = keys.firstIndex(of: key) else { return nil }
    return (rank, names[rank])
  }
}
