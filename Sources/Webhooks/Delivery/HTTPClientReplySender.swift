import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Delivers replies with AsyncHTTPClient. Give it a client configured with `redirectConfiguration: .disallow`, so a
/// reply goes to the configured URL or nowhere and a receiver cannot bounce signed answers to a third party.
package struct HTTPClientReplySender: ReplySender {
    private let client: HTTPClient
    private let timeout: TimeAmount

    /// Creates a sender on `client` (owned by the caller, which shuts it down); each POST may take `timeout`.
    package init(client: HTTPClient, timeout: Duration = .seconds(30)) {
        self.client = client
        self.timeout = TimeAmount(timeout)
    }

    package func post(
        url: String,
        headers: [(name: String, value: String)],
        body: [UInt8]
    ) async throws
        -> ReplySendResult
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await self.client.execute(request, timeout: self.timeout)
        // The receiver's body is not needed, but must be drained (up to a bound) to free the connection.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        let retryAfter = response.headers.first(name: "retry-after").flatMap { Double($0) }
        return ReplySendResult(status: Int(response.status.code), retryAfter: retryAfter)
    }
}
