import ArgumentParser
import LeadsheetCore
import Mapping

/// What to ask the API for and how columns map to it: options shared by `inspect` and `enrich`.
struct MappingArguments: ParsableArguments {
  @Option(help: "What to find: email, phone and/or personal_email, comma-separated.")
  var types: String = "email"

  @Option(
    name: .customLong("map"),
    help: ArgumentHelp(
      "Use a column for a field: firstname=Header, lastname=, fullname=, company_name=, domain=,"
        + " website=, work_email=, linkedin_url=, or custom.KEY=Header (repeatable).",
      valueName: "field=Header"))
  var maps: [String] = []

  @Option(help: "Restrict phone numbers to these countries (ISO codes, e.g. FR,BE).")
  var phoneCountries: String?

  @Option(
    help:
      "Credits per enrichment type for the estimate (default email=1,phone=10,personal_email=3).")
  var creditCost: String?

  /// The mapping options these flags describe.
  func mappingOptions() throws -> MappingOptions {
    try MappingOptions(
      types: EnrichmentType.parseList(types), maps: maps, phoneCountries: phoneCountries,
      creditCosts: creditCost)
  }
}
