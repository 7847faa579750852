import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// One IRC network for the lifetime of the process: connects, runs the session, and reconnects with backoff
/// after every failure until graceful shutdown, when it sends `QUIT` and returns.
///
/// The protocol decisions live in ``IRCClientStateMachine``; this type only moves bytes, runs timers and
/// enforces flood control. Lines queued for sending survive a reconnect (until they expire).
package final class IRCNetworkService: Service, Sendable {
    /// Read-only view of the session for the bridge (line lengths, capabilities, readiness).
    package struct Snapshot: Sendable {
        /// Our current nick.
        package var nick: String
        /// Our user and host, when known.
        package var userHost: (user: String, host: String)?
        /// The server's ISUPPORT.
        package var isupport: ISupport
        /// Acknowledged IRCv3 capabilities.
        package var capabilities: Set<String>
        /// Registration finished on the current connection.
        package var isRegistered: Bool
        /// Every configured channel is joined.
        package var isFullyJoined: Bool
        /// Each configured channel the bot is not in, with why; see ``IRCClientStateMachine/unjoinedChannels``.
        package var unjoinedChannels: [String: String]
        /// The longest nick in bytes the bot has or may come back under after a reconnect, which lines queued now
        /// must fit with (see ``IRCClientConfiguration/longestNickBytes``).
        package var longestNickBytes: Int

        /// Creates a snapshot; the service builds them, and test fakes too.
        package init(
            nick: String,
            userHost: (user: String, host: String)? = nil,
            isupport: ISupport = ISupport(),
            capabilities: Set<String> = [],
            isRegistered: Bool = true,
            isFullyJoined: Bool = true,
            unjoinedChannels: [String: String] = [:],
            longestNickBytes: Int? = nil
        ) {
            self.nick = nick
            self.userHost = userHost
            self.isupport = isupport
            self.capabilities = capabilities
            self.isRegistered = isRegistered
            self.isFullyJoined = isFullyJoined
            self.unjoinedChannels = unjoinedChannels
            self.longestNickBytes = max(longestNickBytes ?? 0, nick.utf8.count)
        }
    }

    /// A line in the flood queue, serialized with its CR LF. The last line of an answer carries the asker's held
    /// shutdown notice, withdrawn only once that line is written: until then the answer is not out.
    struct QueuedLine: Sendable {
        var text: String
        var settles: ShutdownNotices.ID?

        /// The line sent to `new` instead when it is a PRIVMSG or NOTICE to `old` (a person who changed nick while
        /// their private answer waited); any other line as it is.
        func retargeted(from old: String, to new: String, caseMapping: CaseMapping) -> QueuedLine {
            guard self.text.hasSuffix("\r\n"),
                var message = try? IRCMessage(parsing: String(decoding: self.text.utf8.dropLast(2), as: UTF8.self)),
                message.command == "PRIVMSG" || message.command == "NOTICE",
                let target = message.parameters.first, caseMapping.fold(target) == caseMapping.fold(old)
            else { return self }
            message.parameters[0] = new
            guard let line = try? message.checkedSerialization() else { return self }
            return QueuedLine(text: line + "\r\n", settles: self.settles)
        }
    }

    struct State: Sendable {
        var machine: IRCClientStateMachine
        /// Outgoing lines queued per target.
        var flood: FloodControl<QueuedLine, ContinuousClock.Instant>
        var outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>?
        /// Wakes the current session's writer; per session, because cancelling a consumer finishes an AsyncStream.
        var writerWakeup: AsyncStream<Void>.Continuation?
        /// Lines owed to people whose answers are not out yet, sent only ahead of a QUIT.
        var shutdownNotices = ShutdownNotices()
        /// Lines the write loop has taken from the flood queue and is writing now.
        var linesBeingWritten = 0
        /// Whether the server has sent an IRC line on this connection. One that closes without one, in plain text,
        /// is most often a TLS port given without `tls`: InspIRCd answers with a TLS alert, which is no IRC line.
        var serverSpoke = false
    }

    package let configuration: IRCClientConfiguration
    let connector: any IRCConnector
    /// How long graceful shutdown waits for queued lines before sending QUIT.
    let drainTimeout: Duration
    /// The flood bucket's burst, which also bounds the shutdown notices sent at once ahead of a QUIT.
    let floodBurst: Int
    /// The reconnect pacing, as configured (the documented defaults unless a test needs shorter ones).
    let reconnectBackoff: ReconnectBackoff
    let logger: Logger
    let metrics: IRCNetworkMetrics
    let state: Mutex<State>
    let eventStream: (stream: AsyncStream<IRCClientEvent>, continuation: AsyncStream<IRCClientEvent>.Continuation)

    /// Events for the bridge: messages, joins, kicks, registration. Ends when the service stops.
    package var events: AsyncStream<IRCClientEvent> { self.eventStream.stream }

    /// Creates the service; `floodBurst`/`floodInterval` configure the token bucket, `drainTimeout` bounds how long
    /// shutdown waits for queued lines, `reconnectBackoff` paces reconnects.
    package init(
        configuration: IRCClientConfiguration,
        connector: any IRCConnector = TLSConnector(),
        floodBurst: Int = 4,
        floodInterval: Duration = .seconds(2),
        drainTimeout: Duration = .seconds(10),
        reconnectBackoff: ReconnectBackoff = ReconnectBackoff(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.connector = connector
        self.drainTimeout = drainTimeout
        self.floodBurst = floodBurst
        self.reconnectBackoff = reconnectBackoff
        var logger = logger
        logger[metadataKey: "irc.network"] = .string(configuration.name)
        self.logger = logger
        self.metrics = IRCNetworkMetrics(network: configuration.name)
        self.state = Mutex(
            State(
                machine: IRCClientStateMachine(configuration: configuration),
                flood: FloodControl(configuration: .init(burst: floodBurst, interval: floodInterval)),
                outbound: nil,
                writerWakeup: nil
            )
        )
        self.eventStream = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// The current session as the bridge needs it.
    package var snapshot: Snapshot {
        self.state.withLock { state in
            Snapshot(
                nick: state.machine.nick,
                userHost: state.machine.userHost,
                isupport: state.machine.isupport,
                capabilities: state.machine.enabledCapabilities,
                isRegistered: state.machine.isRegistered,
                isFullyJoined: state.machine.isFullyJoined,
                unjoinedChannels: state.machine.unjoinedChannels,
                longestNickBytes: state.machine.configuration.longestNickBytes
            )
        }
    }

    /// Queues messages for `target` through flood control, all or none; they are dropped if still unsent at
    /// `expiresAt`. Returns `false` when the target's queue is full. See
    /// ``IRCNetworkConnection/enqueue(_:target:expiresAt:settling:)`` for `settling`.
    @discardableResult
    package func enqueue(
        _ messages: [IRCMessage],
        target: String,
        expiresAt: ContinuousClock.Instant,
        settling notice: ShutdownNotices.ID?
    ) -> Bool {
        var lines = messages.compactMap { self.wireLine($0).map { QueuedLine(text: String(buffer: $0)) } }
        if !lines.isEmpty { lines[lines.count - 1].settles = notice }
        return self.state.withLock { state in
            let result = state.flood.enqueue(
                contentsOf: lines,
                target: state.machine.fold(target),
                expiresAt: expiresAt
            )
            state.writerWakeup?.yield()
            self.metrics.queue(depth: state.flood.queueDepth)
            if let notice, lines.isEmpty || result == .full { state.shutdownNotices.withdraw(notice) }
            switch result {
            case .queued: return true
            case .full: return false
            }
        }
    }

    /// Writes `message` at once if registered and the flood bucket has a token to spare (see
    /// ``FloodControl/takeSpareToken(now:holding:)``), else drops it; for best-effort lines such as typing indicators,
    /// which are stale by the time a token comes. Never queued, so it cannot hold back a reply; always paid for
    /// with a token, so it cannot push the connection past the server's flood limit. A failed write is not
    /// reported: the connection is gone and the session ending says so.
    package func sendIfSpare(_ message: IRCMessage) async {
        guard let line = self.wireLine(message) else { return }
        let outbound = self.state.withLock { state -> NIOAsyncChannelOutboundWriter<ByteBuffer>? in
            guard state.machine.isRegistered, let outbound = state.outbound,
                state.flood.takeSpareToken(now: .now, holding: state.machine.channelsAwaitingJoin)
            else { return nil }
            return outbound
        }
        guard let outbound else { return }
        if (try? await outbound.write(line)) != nil { self.metrics.sent() }
    }

    /// Holds `message` to be sent only if the bot quits before the answer is out; see ``ShutdownNotices``.
    package func holdShutdownNotice(_ message: IRCMessage) -> ShutdownNotices.ID {
        // Serialized only if it is ever sent: nearly every notice is withdrawn unsent.
        self.state.withLock { $0.shutdownNotices.hold(message) }
    }

    /// Withdraws a notice held by ``holdShutdownNotice(_:)`` whose question will not be answered (refused as busy);
    /// an answer's notice is settled by its lines instead.
    package func withdrawShutdownNotice(_ id: ShutdownNotices.ID) {
        self.state.withLock { $0.shutdownNotices.withdraw(id) }
    }

    /// The distinct shutdown notices held now (``ShutdownNotices/all``), for status and tests.
    package var heldShutdownNotices: [IRCMessage] {
        self.state.withLock { $0.shutdownNotices.all }
    }

    /// Lines waiting in the flood queue.
    package var queueDepth: Int {
        self.state.withLock { $0.flood.queueDepth }
    }

    package func run() async throws {
        var backoff = self.reconnectBackoff
        defer { self.eventStream.continuation.finish() }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var reason: IRCDisconnectReason?
            var connected = false
            do {
                // A shutdown does not wait for a connection still being made (a server that never answers).
                let channel = try await cancelWhenGracefulShutdown {
                    try await self.connector.connect(to: self.configuration)
                }
                // TLS and registration come next: only `registered` says the connection works.
                self.logger.info(
                    "TCP connection open",
                    metadata: ["irc.host": "\(self.configuration.host)", "irc.port": "\(self.configuration.port)"]
                )
                connected = true
                reason = try await self.runSession(channel)
            } catch  where Task.isCancelled {
                break
            } catch  where Task.isShuttingDownGracefully {
                // A connection given up for the shutdown, or ended by it: nothing failed.
            } catch {
                self.logger.warning(
                    "connection failed",
                    metadata: ["error": "\(IRCConnectionFailure.describe(error, host: self.configuration.host))"]
                )
            }
            // Only a registered session counts towards the stable minute: a server that accepts connections and
            // then never registers them must be backed off from like one that refuses them.
            let (registeredAt, serverSpoke) = self.state.withLock { state in
                let registeredAt = state.machine.registeredAt
                state.machine.disconnected()
                state.outbound = nil
                state.writerWakeup = nil
                defer { state.serverSpoke = false }
                return (registeredAt, state.serverSpoke)
            }
            self.metrics.record(.disconnected)
            if reason == .shutdown || Task.isShuttingDownGracefully || Task.isCancelled { break }
            self.metrics.reconnecting()
            let unit = Double.random(in: 0...1)
            // Causes a quick reconnect cannot fix: logged as errors, and waited out longer.
            let operatorCause: (delay: Duration, message: Logger.Message, reason: String)? =
                switch reason {
                case .authenticationFailed(let failure):
                    (
                        backoff.nextDelayAfterFailedLogin(unit: unit),
                        "SASL login failed; check sasl.username and sasl.password (or the client certificate for EXTERNAL)",
                        failure
                    )
                case let reason? where reason.needsOperator:
                    (
                        backoff.nextDelayAfterRefusal(unit: unit),
                        "the server refused the bot; check the server password, or whether the bot is banned (K-line)",
                        "\(reason)"
                    )
                default: nil
                }
            if let (delay, message, reason) = operatorCause {
                self.logger.error(message, metadata: ["irc.reason": "\(reason)", "irc.retry_in_s": "\(delay)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                continue
            }
            let delay = backoff.nextDelay(
                afterUptime: registeredAt.map { ContinuousClock.now - $0 } ?? .zero,
                unit: unit
            )
            let closedSilently = reason == nil && connected && !serverSpoke
            self.logger.notice(
                "disconnected; reconnecting",
                metadata: [
                    "irc.reason":
                        "\(reason.map { "\($0)" } ?? (closedSilently ? self.silentCloseReason : "connection closed"))",
                    "irc.retry_in_s": "\(delay)",
                ]
            )
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        }
    }

    /// Why a connection ended when the server closed it without sending an IRC line.
    private var silentCloseReason: String {
        self.configuration.tls.enabled
            ? "connection closed before the server sent an IRC line"
            : "connection closed before the server sent an IRC line (if this is the server's TLS port, set tls: true)"
    }
}
