import NIOCore
import NIOPosix
import NIOSSL

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
        let (channel, handshake) = try await ClientBootstrap(group: self.eventLoopGroup)
            .connectTimeout(self.connectTimeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
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
        // Returned only once TLS is up, so a failed handshake is this call's error, with the certificate problem
        // in it (see TLSHandshakeWaiter).
        do {
            try await handshake?.get()
        } catch {
            // An async channel must be closed through `executeThenClose`; the handshake already closed the socket.
            try? await channel.executeThenClose { _, _ in }
            throw error
        }
        return channel
    }

    /// Builds the TLS context; errors name the file that could not be used.
    static func makeSSLContext(_ tls: IRCClientConfiguration.TLS) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !tls.verify {
            configuration.certificateVerification = .none
        }
        if let caFile = tls.caFile {
            configuration.additionalTrustRoots = [.file(caFile)]
        }
        if let certificateFile = tls.clientCertificateFile, let keyFile = tls.clientKeyFile {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
