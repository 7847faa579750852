import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A scripted IRC client for end-to-end tests: send raw lines, wait for lines matching a predicate.
///
/// Every wait has a timeout and fails with a ``TestIRCClientError`` that lists the last lines on the
/// connection. PINGs are answered on the event loop. The client is not scoped (unlike `NIOAsyncChannel`'s
/// `executeThenClose`) so a test can hold several at once; end each with ``quit(_:timeout:)`` or ``close()``
/// (stopping the server closes them too).
package final class TestIRCClient: Sendable {
    /// The timeout used when a test does not give one: long, because it only bounds how late a line that does come
    /// may be, and a loaded CI machine running every suite at once can be many times slower than a laptop.
    package static let defaultTimeout: Duration = .seconds(30)

    private let channel: any Channel
    private let inbox: TestIRCLineInbox
    private let currentNick = Mutex<String?>(nil)

    private init(channel: any Channel, inbox: TestIRCLineInbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects and, for TLS, completes the handshake.
    ///
    /// - Parameters:
    ///   - host: A host name or IP address. A name is sent as SNI and checked against the certificate; an
    ///     address is checked against the certificate's IP addresses.
    ///   - tls: Use TLS, verifying the server's certificate fully.
    ///   - caFile: A PEM CA to trust instead of the system's roots (the harness's ``InspIRCdServer/caFile``).
    ///   - clientCertificate: A certificate to present, for SASL EXTERNAL.
    ///   - timeout: For the TCP connect and the TLS handshake.
    /// - Throws: A `TestIRCClientError` `.connectionClosed` wrapping the TLS error if verification fails.
    package static func connect(
        host: String = "127.0.0.1",
        port: Int,
        tls: Bool,
        caFile: String? = nil,
        clientCertificate: TestClientCertificate? = nil,
        timeout: Duration = defaultTimeout
    ) async throws -> TestIRCClient {
        let sslContext = try tls ? Self.makeSSLContext(caFile: caFile, clientCertificate: clientCertificate) : nil
        let serverHostname = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let ready = eventLoop.makePromise(of: Void.self)
        let inbox = TestIRCLineInbox()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(TimeAmount(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let operations = channel.pipeline.syncOperations
                        if let sslContext {
                            try operations.addHandler(
                                NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                            )
                        }
                        try operations.addHandler(ByteToMessageHandler(TestIRCLineDecoder()))
                        try operations.addHandler(
                            TestIRCClientHandler(inbox: inbox, waitsForTLSHandshake: tls, ready: ready)
                        )
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            ready.fail(error)
            throw TestIRCClientError(
                code: .connectionClosed,
                message: "could not connect to \(host):\(port)",
                underlying: error
            )
        }
        let timer = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            ready.fail(TestIRCClientError(code: .timedOut, message: "TLS handshake did not finish within \(timeout)"))
        }
        defer { timer.cancel() }
        do {
            try await ready.futureResult.get()
        } catch {
            channel.close(promise: nil)
            if let error = error as? TestIRCClientError {
                throw error
            }
            throw TestIRCClientError(
                code: .connectionClosed,
                message: "could not connect to \(host):\(port)\(tls ? " over TLS" : "")",
                underlying: error,
                recentLines: inbox.recentLines
            )
        }
        return TestIRCClient(channel: channel, inbox: inbox)
    }

    private static func makeSSLContext(
        caFile: String?,
        clientCertificate: TestClientCertificate?
    ) throws
        -> NIOSSLContext
    {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile {
            configuration.trustRoots = .file(caFile)
        }
        if let clientCertificate {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificate.certificateFile)
                .map { .certificate($0) }
            configuration.privateKey = .privateKey(
                try NIOSSLPrivateKey(file: clientCertificate.privateKeyFile, format: .pem)
            )
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The nick the server accepted in ``register(nick:user:realName:capabilities:timeout:)``, if any.
    package var nick: String? {
        self.currentNick.withLock { $0 }
    }

    /// The last lines sent (`>> `) and received (`<< `), oldest first.
    package var recentLines: [String] {
        self.inbox.recentLines
    }

    /// Sends one raw line (CR LF is added); throws `.invalidLine` for a line with CR, LF or NUL.
    package func send(_ rawLine: String) async throws {
        guard !rawLine.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw TestIRCClientError(code: .invalidLine, message: "refusing to send a line with CR, LF or NUL")
        }
        self.inbox.recordSent(rawLine)
        do {
            try await self.channel.writeAndFlush(ByteBuffer(string: rawLine + "\r\n")).get()
        } catch {
            throw TestIRCClientError(
                code: .connectionClosed,
                message: "could not send \(rawLine.prefix { $0 != " " })",
                underlying: self.inbox.closed.error ?? error,
                recentLines: self.inbox.recentLines
            )
        }
    }

    /// Waits for the oldest unread raw line matching `predicate`; other lines stay unread.
    package func waitForLine(
        timeout: Duration = defaultTimeout,
        matching predicate: @escaping @Sendable (String) -> Bool
    ) async throws -> String {
        try await self.waitForMessage("line matching the predicate", timeout: timeout) { predicate($0.raw) }.raw
    }

    /// Waits for the oldest unread message matching `predicate`; other lines stay unread.
    ///
    /// - Parameter description: What is awaited, for the timeout error ("001 RPL_WELCOME").
    package func waitForMessage(
        _ description: String,
        timeout: Duration = defaultTimeout,
        matching predicate: @escaping @Sendable (TestIRCMessage) -> Bool
    ) async throws -> TestIRCMessage {
        try await self.inbox.wait(for: description, timeout: timeout, on: self.channel.eventLoop, matching: predicate)
    }

    /// Waits for the oldest unread message whose command is one of `commands` ("903", "904", "PRIVMSG").
    package func waitForCommand(
        _ commands: String...,
        timeout: Duration = defaultTimeout
    ) async throws
        -> TestIRCMessage
    {
        let wanted = Set(commands.map { $0.uppercased() })
        return try await self.waitForMessage(commands.joined(separator: " or "), timeout: timeout) {
            wanted.contains($0.command)
        }
    }

    /// Sends QUIT, gives the server `timeout` to close the connection, then closes it. Never throws.
    package func quit(_ message: String = "test finished", timeout: Duration = .seconds(5)) async {
        let channel = self.channel
        try? await self.send("QUIT :\(message)")
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            channel.close(promise: nil)
        }
        try? await channel.closeFuture.get()
        timer.cancel()
    }

    /// Closes the connection at once, without QUIT.
    package func close() {
        self.channel.close(promise: nil)
    }

    /// Records the nick the server welcomed, for ``nick`` and `join`'s echo matching.
    func setNick(_ nick: String) {
        self.currentNick.withLock { $0 = nick }
    }
}
