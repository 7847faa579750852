import BridgeTesting
import InMemoryLogging
import Logging
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
            var handler = InMemoryLogHandler()
            handler.logLevel = .info
            let captured = handler
            let network = IRCNetworkService(
                configuration: IRCClientConfiguration(
                    name: "test",
                    host: server.host,
                    port: server.tlsPort,
                    tls: .init(caFile: nil),
                    nick: "gptbot"
                ),
                logger: Logger(label: "test") { _ in captured }
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await network.run() }
                defer { group.cancelAll() }
                try await waitUntil("the failed connection logged") {
                    handler.entries.contains { $0.message.description == "connection failed" }
                }
            }
            let failure = try #require(handler.entries.first { $0.message.description == "connection failed" })
            let error = failure.metadata["error"]?.description ?? ""
            #expect(error.contains("not trusted (CERTIFICATE_VERIFY_FAILED)"), "\(error)")
            #expect(error.contains("set caFile"), "\(error)")
            #expect(!error.contains("handshake.cc"), "\(error)")
        }
    }

    @Test func aCertificateForAnotherNameSaysSo() {
        let text = IRCConnectionFailure.describe(
            NIOSSLExtraError.failedToValidateHostname,
            host: "irc.example.net"
        )
        #expect(text.hasPrefix("the server's TLS certificate is not valid for irc.example.net"))
    }
}
