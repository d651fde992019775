import Foundation
import LeadsheetCore
import Testing

@Test func defaultCosts() {
  #expect(CreditCosts.default.description == "email=1,phone=10,personal_email=3")
  #expect(CreditCosts.default.cost(of: [.email]) == 1)
  #expect(CreditCosts.default.cost(of: [.email, .phone, .personalEmail]) == 14)
  #expect(CreditCosts.default.cost(of: [.email, .email]) == 1)
}

@Test func parseOverridesOnlyTheTypesNamed() throws {
  let costs = try CreditCosts.parse("phone=20, personal-email=0")
  #expect(costs[.email] == 1)
  #expect(costs[.phone] == 20)
  #expect(costs[.personalEmail] == 0)
  #expect(try CreditCosts.parse(CreditCosts.default.description) == .default)
}

@Test(arguments: ["", "email", "fax=1", "email=-1", "email=1.5", "email=x"])
func parseErrors(_ text: String) {
  #expect {
    try CreditCosts.parse(text)
  } throws: { error in
    (error as? LeadsheetError)?.code == .usage && (error as? LeadsheetError)?.hint != nil
  }
}

@Test func codableAsAnObject() throws {
  let data = try JSONEncoder().encode(CreditCosts.default)
  let object = try JSONSerialization.jsonObject(with: data) as? [String: Int]
  #expect(object == ["email": 1, "phone": 10, "personal_email": 3])
  #expect(try JSONDecoder().decode(CreditCosts.self, from: data) == .default)
}
