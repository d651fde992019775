import Foundation
import Testing

@testable import ProntoClient

@Suite struct AccountAnswerTests {
  func classify(_ status: Int, _ body: String) -> AccountAnswer {
    AccountAnswer.classify(status: status, body: Data(body.utf8)) {
      $0.replacingOccurrences(of: "sk-secret", with: "[redacted]")
    }
  }

  @Test func readsWhateverFieldsTheAnswerHas() {
    let answer = classify(
      200,
      #"{"credits_remaining": 2480, "daily_limit": 2500.5, "plan": {"name": "Growth", "trial": false}, "teams": [1, 2], "owner": "a@b.example", "note": null}"#
    )
    #expect(
      answer
        == .fields([
          AccountField(name: "credits_remaining", value: "2480"),
          AccountField(name: "daily_limit", value: "2500.5"),
          AccountField(name: "note", value: "null"),
          AccountField(name: "owner", value: "a@b.example"),
          AccountField(name: "plan.name", value: "Growth"),
          AccountField(name: "plan.trial", value: "false"),
          AccountField(name: "teams", value: "2 items"),
        ]))
  }

  @Test func findsTheBalanceUnderItsUsualNames() {
    #expect(classify(200, #"{"credits_remaining": 2480, "used_today": 20}"#).creditBalance == 2480)
    #expect(classify(200, #"{"data": {"balance": "12.5"}}"#).creditBalance == 12.5)
    #expect(classify(200, #"{"plan": "growth", "credits": 900}"#).creditBalance == 900)
    // Unlimited (null), no number, or no answer: unknown.
    #expect(classify(200, #"{"credits_remaining": null}"#).creditBalance == nil)
    #expect(classify(200, #"{"plan": "growth"}"#).creditBalance == nil)
    #expect(classify(404, "").creditBalance == nil)
  }

  @Test func refusedAbsentAndBrokenAnswersAreToldApart() {
    #expect(classify(401, #"{"error":"bad key"}"#) == .keyRefused(status: 401))
    #expect(classify(403, "") == .keyRefused(status: 403))
    #expect(classify(404, "Not Found") == .absent(status: 404))
    #expect(classify(405, "") == .absent(status: 405))
    guard case .failed(let why) = classify(200, "<html>sk-secret</html>") else {
      Issue.record("a non-JSON 200 must not read as fields")
      return
    }
    #expect(why.contains("not a JSON object") && !why.contains("sk-secret"))
    guard case .failed(let other) = classify(500, "oops sk-secret") else {
      Issue.record("a 500 is a failure")
      return
    }
    #expect(other.hasPrefix("HTTP 500") && other.contains("[redacted]"))
    guard case .failed = classify(200, "[1, 2]") else {
      Issue.record("an array is not an account")
      return
    }
  }
}
