/// Cleans names and splits full names.
///
/// Names keep their case and accents; only whitespace changes (trimmed, runs
/// collapsed to one space).
///
/// A full name is split by these rules, in order:
///
/// 1. whitespace is collapsed; honorifics at the start (`Dr.`, `Mr`, `Mrs`,
///    `Ms`, `Mx`, `Miss`, `Prof.`, `Sir`, `M.`, `Mme`, `Mlle`, `Herr`, `Frau`,
///    `Sr.`, `Sra.`, `Srta.`, `Dra.`) and suffixes at the end (`Jr.`, `Sr.`,
///    `II`, `III`, `IV`, `PhD`, `Ph.D.`, `MD`, `MBA`, `Esq.`, `CPA`), with or
///    without a dot or comma, are removed;
/// 2. `Last, First` (one comma) → first = after the comma, last = before;
/// 3. otherwise words are separated by spaces (a hyphen joins: `Jean-Pierre`):
///    - a particle (`van`, `von`, `de`, `del`, `della`, `di`, `da`, `du`,
///      `des`, `dos`, `das`, `le`, `la`, `ter`, `ten`, `bin`, `ibn`, `al`)
///      after the first word starts the last name (`Charles de Gaulle`);
///    - four words: two first names, two last names (`María José García López`);
///    - otherwise the first word is the first name and the rest the last name
///      (`Juan García López`; an English middle name ends up in the last name).
/// 4. a single word cannot be split (`nil`).
public enum NameNormalizer {
  /// Trims and collapses whitespace; `nil` when nothing is left.
  public static func clean(_ text: String) -> String? {
    let s = text.collapsingWhitespace()
    return s.isEmpty ? nil : s
  }

  static let honorifics: Set<String> = [
    "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "sir", "mme", "mlle", "herr", "frau", "sr",
    "sra", "srta", "dra",
  ]
  static let suffixes: Set<String> = [
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq", "cpa",
  ]
  static let particles: Set<String> = [
    "van", "von", "de", "del", "della", "di", "da", "du", "des", "dos", "das", "le", "la", "ter",
    "ten", "bin", "ibn", "al",
  ]

  /// The word as compared with the honorific and suffix lists: lowercased, dots and commas out.
  static func bare(_ word: Substring) -> String {
    word.lowercased().filter { $0 != "." && $0 != "," }
  }

  /// Removes honorifics from the front of `words`; `M.` only with its dot.
  static func dropHonorifics(_ words: inout [Substring]) {
    while words.count > 1, let w = words.first,
      honorifics.contains(bare(w)) || w == "M." || w == "m."
    {
      words.removeFirst()
    }
  }

  /// Splits a full name into first and last name; `nil` for a single word or nothing.
  public static func split(fullName text: String) -> PersonName? {
    var words = text.split(whereSeparator: \.isWhitespace)
    while words.count > 1, let w = words.last, suffixes.contains(bare(w)) {
      words.removeLast()
    }
    if words.count > 1, let w = words.last, w.hasSuffix(",") {
      words[words.count - 1] = w.dropLast()
    }
    let joined = words.joined(separator: " ")
    let commaParts = joined.split(separator: ",", omittingEmptySubsequences: false)
    if commaParts.count == 2 {
      var last = commaParts[0].split(whereSeparator: \.isWhitespace)
      var first = commaParts[1].split(whereSeparator: \.isWhitespace)
      dropHonorifics(&last)
      dropHonorifics(&first)
      guard !first.isEmpty, !last.isEmpty else { return nil }
      return PersonName(first: first.joined(separator: " "), last: last.joined(separator: " "))
    }
    words = joined.split(whereSeparator: { $0.isWhitespace || $0 == "," })
    dropHonorifics(&words)
    guard words.count >= 2 else { return nil }
    var firstCount = 1
    if let p = words.indices.dropFirst().first(where: { particles.contains(words[$0].lowercased()) }
    ),
      p < words.count - 1
    {
      firstCount = p
    } else if words.count == 4 {
      firstCount = 2
    }
    return PersonName(
      first: words[..<firstCount].joined(separator: " "),
      last: words[firstCount...].joined(separator: " "))
  }
}
