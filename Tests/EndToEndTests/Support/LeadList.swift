import Foundation

/// A fictional lead list, generated from a seed: first/last/company/domain/LinkedIn
/// columns, with exact duplicates and invalid rows (a blank last name) mixed in.
struct LeadList {
  /// The header.
  var header = ["First Name", "Last Name", "Company", "Website", "LinkedIn URL"]
  /// The rows, as written.
  var rows: [[String]] = []
  /// How many rows copy an earlier one.
  var duplicates = 0
  /// How many generated rows cannot make a request (duplicates of them not counted).
  var invalid = 0
  /// How many rows of the list cannot make a request: a blank last name, copies included.
  var invalidRows: Int { rows.filter { $0[1].isEmpty }.count }

  /// Generates `count` rows.
  ///
  /// - Parameters:
  ///   - count: Rows.
  ///   - seed: Same seed, same list.
  ///   - duplicateShare: Share of rows that copy an earlier row exactly.
  ///   - invalidShare: Share of rows with a blank last name.
  init(count: Int, seed: UInt64 = 1, duplicateShare: Double = 0.05, invalidShare: Double = 0.03) {
    var rng = SplitMix(seed: seed)
    let firsts = [
      "Ada", "Bruno", "Chloé", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Inès", "Jonas",
      "Kaito", "Lena", "Mateo", "Nora", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tara",
    ]
    let lasts = [
      "Martin", "Bernard", "Dubois", "Schmidt", "Rossi", "García", "Novak", "Kowalski",
      "Silva", "Jensen", "Müller", "Moreau", "Fischer", "Costa", "Laurent", "Weber",
    ]
    let companies = [
      "Kiwi Mobility", "Lumière Conseil", "Nordwind Labs", "Vega Retail", "Atelier Nova",
      "Blue Fjord", "Cobalt Health", "Delta Freight", "Ember Studio", "Fable Foods",
    ]
    for i in 0..<count {
      if i > 10, rng.unit() < duplicateShare {
        rows.append(rows[Int(rng.next() % UInt64(rows.count))])
        duplicates += 1
        continue
      }
      let first = firsts[Int(rng.next() % UInt64(firsts.count))]
      var last = lasts[Int(rng.next() % UInt64(lasts.count))] + "-\(i)"
      let company = companies[Int(rng.next() % UInt64(companies.count))]
      let slug = company.lowercased().replacingOccurrences(of: " ", with: "")
        .replacingOccurrences(of: "è", with: "e")
      let domain = rng.unit() < 0.8 ? "\(slug).example" : ""
      let linkedin = rng.unit() < 0.7 ? "https://www.linkedin.com/in/lead-\(i)-\(seed)" : ""
      if rng.unit() < invalidShare {
        last = ""
        invalid += 1
      }
      rows.append([first, last, company, domain, linkedin])
    }
  }

  /// Adds a column, its value per row from `value(index)`.
  mutating func addColumn(_ name: String, _ value: (Int) -> String) {
    header.append(name)
    for i in rows.indices { rows[i].append(value(i)) }
  }

  /// The list as CSV (comma, LF, quoted when needed).
  var csv: String {
    ([header] + rows).map { $0.map(CSV.quote).joined(separator: ",") }.joined(separator: "\n")
      + "\n"
  }
}

/// A tiny RFC 4180 reader and writer, enough for leadsheet's CSV output.
enum CSV {
  /// Quotes a field when it holds a comma, a quote or a line break.
  static func quote(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Parses CSV text (comma, CRLF or LF, a leading BOM dropped) into records.
  static func parse(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)
    if chars.first == "\u{FEFF}" { chars.removeFirst() }
    var i = 0
    var any = false
    while i < chars.count {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.count, chars[i + 1] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        quoted = true
        any = true
      } else if c == "," {
        record.append(field)
        field = ""
        any = true
      } else if c == "\r" || c == "\n" {
        if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
        record.append(field)
        records.append(record)
        record = []
        field = ""
        any = false
      } else {
        field.unicodeScalars.append(c)
        any = true
      }
      i += 1
    }
    if any || !field.isEmpty || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    return records
  }
}

/// An enriched list read back: header and rows, cells by column name.
struct EnrichedList {
  /// The header.
  var header: [String]
  /// The data rows.
  var rows: [[String]]

  /// Reads `path` (a CSV leadsheet wrote).
  init(path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let records = CSV.parse(text)
    header = records.first ?? []
    rows = Array(records.dropFirst())
  }

  /// The column named `name`'s values (empty when there is no such column).
  func column(_ name: String) -> [String] {
    guard let i = header.firstIndex(of: name) else { return [] }
    return rows.map { i < $0.count ? $0[i] : "" }
  }

  /// Rows per `status` value.
  func statusCounts(_ column: String = "status") -> [String: Int] {
    self.column(column).reduce(into: [:]) { $0[$1, default: 0] += 1 }
  }
}

/// SplitMix64: a small seeded generator, so a list is the same on every run.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// A double in 0..<1.
  mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
