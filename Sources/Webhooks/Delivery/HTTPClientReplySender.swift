import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Timers

/// Makes the outbox's requests with AsyncHTTPClient. Give it a client configured with
/// `redirectConfiguration: .disallow`, so a reply goes to the configured URL or nowhere and a receiver cannot
/// bounce signed answers or bot tokens to a third party.
package struct HTTPClientReplySender: ReplySender {
    /// Response bodies beyond this are not read: the outbox only needs small API answers.
    static let maxResponseBytes = 256 * 1024

    private let client: HTTPClient
    private let timeout: Duration

    /// Creates a sender on `client` (owned by the caller, which shuts it down); each request, its response body
    /// included, may take `timeout`.
    package init(client: HTTPClient, timeout: Duration = .seconds(30)) {
        self.client = client
        self.timeout = timeout
    }

    package func send(_ outgoing: OutgoingRequest) async throws -> ReplySendResult {
        var request = HTTPClientRequest(url: outgoing.url)
        request.method = HTTPMethod(rawValue: outgoing.method)
        for header in outgoing.headers { request.headers.add(name: header.name, value: header.value) }
        if !outgoing.body.isEmpty { request.body = .bytes(ByteBuffer(bytes: outgoing.body)) }
        // The client's own timeout covers only the wait for the response head: a receiver trickling its body a
        // byte at a time would keep one of the outbox's few reply slots for good.
        let result = try await withDeadline(ContinuousClock.now + self.timeout) { [request] in
            let response = try await self.client.execute(request, timeout: TimeAmount(self.timeout))
            // A body larger than the bound is not an answer the outbox understands; it is drained and dropped.
            let body = try? await response.body.collect(upTo: Self.maxResponseBytes)
            let retryAfter = response.headers.first(name: "retry-after").flatMap { Double($0) }
            return ReplySendResult(
                status: Int(response.status.code),
                retryAfter: retryAfter,
                body: body.map { Array($0.readableBytesView) } ?? []
            )
        }
        guard let result else { throw ReplySendTimeout(limit: self.timeout) }
        return result
    }
}

/// A reply request, its response body included, took longer than the sender's timeout.
struct ReplySendTimeout: Error, CustomStringConvertible {
    var limit: Duration

    var description: String { "no complete response within \(limit.components.seconds) s" }
}
