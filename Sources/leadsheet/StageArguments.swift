import ArgumentParser
import LeadsheetCore
import Runner

/// `--phone-if`, `--personal-email-if`, `--max-per`: on `enrich` and `resume` (stored
/// with the job), and on `inspect` (what the rules spare in the estimate).
struct StageArguments: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "When to buy the phone: always (default), no-email (only where the email was not found), email-risky (also where it is not deliverable/valid).",
      discussion:
        "Other than always, the email is bought first and the phone decided on its answer. Stored with the job; resume --phone-if replaces it for the rows not decided yet."
    ))
  var phoneIf: String?

  @Option(
    help: ArgumentHelp(
      "When to buy the personal email: always (default), no-email, email-risky (as --phone-if).",
      discussion: "Stored with the job."))
  var personalEmailIf: String?

  @Option(
    help: ArgumentHelp(
      "At most N rows per distinct value of COLUMN buy the phone and personal email (e.g. company_name=2).",
      discussion:
        "The best-ranked first with --order-by, else in file order; blank values are not limited. Emails are not limited. Stored with the job."
    ))
  var maxPer: String?

  func validate() throws {
    for (flag, value) in [("--phone-if", phoneIf), ("--personal-email-if", personalEmailIf)] {
      if let value, StageCondition(argument: value) == nil {
        throw ValidationError("\(flag) must be always, no-email or email-risky (got '\(value)')")
      }
    }
    if let maxPer, StagePolicy.MaxPer.parse(maxPer) == nil {
      throw ValidationError(
        "--max-per must be COLUMN=N with N at least 1, such as company_name=2 (got '\(maxPer)')")
    }
  }

  /// The policy these name alone (nothing given: stages nothing).
  var policy: StagePolicy {
    StagePolicy(
      phoneIf: phoneIf.flatMap(StageCondition.init(argument:)) ?? .always,
      personalEmailIf: personalEmailIf.flatMap(StageCondition.init(argument:)) ?? .always,
      maxPer: maxPer.flatMap(StagePolicy.MaxPer.parse))
  }
}
