import Foundation

/// The bodies of the asynchronous endpoints, made from the same
/// ``SimulatedOutcome`` as the synchronous answer, so a person gets the same
/// email, phones and personal email whichever endpoint is used.
enum AsyncEnrichmentBody {
  /// The submission's answer, and `GET /api/v2/contacts/{id}` while pending:
  /// `enrichment_id`, `first_name`, `last_name`, `status: pending`, `custom`.
  static func pending(id: String, contact: SimulatedContact) -> [String: Any] {
    var body: [String: Any] = [
      "enrichment_id": id, "first_name": contact.firstname, "last_name": contact.lastname,
      "status": "pending",
    ]
    if let custom = contact.custom { body["custom"] = custom }
    return body
  }

  /// `GET /api/v2/contacts/{id}` once the waterfall has ended: `status:
  /// finished` (found or not) with every field, empty ones as `null`, `N/A`
  /// and `phone: []`.
  static func finished(id: String, contact: SimulatedContact, outcome: SimulatedOutcome)
    -> [String: Any]
  {
    var body = pending(id: id, contact: contact)
    body["status"] = "finished"
    if let url = contact.linkedinURL { body["linkedin_profile_url"] = url }
    let sync = outcome.body
    body["email"] = (sync["email"] as? String).map { $0 as Any } ?? NSNull()
    body["email_status"] = emailStatus(sync["email"] is String ? sync["email_status"] : nil)
    body["personal_email"] = (sync["personal_email"] as? String).map { $0 as Any } ?? NSNull()
    body["personal_email_status"] =
      sync["personal_email"] is String
      ? sync["personal_email_status"] as? String ?? "N/A" : "N/A"
    body["phone"] = sync["phones"] as? [String] ?? []
    return body
  }

  /// The synchronous `email_status` in the asynchronous vocabulary
  /// (`deliverable`, `catch-all`, `N/A`): `valid` and `deliverable` are
  /// `deliverable`, `catch-all` stays, anything else (`invalid`, none) is `N/A`.
  static func emailStatus(_ sync: Any?) -> String {
    switch sync as? String {
    case "valid", "deliverable": "deliverable"
    case "catch-all": "catch-all"
    default: "N/A"
    }
  }
}
