import Testing

@testable import Output

@Test func serialDates() {
  #expect(ExcelSerialDate.serial("1900-01-01")?.value == "1")
  #expect(ExcelSerialDate.serial("1900-02-28")?.value == "59")
  #expect(ExcelSerialDate.serial("1900-03-01")?.value == "61")
  #expect(ExcelSerialDate.serial("2024-03-01")?.value == "45352")
  #expect(ExcelSerialDate.serial("2024-03-01T12:00:00")?.value == "45352.5")
  #expect(ExcelSerialDate.serial("2024-03-01 06:00")?.value == "45352.25")
  #expect(ExcelSerialDate.serial("12:00:00")?.value == "0.5")
  #expect(ExcelSerialDate.serial("00:00:00")?.value == "0")
  #expect(ExcelSerialDate.serial("09:30:00.5") != nil)
  #expect(ExcelSerialDate.serial("09:30:00")?.value == "\(34_200.0 / 86_400)")
  if case .time? = ExcelSerialDate.serial("09:30:00")?.kind {} else { Issue.record("not a time") }
  if case .dateTime? = ExcelSerialDate.serial("2024-03-01T09:30:00")?.kind {
  } else {
    Issue.record("not a date-time")
  }
}

@Test func notDates() {
  for text in [
    "1899-12-31", "2024-02-30", "2023-02-29", "2024-13-01", "24:00:00", "2024-03-01X",
    "garbage", "", "2024-03-01T25:00:00", "9:30",
  ] {
    #expect(ExcelSerialDate.serial(text) == nil, "\(text)")
  }
  #expect(ExcelSerialDate.serial("2024-02-29")?.value == "45351")
}

@Test func excelNumbers() {
  for ok in ["0", "42", "-42", "1234.5", "-1.5e-7", "1E+20", "3.0"] {
    #expect(XLSXOutputWriter.isExcelNumber(ok), "\(ok)")
  }
  for bad in ["", "-", "1.", ".5", "1e", "1e+", "inf", "NaN", "1,5", "+1", "1 000", "0x10"] {
    #expect(!XLSXOutputWriter.isExcelNumber(bad), "\(bad)")
  }
}

@Test func xmlEscapingAndStripping() {
  var out: [UInt8] = []
  let stripped = XMLText.append("a<b>&c\"\r\n\t\u{0}\u{1F}\u{FFFE}\u{FFFF}é", to: &out)
  #expect(stripped)
  #expect(String(decoding: out, as: UTF8.self) == "a&lt;b&gt;&amp;c\"&#13;\n\té")
  out = []
  #expect(!XMLText.append("plain ü 🎉", to: &out))
  #expect(String(decoding: out, as: UTF8.self) == "plain ü 🎉")
  out = []
  XMLText.append("\"x\"", to: &out, attribute: true)
  #expect(String(decoding: out, as: UTF8.self) == "&quot;x&quot;")
}

@Test func sheetNamesAreMadeValid() {
  #expect(XLSXParts.validSheetName("Leads") == "Leads")
  #expect(XLSXParts.validSheetName("a/b\\c?d*e[f]g:h") == "a_b_c_d_e_f_g_h")
  #expect(XLSXParts.validSheetName("'quoted'") == "quoted")
  #expect(XLSXParts.validSheetName("   ") == "Sheet1")
  #expect(XLSXParts.validSheetName(String(repeating: "x", count: 40)).count == 31)
}
