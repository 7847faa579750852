import BridgeTesting
import IRC
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

/// The network service against a server a test scripts line by line, for what a real server cannot be made to do on
/// cue: hang in the middle of registration, or change its CASEMAPPING mid-session.
@Suite(.timeLimit(.minutes(1)))
struct IRCNetworkServiceScriptedTests {
    /// A graceful shutdown waits up to the drain timeout for queued replies to go out, but only when they can: before
    /// the server has registered the bot (a reconnect under way, a server that hangs mid-registration) nothing is
    /// sent, so waiting would only hold up the whole process's shutdown.
    @Test func aShutdownBeforeRegistrationDoesNotWaitForQueuedLines() async throws {
        let server = try await ScriptedServer.start()
        defer { server.close() }
        let network = server.network(nick: "quietbot", drainTimeout: .seconds(30))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [network], logger: Logger(label: "test"))
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitUntil("the bot to start registering") { server.received.contains { $0.hasPrefix("NICK") } }
            let queued = network.answer("an answer", to: "#chan")
            #expect(queued)
            #expect(network.queueDepth == 1)
            let started = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await tasks.next()
            let took = ContinuousClock.now - started
            #expect(took < .seconds(20), "shutdown took \(took); the drain timeout is 30 s")
            #expect(!server.received.contains { $0.hasPrefix("PRIVMSG") }, "nothing is sent before registration")
        }
    }

    /// A server that takes the TCP connection and never answers the TLS handshake (a plain-text port given as TLS,
    /// a hung server) does not hold up a shutdown until the connect timeout. Before, SIGTERM waited out the whole
    /// handshake timeout (15 s by default; 40 s here).
    @Test func aShutdownDoesNotWaitForAHandshakeThatNeverEnds() async throws {
        let server = try await ScriptedServer.start()
        defer { server.close() }
        let network = server.network(nick: "tlsbot", tls: true, connector: TLSConnector(connectTimeout: .seconds(40)))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [network], logger: Logger(label: "test"))
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitUntil("the bot's TLS hello") { !server.connections.isEmpty && !server.received.isEmpty }
            let started = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await tasks.next()
            let took = ContinuousClock.now - started
            #expect(took < .seconds(20), "shutdown took \(took); the handshake timeout is 40 s")
        }
    }

    /// A connection the server never registers is a failure, however long it stayed open: only a registered
    /// session that lasts counts as stable. With the defaults the registration timeout (60 s) is as long as the
    /// stable minute, so a server that accepts connections and then hangs (services that never answer SASL, an
    /// overloaded ircd) would otherwise have the backoff reset after every attempt and be reconnected to every
    /// minute forever instead of every five. Scaled down here: 2 s registration timeout, 1 s stable time.
    @Test func connectionsThatNeverRegisterKeepBackingOff() async throws {
        let server = try await ScriptedServer.start()
        defer { server.close() }
        let network = server.network(
            nick: "hungbot",
            registrationTimeout: .seconds(2),
            reconnectBackoff: ReconnectBackoff(initial: .seconds(3), maximum: .minutes(5), stableAfter: .seconds(1))
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await network.run() }
            defer { tasks.cancelAll() }
            try await waitUntil("a fourth connection", timeout: .seconds(50)) { server.connections.count >= 4 }
            let connections = server.connections
            // Each attempt waits ~2 s for the registration timeout, then the backoff: 1.5–3 s, 3–6 s, 6–12 s.
            // Reset after every attempt, the last wait would be 1.5–3 s again.
            let lastGap = connections[3] - connections[2]
            #expect(lastGap >= .seconds(7), "the third reconnect came \(lastGap) after the previous attempt")
        }
    }

    /// An answer for a channel the bot was kicked from waits for the rejoin, also when the server changes its
    /// CASEMAPPING meanwhile: the line was queued under the channel's old folding, and must still be known as the
    /// channel's (under rfc1459, `#a[b]` is `#a{b}`).
    @Test func aHeldAnswerStillWaitsForTheRejoinAfterACaseMappingChange() async throws {
        let server = try await ScriptedServer.start()
        defer { server.close() }
        let network = server.network(nick: "heldbot", channels: ["#a[b]"])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await network.run() }
            defer { tasks.cancelAll() }
            try await waitUntil("the bot to register") { server.received.contains { $0.hasPrefix("USER") } }
            server.send(":irc.test 001 heldbot :Welcome")
            server.send(":irc.test 005 heldbot CASEMAPPING=ascii :are supported by this server")
            server.send(":irc.test 376 heldbot :End of /MOTD command.")
            try await waitUntil("the bot to join") { server.received.contains("JOIN #a[b]") }
            server.send(":heldbot!bot@test JOIN #a[b]")
            try await waitUntil("the join to be taken") { network.snapshot.unjoinedChannels.isEmpty }

            server.send(":op!op@test KICK #a[b] heldbot :out")
            try await waitUntil("the kick to be taken") { !network.snapshot.unjoinedChannels.isEmpty }
            let queued = network.answer("the answer", to: "#a[b]")
            #expect(queued)
            server.send(":irc.test 005 heldbot CASEMAPPING=rfc1459 :are supported by this server")
            server.send(":someone!u@test PRIVMSG heldbot :hello")
            // Once the bot has read the line after the 005, an answer elsewhere sets the queue going.
            try await Task.sleep(for: .milliseconds(200))
            network.answer("another answer", to: "someone")
            try await waitUntil("the other answer") { server.received.contains("PRIVMSG someone :another answer") }
            try await Task.sleep(for: .milliseconds(300))
            #expect(!server.received.contains("PRIVMSG #a[b] :the answer"), "held while the bot is out")

            server.send(":heldbot!bot@test JOIN #a{b}")
            try await waitUntil("the answer after the rejoin") {
                server.received.contains("PRIVMSG #a[b] :the answer")
            }
        }
    }

    /// A private answer still waiting in the flood queue when its asker changes nick follows them: sent to the old
    /// nick, it would reach whoever takes that nick next.
    @Test func queuedPrivateLinesFollowTheirAskerAcrossANickChange() async throws {
        let server = try await ScriptedServer.start()
        defer { server.close() }
        let network = server.network(nick: "pacedbot")
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await network.run() }
            defer { tasks.cancelAll() }
            try await waitUntil("the bot to register") { server.received.contains { $0.hasPrefix("USER") } }
            server.send(":irc.test 001 pacedbot :Welcome")
            server.send(":irc.test 376 pacedbot :End of /MOTD command.")
            try await waitUntil("the registration to be taken") { network.snapshot.isRegistered }

            let lines = (1...8).map { IRCMessage(command: "PRIVMSG", parameters: ["Alice", "line \($0)"]) }
            #expect(network.enqueue(lines, target: "Alice", expiresAt: .now + .seconds(60), settling: nil))
            try await waitUntil("the burst") { server.received.contains("PRIVMSG Alice :line 1") }
            server.send(":alice!u@test NICK alice_away")
            server.send(":mallory!m@test NICK alice")
            try await waitUntil("the last line", timeout: .seconds(30)) {
                server.received.contains("PRIVMSG alice_away :line 8")
            }
            let toOldNick = server.received.filter { $0.hasPrefix("PRIVMSG Alice ") }
            let toNewNick = server.received.filter { $0.hasPrefix("PRIVMSG alice_away ") }
            #expect(toOldNick.count + toNewNick.count == 8, "every line once: \(server.received)")
            #expect(!toNewNick.isEmpty && toOldNick.count < 8)
        }
    }

    /// A private answer still waiting in the flood queue when its asker quits has nobody to go to: sent to the nick,
    /// the rest of it would reach whoever takes that nick next, a stranger (or someone waiting for exactly that).
    @Test func queuedPrivateLinesAreDroppedWhenTheirAskerQuits() async throws {
        let server = try await ScriptedServer.start()
        defer { server.close() }
        let network = server.network(nick: "quitbot")
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await network.run() }
            defer { tasks.cancelAll() }
            try await waitUntil("the bot to register") { server.received.contains { $0.hasPrefix("USER") } }
            server.send(":irc.test 001 quitbot :Welcome")
            server.send(":irc.test 376 quitbot :End of /MOTD command.")
            try await waitUntil("the registration to be taken") { network.snapshot.isRegistered }

            let lines = (1...8).map { IRCMessage(command: "PRIVMSG", parameters: ["Alice", "secret \($0)"]) }
            #expect(network.enqueue(lines, target: "Alice", expiresAt: .now + .seconds(60), settling: nil))
            try await waitUntil("the burst") { server.received.contains("PRIVMSG Alice :secret 1") }
            server.send(":alice!u@test QUIT :Quit: bye")
            server.send(":mallory!m@test NICK alice")
            // Alice's queue has the next turn: had her lines stayed, the next one would go ahead of this one.
            network.answer("a later answer", to: "bob")
            try await waitUntil("the later answer", timeout: .seconds(30)) {
                server.received.contains("PRIVMSG bob :a later answer")
            }
            let leaked = server.received.filter { $0.lowercased().hasPrefix("privmsg alice ") }.dropFirst(4)
            #expect(leaked.isEmpty, "sent after alice quit: \(Array(leaked))")
        }
    }
}

