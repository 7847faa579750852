import BridgeTesting
import IRC
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

/// A graceful shutdown waits up to the drain timeout for queued replies to go out, but only when they can: before
/// the server has registered the bot (a reconnect under way, a server that hangs mid-registration) nothing is sent,
/// so waiting would only hold up the whole process's shutdown.
@Suite(.timeLimit(.minutes(1)))
struct IRCNetworkServiceQuitTests {
    @Test func aShutdownBeforeRegistrationDoesNotWaitForQueuedLines() async throws {
        let server = try await SilentServer.start()
        defer { server.close() }
        let network = IRCNetworkService(
            configuration: IRCClientConfiguration(
                name: "test",
                host: "127.0.0.1",
                port: server.port,
                tls: .init(enabled: false),
                nick: "quietbot"
            ),
            drainTimeout: .seconds(30),
            logger: Logger(label: "test")
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [network], logger: Logger(label: "test"))
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitUntil("the bot to start registering") { server.received.contains { $0.hasPrefix("NICK") } }
            let queued = network.enqueue(
                [IRCMessage(command: "PRIVMSG", parameters: ["#chan", "an answer"])],
                target: "#chan",
                expiresAt: .now + .seconds(60),
                settling: nil
            )
            #expect(queued)
            #expect(network.queueDepth == 1)
            let started = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await tasks.next()
            let took = ContinuousClock.now - started
            #expect(took < .seconds(5), "shutdown took \(took); the drain timeout is 30 s")
            #expect(!server.received.contains { $0.hasPrefix("PRIVMSG") }, "nothing is sent before registration")
        }
    }
}

/// A TCP server that accepts connections and never answers, recording the lines it receives: an IRC server stuck
/// before registering its client.
private final class SilentServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let recorder: LineRecorder

    var received: [String] { self.recorder.lines.withLock { $0 } }

    private init(channel: any Channel, recorder: LineRecorder) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.recorder = recorder
    }

    static func start() async throws -> SilentServer {
        let recorder = LineRecorder()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(recorder) }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return SilentServer(channel: channel, recorder: recorder)
    }

    func close() {
        self.channel.close(promise: nil)
    }
}

/// Splits what a connection sends into lines and keeps them.
private final class LineRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let lines = Mutex<[String]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let text = String(buffer: self.unwrapInboundIn(data))
        self.lines.withLock { $0 += text.split(whereSeparator: \.isNewline).map(String.init) }
    }
}
