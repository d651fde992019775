import Testing

@testable import Mapping

@Test func noSynonymBelongsToTwoFields() {
  var owner: [String: RequestField] = [:]
  for field in RequestField.allCases {
    let synonyms = HeaderSynonyms.of(field)
    for name in synonyms.exact + synonyms.fallback {
      let key = HeaderName.normalize(name)
      #expect(owner[key] == nil || owner[key] == field, "\(name): \(owner[key]!) and \(field)")
      owner[key] = field
    }
  }
}

@Test func everyExactSynonymResolvesToItsField() throws {
  for field in RequestField.allCases {
    for name in HeaderSynonyms.of(field).exact {
      let mapping = try ColumnMapping.resolve(header: [name], options: .init())
      #expect(mapping.column(for: field) == 0, "\(name) → \(field)")
    }
  }
}
