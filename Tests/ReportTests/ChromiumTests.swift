import Foundation
import Testing

@testable import Report

/// The path of Chromium, or `nil` when it is not installed.
let chromiumPath: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

@Suite struct ChromiumTests {
  /// Renders the HTML report in headless Chromium: the charts must be in the DOM
  /// and the console must be free of errors.
  @Test(.enabled(if: chromiumPath != nil, "chromium is not installed: HTML check skipped"))
  func htmlRendersInChromiumWithoutErrors() throws {
    let temp = try TempStore()
    let html = HTMLRenderer().render(try sampleReport(temp))
    let file = temp.folder.appendingPathComponent("report.html")
    try Data(html.utf8).write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromiumPath!)
    process.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
      "--user-data-dir=\(temp.folder.appendingPathComponent("profile").path)",
      "--dump-dom", file.absoluteString,
    ]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    for chart in ["found-rates", "status-breakdown", "coverage", "by-0"] {
      #expect(dom.contains("data-chart=\"\(chart)\""), "chart \(chart) missing from the DOM")
    }
    #expect(dom.components(separatedBy: "class=\"bar\"").count > 10)
    // The account's bill and the API the job used are on the page.
    #expect(dom.contains("The account's bill"))
    #expect(dom.contains("Charged (account)"))
    #expect(dom.contains("API: sync"))
    #expect(!log.contains("Uncaught"))
    #expect(!log.contains("ERROR:CONSOLE"))
  }
}
