import NIOCore
import NIOHTTP1
import NIOPosix
import Webhooks

/// The listening half of the stub HTTP servers (GoAPI, webhook receivers, chat APIs): binds a free loopback port,
/// hands each connection to the stub, and stops without leaving one open.
///
/// Every connection is held from its set-up until the accept loop takes it (``AcceptedConnections``). Closing the
/// listener or cancelling the loop drops a connection NIO is still handing over, unclosed, and NIO traps on that
/// ("Deinited NIOAsyncWriter without calling finish()", swift-nio#2813): a request arriving just as a test ended
/// crashed the whole test run, in two clean-clone CI runs.
package struct StubHTTPListener: Sendable {
    package typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private let channel: NIOAsyncChannel<Connection, Never>
    private let accepted: AcceptedConnections<HTTPServerRequestPart, HTTPServerResponsePart>

    /// `http://127.0.0.1:<port>`.
    package let baseURL: String

    private init(
        channel: NIOAsyncChannel<Connection, Never>,
        accepted: AcceptedConnections<HTTPServerRequestPart, HTTPServerResponsePart>
    ) {
        self.channel = channel
        self.accepted = accepted
        self.baseURL = "http://127.0.0.1:\(channel.channel.localAddress?.port ?? 0)"
    }

    /// Listens on a free loopback port.
    package static func bind() async throws -> StubHTTPListener {
        let accepted = AcceptedConnections<HTTPServerRequestPart, HTTPServerResponsePart>()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    let connection = try Connection(wrappingChannelSynchronously: child)
                    accepted.hold(connection)
                    return connection
                }
            }
        return StubHTTPListener(channel: channel, accepted: accepted)
    }

    /// Runs `body` while `serve` handles each connection (and closes it through `executeThenClose`); then closes the
    /// listener, cancels and awaits the connections being served, and closes those never served.
    package func run<T: Sendable>(
        serving serve: @escaping @Sendable (Connection) async -> Void,
        _ body: () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.acceptConnections(serve) }
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            try? await self.channel.channel.close()
            try? await group.next()
            self.accepted.closeUnclaimed()
            return try result.get()
        }
    }

    private func acceptConnections(_ serve: @escaping @Sendable (Connection) async -> Void) async {
        await withDiscardingTaskGroup { group in
            // Ends when the listener closes; an error here is the listener failing, after which nothing arrives.
            try? await self.channel.executeThenClose { inbound in
                for try await connection in inbound {
                    self.accepted.taken(connection)
                    group.addTask { await serve(connection) }
                }
            }
            group.cancelAll()
        }
    }
}