/// A TCP server that records the lines it receives and answers only what a test sends with ``send(_:)``: an IRC
/// server stuck before registering its client, or one a test scripts line by line.
private final class ScriptedServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let recorder: LineRecorder

    var received: [String] { self.recorder.lines.withLock { $0 } }
    /// When each connection was accepted, oldest first.
    var connections: [ContinuousClock.Instant] { self.recorder.connections.withLock { $0 } }

    private init(channel: any Channel, recorder: LineRecorder) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.recorder = recorder
    }

    static func start() async throws -> ScriptedServer {
        let recorder = LineRecorder()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(recorder) }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return ScriptedServer(channel: channel, recorder: recorder)
    }

    /// A network service for this server: plain TCP, default pace and drain unless given.
    func network(
        nick: String,
        channels: [String] = [],
        drainTimeout: Duration = .seconds(10),
        registrationTimeout: Duration = .seconds(60),
        reconnectBackoff: ReconnectBackoff = ReconnectBackoff(),
        tls: Bool = false,
        connector: any IRCConnector = TLSConnector()
    ) -> IRCNetworkService {
        IRCNetworkService(
            configuration: IRCClientConfiguration(
                name: "test",
                host: "127.0.0.1",
                port: self.port,
                tls: .init(enabled: tls),
                nick: nick,
                channels: channels.map { .init(name: $0) },
                registrationTimeout: registrationTimeout
            ),
            connector: connector,
            drainTimeout: drainTimeout,
            reconnectBackoff: reconnectBackoff,
            logger: Logger(label: "test")
        )
    }

    /// Writes `line` (CRLF added) to the client connected last.
    func send(_ line: String) {
        guard let client = self.recorder.client.withLock({ $0 }) else { return }
        client.writeAndFlush(ByteBuffer(string: line + "\r\n"), promise: nil)
    }

    func close() {
        self.channel.close(promise: nil)
    }
}

/// Splits what a connection sends into lines and keeps them, and the connection, for a script to answer on.
private final class LineRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let lines = Mutex<[String]>([])
    let client = Mutex<(any Channel)?>(nil)
    let connections = Mutex<[ContinuousClock.Instant]>([])

    func channelActive(context: ChannelHandlerContext) {
        self.client.withLock { $0 = context.channel }
        self.connections.withLock { $0.append(.now) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let text = String(buffer: self.unwrapInboundIn(data))
        self.lines.withLock { $0 += text.split(whereSeparator: \.isNewline).map(String.init) }
    }
}

extension IRCNetworkService {
    /// Queues a one-line answer for `target`, as the bridge does, kept for a minute.
    @discardableResult
    fileprivate func answer(_ text: String, to target: String) -> Bool {
        self.enqueue(
            [IRCMessage(command: "PRIVMSG", parameters: [target, text])],
            target: target,
            expiresAt: .now + .seconds(60),
            settling: nil
        )
    }
}
