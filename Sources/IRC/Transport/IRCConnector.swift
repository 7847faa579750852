import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Opens connections to an IRC server. A protocol so tests can substitute connectors that fail or never connect.
package protocol IRCConnector: Sendable {
    /// Connects and returns a channel that yields framed lines and accepts raw bytes.
    func connect(
        to configuration: IRCClientConfiguration
    ) async throws -> NIOAsyncChannel<IRCLineFramer.Frame, ByteBuffer>
}

/// The real connector: TCP, then TLS verified against the system trust store (plus `caFile`), unless the
/// configuration explicitly turns TLS or verification off.
package struct TLSConnector: IRCConnector {
    let eventLoopGroup: any EventLoopGroup
    let connectTimeout: TimeAmount

    /// Creates a connector on `eventLoopGroup`.
    package init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        connectTimeout: TimeAmount = .seconds(15)
    ) {
        self.eventLoopGroup = eventLoopGroup
        self.connectTimeout = connectTimeout
    }

    package func connect(
        to configuration: IRCClientConfiguration
    ) async throws -> NIOAsyncChannel<IRCLineFramer.Frame, ByteBuffer> {
        let sslContext = try configuration.tls.enabled ? Self.makeSSLContext(configuration.tls) : nil
        let serverHostname = Self.isIPAddress(configuration.host) ? nil : configuration.host
        let handshakeTimeout = self.connectTimeout
        let attempt = ConnectAttempt()
        // NIO can cancel neither a TCP connect nor a TLS handshake: cancelled, the attempt closes its channel, which
        // fails whichever is under way. A server that never answers held a shutdown for the connect timeout.
        let (channel, handshake) = try await withTaskCancellationHandler {
            try await ClientBootstrap(group: self.eventLoopGroup)
                .connectTimeout(self.connectTimeout)
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        guard attempt.begin(channel) else { throw CancellationError() }
                        var handshake: EventLoopFuture<Void>?
                        if let sslContext {
                            let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                            let waiter = TLSHandshakeWaiter(eventLoop: channel.eventLoop, timeout: handshakeTimeout)
                            try channel.pipeline.syncOperations.addHandlers(handler, waiter)
                            handshake = waiter.handshake
                        }
                        let framer = IRCLineFramer()
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(framer, maximumBufferSize: framer.maximumBufferedBytes)
                        )
                        let wrapped = try NIOAsyncChannel<IRCLineFramer.Frame, ByteBuffer>(
                            wrappingChannelSynchronously: channel
                        )
                        return (wrapped, handshake)
                    }
                }
        } onCancel: {
            attempt.cancel()
        }
        // Returned only once TLS is up, so a failed handshake is this call's error, with the certificate problem
        // in it (see TLSHandshakeWaiter).
        do {
            try await withTaskCancellationHandler {
                try await handshake?.get()
            } onCancel: {
                attempt.cancel()
            }
            try Task.checkCancellation()
        } catch {
            // An async channel must be closed through `executeThenClose`; the handshake already closed the socket.
            try? await channel.executeThenClose { _, _ in }
            throw Task.isCancelled ? CancellationError() : error
        }
        return channel
    }

    /// Builds the TLS context; a file that cannot be used is a ``TLSFileProblem`` naming it.
    static func makeSSLContext(_ tls: IRCClientConfiguration.TLS) throws -> NIOSSLContext {
        let files = try TLSFiles(tls)
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !tls.verify {
            configuration.certificateVerification = .none
        }
        if !files.trustRoots.isEmpty {
            configuration.additionalTrustRoots = [.certificates(files.trustRoots)]
        }
        if let key = files.privateKey {
            configuration.certificateChain = files.certificateChain.map { .certificate($0) }
            configuration.privateKey = .privateKey(key)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw files.pairProblem(tls) ?? error
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

/// The channel of one connection attempt, so that cancelling the attempt can close it. The channel is known once
/// the bootstrap has made it, before its TCP connect; cancelled before that, the attempt refuses to begin.
private final class ConnectAttempt: Sendable {
    private enum State {
        case starting
        case begun(any Channel)
        case cancelled
    }

    private let state = Mutex(State.starting)

    /// Records the attempt's channel; false when the attempt was cancelled already.
    func begin(_ channel: any Channel) -> Bool {
        self.state.withLock { state in
            guard case .starting = state else { return false }
            state = .begun(channel)
            return true
        }
    }

    /// Closes the attempt's channel, or keeps one from beginning.
    func cancel() {
        let channel = self.state.withLock { state -> (any Channel)? in
            defer { state = .cancelled }
            guard case .begun(let channel) = state else { return nil }
            return channel
        }
        channel?.close(promise: nil)
    }
}
