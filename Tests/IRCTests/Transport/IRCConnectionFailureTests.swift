import BridgeTesting
import InMemoryLogging
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import IRC

@Suite(
    .enabled(
        if: InspIRCdServer.isInstalled,
        "InspIRCd is not installed; run scripts/irc-test-deps.sh to run the real-IRC-server tests"
    ),
    .timeLimit(.minutes(2))
)
struct IRCConnectionFailureTests {
    /// A server whose certificate comes from a private CA, and no `caFile`: the log line says what to set, not only
    /// BoringSSL's `CERTIFICATE_VERIFY_FAILED at …/handshake.cc`.
    @Test func anUntrustedCertificateNamesTheSettingThatFixesIt() async throws {
        try await InspIRCdServer.withRunning { server in
            let error = try await Self.first(
                "connection failed",
                field: "error",
                host: server.host,
                port: server.tlsPort,
                tls: .init(caFile: nil)
            )
            #expect(error.contains("not trusted (CERTIFICATE_VERIFY_FAILED)"), "\(error)")
            #expect(error.contains("set caFile"), "\(error)")
            #expect(!error.contains("handshake.cc"), "\(error)")
        }
    }

    /// TLS to a plain-text port. InspIRCd says nothing there until it reads a line, so the handshake times out,
    /// and the log line says which setting to check.
    @Test func tlsToInspIRCdsPlainTextPortSaysToCheckThePort() async throws {
        try await InspIRCdServer.withRunning { server in
            let error = try await Self.firstFailure(
                host: server.host,
                port: server.plaintextPort,
                caFile: server.caFile
            )
            #expect(error.hasSuffix("check that the port is its TLS port"), "\(error)")
        }
    }

    /// TLS to a plain-text port of a server that greets at once (as Solanum, Libera's server, does): BoringSSL's
    /// WRONG_VERSION_NUMBER, explained.
    @Test func tlsToAServerGreetingInPlainTextSaysSo() async throws {
        let greeting = ":irc.example.net NOTICE * :*** Looking up your hostname...\r\n"
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(Greeter(greeting)) }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        defer { listener.close(promise: nil) }
        let error = try await Self.firstFailure(host: "127.0.0.1", port: listener.localAddress?.port ?? 0, caFile: nil)
        #expect(error.contains("answered in plain text, not TLS"), "\(error)")
    }

    /// Plain text to a TLS port: InspIRCd answers with a TLS alert and closes, which the log line explains; before,
    /// it said only "connection closed", at every reconnect.
    @Test func plainTextToATLSPortSaysToSetTLS() async throws {
        try await InspIRCdServer.withRunning { server in
            let reason = try await Self.first(
                "disconnected; reconnecting",
                field: "irc.reason",
                host: server.host,
                port: server.tlsPort,
                tls: .init(enabled: false)
            )
            #expect(reason.contains("set tls: true"), "\(reason)")
        }
    }

    /// The `error` of the first "connection failed" line a network service logs for `host:port` over TLS.
    private static func firstFailure(host: String, port: Int, caFile: String?) async throws -> String {
        try await Self.first("connection failed", field: "error", host: host, port: port, tls: .init(caFile: caFile))
    }

    /// The metadata `field` of the first line `message` a network service for `host:port` logs (at info or above);
    /// the connect timeout is 3 s.
    private static func first(
        _ message: String,
        field: String,
        host: String,
        port: Int,
        tls: IRCClientConfiguration.TLS
    ) async throws -> String {
        var handler = InMemoryLogHandler()
        handler.logLevel = .info
        let captured = handler
        let network = IRCNetworkService(
            configuration: IRCClientConfiguration(name: "test", host: host, port: port, tls: tls, nick: "gptbot"),
            connector: TLSConnector(connectTimeout: .seconds(3)),
            logger: Logger(label: "test") { _ in captured }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await network.run() }
            defer { group.cancelAll() }
            try await waitUntil("\(message) logged", timeout: .seconds(30)) {
                handler.entries.contains { $0.message.description == message }
            }
        }
        let line = try #require(handler.entries.first { $0.message.description == message })
        return line.metadata[field]?.description ?? ""
    }

    @Test func aHandshakeThatTimesOutSuggestsCheckingThePort() {
        let text = IRCConnectionFailure.describe(TLSHandshakeWaiter.TimedOut(timeout: .seconds(15)), host: "irc")
        #expect(
            text
                == "the TLS handshake took longer than 15 s: the server said nothing; check that the port is its TLS port"
        )
    }

    /// A key of another certificate, changed after the configuration was checked, fails the connection attempt
    /// naming the file.
    @Test func aKeyOfAnotherCertificateIsNamedAtConnect() {
        let tls = IRCClientConfiguration.TLS(
            clientCertificateFile: TestData.tlsFile("client.pem"),
            clientKeyFile: TestData.tlsFile("other.key")
        )
        let problem = #expect(throws: TLSFileProblem.self) { try TLSConnector.makeSSLContext(tls) }
        #expect(problem?.setting == "clientKeyFile")
        #expect(problem?.problem.hasPrefix("is not the private key of clientCertFile") == true)
        let matching = IRCClientConfiguration.TLS(
            clientCertificateFile: TestData.tlsFile("client.pem"),
            clientKeyFile: TestData.tlsFile("client.key")
        )
        #expect(throws: Never.self) { try TLSConnector.makeSSLContext(matching) }
    }

    @Test func aCertificateForAnotherNameSaysSo() {
        let text = IRCConnectionFailure.describe(
            NIOSSLExtraError.failedToValidateHostname,
            host: "irc.example.net"
        )
        #expect(text.hasPrefix("the server's TLS certificate is not valid for irc.example.net"))
    }
}

/// Writes a plain-text line as soon as a client connects, as IRC servers that greet at once do.
private final class Greeter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let line: String

    init(_ line: String) {
        self.line = line
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: self.line)), promise: nil)
        context.fireChannelActive()
    }
}
