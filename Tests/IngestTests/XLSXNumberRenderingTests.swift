import Testing

@testable import Ingest

private func number(_ text: String) -> String? {
  Array(text.utf8).withUnsafeBufferPointer { NumberRendering.number($0) }
}

@Test(arguments: [
  ("33612345678", "33612345678"), ("123456789012345", "123456789012345"),
  ("1.23456789012345E+14", "123456789012345"), ("1E+15", "1000000000000000"),
  ("-42", "-42"), ("0", "0"), ("-0", "0"), ("007", "7"), ("2.1000000000000001", "2.1"),
  ("0.1", "0.1"), ("1E-3", "0.001"), ("1.5e-7", "0.00000015"), ("-3.75", "-3.75"),
  ("12345.678", "12345.678"), ("1e+19", "10000000000000000000"), ("1E+21", "1e+21"),
  ("1e-20", "1e-20"),
])
func numbersRenderWithoutExponentOrTrailingZero(input: String, expected: String) {
  #expect(number(input) == expected)
}

@Test func nonNumbersAreNotNumbers() {
  #expect(number("abc") == nil)
  #expect(number("inf") == nil)
  #expect(number("nan") == nil)
  #expect(number("0x10") == nil)
  #expect(number("1.2.3") == nil)
}

@Test func dateSerialsIn1900And1904Systems() {
  #expect(NumberRendering.date(1, style: .date, date1904: false) == "1900-01-01")
  #expect(NumberRendering.date(59, style: .date, date1904: false) == "1900-02-28")
  #expect(NumberRendering.date(60, style: .date, date1904: false) == "1900-02-29")
  #expect(NumberRendering.date(61, style: .date, date1904: false) == "1900-03-01")
  #expect(NumberRendering.date(45352, style: .date, date1904: false) == "2024-03-01")
  #expect(NumberRendering.date(2_958_465, style: .date, date1904: false) == "9999-12-31")
  #expect(NumberRendering.date(0, style: .date, date1904: true) == "1904-01-01")
  #expect(NumberRendering.date(43890, style: .date, date1904: true) == "2024-03-01")
  #expect(
    NumberRendering.date(45352.395833333336, style: .dateTime, date1904: false)
      == "2024-03-01T09:30:00")
  // A time format shows the time of day; with a date part it keeps the date.
  #expect(NumberRendering.date(0.3958333333333333, style: .time, date1904: false) == "09:30:00")
  #expect(NumberRendering.date(45352.5, style: .time, date1904: false) == "2024-03-01T12:00:00")
  // Rounded to the second: 23:59:59.9996 is the next day.
  #expect(
    NumberRendering.date(0.999_999_995, style: .dateTime, date1904: false) == "1900-01-01T00:00:00")
  #expect(NumberRendering.date(1.5208333333333333, style: .elapsed, date1904: false) == "36:30:00")
  #expect(NumberRendering.date(5, style: .elapsed, date1904: false) == "120:00:00")
  #expect(NumberRendering.date(-1, style: .date, date1904: false) == nil)
  #expect(NumberRendering.date(3_000_000, style: .date, date1904: false) == nil)
}

@Test(arguments: [
  ("yyyy-mm-dd", NumberStyle.date), ("d/m/yy", .date), ("mmm-yy", .date),
  ("dd/mm/yyyy hh:mm", .dateTime), ("yyyy\\-mm\\-dd\\ hh:mm", .dateTime), ("h:mm", .time),
  ("h:mm AM/PM", .time), ("mm:ss", .time), ("hh:mm:ss.000", .time), ("[h]:mm", .elapsed),
  ("[mm]:ss", .elapsed), ("[$-409]mmmm\\ d\\,\\ yyyy;@", .date), ("[Red]yyyy-mm-dd", .date),
  ("General", .number), ("0.00E+00", .number), ("#,##0.00 \"EUR\"", .number),
  ("\"Day \"0", .number), ("0\\d", .number), ("[Blue]#,##0;[Red]-#,##0", .number), ("@", .number),
  ("_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)", .number),
])
func customFormatsAreClassified(code: String, style: NumberStyle) {
  #expect(NumberStyle.classify(code) == style)
}

@Test func builtinFormatIds() {
  for id in [14, 15, 16, 17, 27, 30, 31, 36, 50, 57, 58] {
    #expect(NumberStyle.builtin(id) == .date)
  }
  for id in [18, 19, 20, 21, 32, 45, 47, 55] { #expect(NumberStyle.builtin(id) == .time) }
  #expect(NumberStyle.builtin(22) == .dateTime)
  #expect(NumberStyle.builtin(46) == .elapsed)
  for id in [0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 37, 44, 48, 49] {
    #expect(NumberStyle.builtin(id) == .number)
  }
}

@Test func ooxmlEscapesAndPaths() {
  #expect(decodeOOXMLEscapes("a_x000D_b") == "a\rb")
  #expect(decodeOOXMLEscapes("_x005F_x000D_") == "_x000D_")
  #expect(decodeOOXMLEscapes("snake_case_name") == "snake_case_name")
  #expect(Workbook.resolvePath("worksheets/sheet1.xml", from: "xl") == "xl/worksheets/sheet1.xml")
  #expect(Workbook.resolvePath("/xl/styles.xml", from: "xl") == "xl/styles.xml")
  #expect(Workbook.resolvePath("../xl/a.xml", from: "xl/sub") == "xl/xl/a.xml")
  #expect(SheetReader.isoDate("2024-03-01T09:30:00.000Z") == "2024-03-01T09:30:00")
}
