import AsyncHTTPClient
import Foundation
import NIOCore

extension ProntoClient {
  /// `GET {base}/account`: whether the key is accepted, and who it belongs to.
  public func account() async -> AccountAnswer {
    await get(path: "/account")
  }

  /// `GET {base}/credits`: the account's credit balance, as the server says it.
  public func credits() async -> AccountAnswer {
    await get(path: "/credits")
  }

  private func get(path: String) async -> AccountAnswer {
    do {
      var http = HTTPClientRequest(url: configuration.baseURL + path)
      http.method = .GET
      http.headers.add(name: "Accept", value: "application/json")
      http.headers.add(name: "User-Agent", value: configuration.userAgent)
      http.headers.add(name: "X-API-KEY", value: apiKey.secret)
      let response = try await self.http.execute(
        http, deadline: .now() + TimeAmount(configuration.requestTimeout), logger: logger)
      let bytes = try await response.body.collect(upTo: configuration.maxBodyBytes)
      return AccountAnswer.classify(
        status: Int(response.status.code), body: Data(bytes.readableBytesView),
        redact: apiKey.redact)
    } catch {
      return .failed(
        "no answer from \(configuration.baseURL + path): \(Self.classify(error: error, bodyStarted: false).label)"
      )
    }
  }
}
