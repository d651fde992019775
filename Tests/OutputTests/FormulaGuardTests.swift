import Testing

@testable import Output

/// (value, expected output) for a plain value.
private let table: [(String, String)] = [
  // Always neutralised.
  ("=1+1", "'=1+1"),
  ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
  ("@SUM(A1)", "'@SUM(A1)"),
  ("\tfoo", "'\tfoo"),
  ("\r=1", "'\r=1"),
  ("=", "'="),
  ("@", "'@"),
  // + and -: kept when a number, an E.164 phone or a plain email.
  ("+33612345678", "+33612345678"),
  ("+14155550100", "+14155550100"),
  ("-12.5", "-12.5"),
  ("+1e3", "+1e3"),
  ("-.5", "-.5"),
  ("+tag@acme.com", "+tag@acme.com"),
  ("-john.doe@acme-corp.co.uk", "-john.doe@acme-corp.co.uk"),
  // + and -: neutralised otherwise.
  ("+", "'+"),
  ("-", "'-"),
  ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
  ("+1+1", "'+1+1"),
  ("-1-1", "'-1-1"),
  ("+0612345678", "+0612345678"),  // not E.164, but a plain number: cannot run
  ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
  ("+1234567890123456", "+1234567890123456"),  // too long for E.164, but a plain number
  ("-cmd|'/C calc'!A0@x.com", "'-cmd|'/C calc'!A0@x.com"),
  ("+a@b", "'+a@b"),
  ("-1e", "'-1e"),
  ("+SUM(1)", "'+SUM(1)"),
  // Anything else is left alone.
  ("valid", "valid"),
  ("a=b", "a=b"),
  (" =1", " =1"),
  ("", ""),
  ("Müller", "Müller"),
  ("'=already", "'=already"),
]

@Test func guardTable() {
  for (value, expected) in table {
    let got = FormulaGuard.neutralized(value)
    #expect(got == expected, "\(value.debugDescription)")
  }
}

@Test func phoneListsAreKeptOnlyWhenEveryPartIsE164() {
  #expect(
    FormulaGuard.neutralized("+33612345678; +14155550100", listSeparator: "; ")
      == "+33612345678; +14155550100")
  #expect(
    FormulaGuard.neutralized("+33612345678; =1+1", listSeparator: "; ")
      == "'+33612345678; =1+1")
  #expect(
    FormulaGuard.neutralized("+33612345678; +1+1", listSeparator: "; ")
      == "'+33612345678; +1+1")
  // Without the separator, a list is not a phone.
  #expect(FormulaGuard.neutralized("+33612345678; +14155550100").hasPrefix("'"))
}

@Test func predicates() {
  #expect(FormulaGuard.isE164("+33612345678"))
  #expect(!FormulaGuard.isE164("+0612345678"))
  #expect(!FormulaGuard.isE164("+1"))
  #expect(!FormulaGuard.isE164("33612345678"))
  #expect(FormulaGuard.isNumber("12"))
  #expect(FormulaGuard.isNumber("-1.5E-7"))
  #expect(!FormulaGuard.isNumber("1.2.3"))
  #expect(!FormulaGuard.isNumber("."))
  #expect(FormulaGuard.isEmail("a.b+c@acme.io"))
  #expect(!FormulaGuard.isEmail("a@b"))
  #expect(!FormulaGuard.isEmail("a b@acme.io"))
  #expect(!FormulaGuard.isEmail("a@acme.io."))
}

@Test func everyDangerousFirstCharacterIsCaught() {
  for first in ["=", "@", "\t", "\r"] {
    for rest in ["", "1", "+33612345678", "a@b.com", "SUM(A1:A2)"] {
      #expect(FormulaGuard.needsGuard(first + rest), "\((first + rest).debugDescription)")
    }
  }
}
