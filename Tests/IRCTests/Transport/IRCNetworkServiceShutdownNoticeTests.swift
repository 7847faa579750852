import BridgeTesting
import IRC
import Logging
import Testing

/// A held shutdown notice lasts exactly as long as the answer it stands for is not out: through the flood queue,
/// until the answer's last line is written, and no longer once that answer cannot be sent at all (queue full,
/// nothing to send, or dropped for its age). Against a real InspIRCd over TLS, with one line per second.
@Suite(
    .enabled(
        if: InspIRCdServer.isInstalled,
        "InspIRCd is not installed; run scripts/irc-test-deps.sh to run the real-IRC-server tests"
    ),
    .timeLimit(.minutes(2))
)
struct IRCNetworkServiceShutdownNoticeTests {
    private static let nick = "noticebot"

    private static func notice(for asker: String) -> IRCMessage {
        IRCMessage(command: "PRIVMSG", parameters: [Self.nick, "\(asker): please ask again"])
    }

    private static func lines(_ count: Int, for asker: String) -> [IRCMessage] {
        (1...count).map { IRCMessage(command: "PRIVMSG", parameters: [Self.nick, "\(asker): line \($0)"]) }
    }

    @Test func aNoticeIsSettledWhenItsAnswerIsOutOrCannotBeSent() async throws {
        try await InspIRCdServer.withRunning { server in
            let network = IRCNetworkService(
                configuration: IRCClientConfiguration(
                    name: "test",
                    host: server.host,
                    port: server.tlsPort,
                    tls: .init(caFile: server.caFile),
                    nick: Self.nick
                ),
                floodBurst: 1,
                floodInterval: .seconds(1),
                logger: Logger(label: "test")
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await network.run() }
                defer { group.cancelAll() }
                try await waitUntil("registration") { network.snapshot.isRegistered }

                let expired = network.holdShutdownNotice(Self.notice(for: "erin"))
                network.enqueue(Self.lines(1, for: "erin"), target: Self.nick, expiresAt: .now, settling: expired)
                try await waitUntil("the expired answer settling its notice") { network.heldShutdownNotices.isEmpty }

                let full = network.holdShutdownNotice(Self.notice(for: "fred"))
                let accepted = network.enqueue(
                    Self.lines(101, for: "fred"),
                    target: Self.nick,
                    expiresAt: .now + .seconds(60),
                    settling: full
                )
                #expect(!accepted, "over the 100 lines one target may have waiting")
                let empty = network.holdShutdownNotice(Self.notice(for: "gina"))
                network.enqueue([], target: Self.nick, expiresAt: .now + .seconds(60), settling: empty)
                #expect(network.heldShutdownNotices.isEmpty, "an answer that cannot be sent owes no notice")

                // Three lines at one a second: the last cannot be out yet, so its notice is still held.
                let queued = network.holdShutdownNotice(Self.notice(for: "hana"))
                network.enqueue(
                    Self.lines(3, for: "hana"),
                    target: Self.nick,
                    expiresAt: .now + .seconds(60),
                    settling: queued
                )
                #expect(network.heldShutdownNotices == [Self.notice(for: "hana")])
                try await waitUntil("the answer's last line written") { network.heldShutdownNotices.isEmpty }
                #expect(network.queueDepth == 0)
            }
        }
    }
}
