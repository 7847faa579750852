import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Makes the outbox's requests with AsyncHTTPClient. Give it a client configured with
/// `redirectConfiguration: .disallow`, so a reply goes to the configured URL or nowhere and a receiver cannot
/// bounce signed answers or bot tokens to a third party.
package struct HTTPClientReplySender: ReplySender {
    /// Response bodies beyond this are not read: the outbox only needs small API answers.
    static let maxResponseBytes = 256 * 1024

    private let client: HTTPClient
    private let timeout: TimeAmount

    /// Creates a sender on `client` (owned by the caller, which shuts it down); each request may take `timeout`.
    package init(client: HTTPClient, timeout: Duration = .seconds(30)) {
        self.client = client
        self.timeout = TimeAmount(timeout)
    }

    package func send(_ outgoing: OutgoingRequest) async throws -> ReplySendResult {
        var request = HTTPClientRequest(url: outgoing.url)
        request.method = HTTPMethod(rawValue: outgoing.method)
        for header in outgoing.headers { request.headers.add(name: header.name, value: header.value) }
        if !outgoing.body.isEmpty { request.body = .bytes(ByteBuffer(bytes: outgoing.body)) }
        let response = try await self.client.execute(request, timeout: self.timeout)
        // A body larger than the bound is not an answer the outbox understands; it is drained and dropped.
        let body = (try? await response.body.collect(upTo: Self.maxResponseBytes)).map { Array($0.readableBytesView) }
        let retryAfter = response.headers.first(name: "retry-after").flatMap { Double($0) }
        return ReplySendResult(status: Int(response.status.code), retryAfter: retryAfter, body: body ?? [])
    }
}
