import Foundation
import Testing

extension EndToEnd {
  /// The report measures rate use against the `--rate` the job was created with.
  @Suite("Report rate")
  struct ReportRate {
    @Test("enrich --rate 20: the report's rate limit is 20/s, from the job's options")
    func reportUsesTheJobsRate() async throws {
      let w = try Workdir("report-rate")
      defer { w.remove() }
      let input = try w.write(
        "leads.csv",
        "First Name,Last Name,Company\n"
          + "Ada,Lovelace,Analytical Engines\nGrace,Hopper,Navy\nAlan,Turing,Bletchley\n")
      let run = try await w.run(
        ["enrich", input, "--simulate", "--rate", "20", "--types", "email", "--json"],
        timeout: .seconds(120))
      #expect(run.code == 0, "\(run.stderr)")
      let job = try #require(run.json["job"] as? String)
      let json = try await w.run(["report", job, "--format", "json"])
      #expect(json.code == 0, "\(json.stderr)")
      let report = try #require(
        try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      let section = try #require(report["run"] as? [String: Any])
      #expect(section["rate_limit"] as? Double == 20)
      #expect(section["rate_limit_source"] as? String == "job_options")
    }
  }
}
