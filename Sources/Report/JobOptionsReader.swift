import Foundation

/// Reads what the report needs from a job's opaque options JSON, tolerating anything.
///
/// `types` (array of type names), `credit_costs` (an object
/// `{"email": 1, "phone": 10, "personal_email": 3}` or the text
/// `email=1,phone=10`), `rate` / `rate_limit` (requests per second). Absent or
/// malformed values fall back to the defaults, and the report says so.
struct JobOptionsReader {
  /// Pronto's documented rate limit: 50 requests per second per user.
  static let contractRateLimit = 50.0

  var types: [String] = []
  var creditCosts = CreditCostTable.default
  var rateLimit: (value: Double, source: String) = (contractRateLimit, "contract")

  init(json: String) {
    guard let data = json.data(using: .utf8),
      let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else { return }
    if let list = object["types"] as? [String] { types = list }
    if let costs = object["credit_costs"] ?? object["creditCosts"] {
      var table = CreditCostTable.default
      var pairs: [String: Int] = [:]
      if let dict = costs as? [String: Any] {
        for (k, v) in dict { if let n = (v as? NSNumber)?.intValue { pairs[k] = n } }
      } else if let text = costs as? String {
        for part in text.split(separator: ",") {
          let kv = part.split(separator: "=", maxSplits: 1)
          if kv.count == 2, let n = Int(kv[1].trimmingCharacters(in: .whitespaces)) {
            pairs[kv[0].trimmingCharacters(in: .whitespaces).lowercased()] = n
          }
        }
      }
      if !pairs.isEmpty {
        table.email = pairs["email"] ?? table.email
        table.phone = pairs["phone"] ?? table.phone
        table.personalEmail =
          pairs["personal_email"] ?? pairs["personal-email"]
          ?? table.personalEmail
        table.source = "job_options"
        creditCosts = table
      }
    }
    for key in ["rate_limit", "rate"] {
      if let n = (object[key] as? NSNumber)?.doubleValue, n > 0 {
        rateLimit = (n, "job_options")
        break
      }
    }
  }
}
