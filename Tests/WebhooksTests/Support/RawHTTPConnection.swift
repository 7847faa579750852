import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A plain TCP connection to a test server that sends exactly the bytes a test writes and records everything the
/// server sends back, and whether it closed the connection: for what ``TestHTTPClient`` cannot do (pipelining,
/// `Expect: 100-continue`, partial requests, clients that stall).
final class RawHTTPConnection: Sendable {
    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects to `127.0.0.1:port`.
    static func connect(port: Int) async throws -> RawHTTPConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawHTTPConnection(channel: channel, collector: collector)
    }

    /// Sends `text` as it is (use `\r\n` line ends).
    func send(_ text: String) async throws {
        try await self.send(Array(text.utf8))
    }

    /// Sends `bytes` as they are.
    func send(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Everything the server has sent so far, as text.
    var received: String {
        String(decoding: self.collector.state.withLock { $0.bytes }, as: UTF8.self)
    }

    /// Whether the server has closed the connection (or it failed).
    var isClosed: Bool {
        self.collector.state.withLock { $0.closed }
    }

    /// Waits until what has been received satisfies `condition`, for at most `timeout`; returns whether it did.
    func waitForReceived(timeout: Duration, _ condition: (String) -> Bool) async throws -> Bool {
        try await WebhookTestHarness.eventually(timeout: timeout) { condition(self.received) }
    }

    /// Waits until the server closes the connection, for at most `timeout`; returns whether it did.
    func waitForClose(timeout: Duration) async throws -> Bool {
        try await WebhookTestHarness.eventually(timeout: timeout) { self.isClosed }
    }

    /// Closes the connection from this side.
    func close() async {
        try? await self.channel.close()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer

        let state = Mutex<(bytes: [UInt8], closed: Bool)>(([], false))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = Self.unwrapInboundIn(data)
            self.state.withLock { $0.bytes.append(contentsOf: buffer.readableBytesView) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.state.withLock { $0.closed = true }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
