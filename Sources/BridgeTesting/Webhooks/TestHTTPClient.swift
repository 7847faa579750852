import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for tests: one request per connection over plain TCP, with the body sent whole
/// (`Content-Length`) or in chunks (`Transfer-Encoding: chunked`), so tests can exercise a server's size limits
/// both ways. Every call has a timeout.
package enum TestHTTPClient {
    /// A response as the test sees it.
    package struct Response: Sendable {
        /// The status code.
        package var status: Int
        /// Header names lowercased; a repeated header keeps its last value.
        package var headers: [String: String]
        /// The raw body.
        package var body: Data

        /// The body parsed as a JSON object, if it is one.
        package var json: [String: any Sendable]? {
            (try? JSONSerialization.jsonObject(with: self.body)) as? [String: any Sendable]
        }
    }

    /// The request did not complete in time.
    package struct Timeout: Error, CustomStringConvertible {
        package var description: String { "HTTP request timed out" }
    }

    /// How the body travels.
    package enum BodyFraming: Sendable {
        /// One `Content-Length` body (unless a `content-length` header is given explicitly).
        case contentLength
        /// `Transfer-Encoding: chunked`, in chunks of this many bytes.
        case chunked(Int)
    }

    /// Sends one request to `127.0.0.1:port` (or `host`) and returns the complete response.
    package static func send(
        method: String = "POST",
        host: String = "127.0.0.1",
        port: Int,
        path: String,
        headers: [(String, String)] = [],
        body: Data = Data(),
        framing: BodyFraming = .contentLength,
        // Only a bound on how late a response that does come may be: a burst of requests on a loaded machine can
        // take many times longer than on a quiet one.
        timeout: Duration = .seconds(60)
    ) async throws -> Response {
        try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask {
                try await self.exchange(method, host, port, path, headers, body, framing)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let response = try await group.next() ?? nil else { throw Timeout() }
            return response
        }
    }

    private static func exchange(
        _ method: String,
        _ host: String,
        _ port: Int,
        _ path: String,
        _ extraHeaders: [(String, String)],
        _ body: Data,
        _ framing: BodyFraming
    ) async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders([("host", "\(host):\(port)"), ("connection", "close")])
            for (name, value) in extraHeaders { headers.add(name: name, value: value) }
            var chunks = [body]
            switch framing {
            case .contentLength:
                if !headers.contains(name: "content-length") {
                    headers.add(name: "content-length", value: String(body.count))
                }
            case .chunked(let size):
                headers.add(name: "transfer-encoding", value: "chunked")
                chunks = stride(from: 0, to: body.count, by: max(size, 1)).map {
                    body.subdata(in: $0..<min($0 + size, body.count))
                }
            }
            // One write for the whole request: a server may answer (and close, as asked) as soon as it has the
            // head of a request without a body, so an `.end` written separately could find the channel closed.
            let head = HTTPRequestHead(
                version: .http1_1,
                method: HTTPMethod(rawValue: method),
                uri: path,
                headers: headers
            )
            var parts: [HTTPClientRequestPart] = [.head(head)]
            for chunk in chunks where !chunk.isEmpty {
                parts.append(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
            }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)
            var response = Response(status: 0, headers: [:], body: Data())
            for try await part in inbound {
                switch part {
                case .head(let head):
                    response.status = Int(head.status.code)
                    for (name, value) in head.headers { response.headers[name.lowercased()] = value }
                case .body(let buffer):
                    response.body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    return response
                }
            }
            return response
        }
    }
}
