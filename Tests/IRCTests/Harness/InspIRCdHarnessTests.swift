import BridgeTesting
import Foundation
import IRC
import Testing

/// The real-server harness works: InspIRCd starts and stops, TLS verifies against the harness CA, clients talk,
/// the IRCv3 capabilities and `BOT=` are there, and with Atheme linked SASL PLAIN and EXTERNAL answer.
///
/// Skipped only when `inspircd` is not installed (`scripts/irc-test-deps.sh` installs it; CI runs it).
@Suite(
    .enabled(
        if: InspIRCdServer.isInstalled,
        "InspIRCd is not installed; run scripts/irc-test-deps.sh to run the real-IRC-server tests"
    )
)
struct InspIRCdHarnessTests {
    @Test func serverStartsListeningAndStops() async throws {
        let server = try await InspIRCdServer.start()
        #expect(server.isRunning)
        #expect(FileManager.default.fileExists(atPath: server.caFile))
        let log = try String(contentsOfFile: server.logFile, encoding: .utf8)
        #expect(log.contains("Added a listener on 127.0.0.1:\(server.tlsPort) "))
        #expect(server.tlsPort != server.plaintextPort)

        await server.stop()
        #expect(!server.isRunning)
        #expect(!FileManager.default.fileExists(atPath: server.directory))
        // Not checked by connecting to the freed port: tests running in parallel start their own servers, and one
        // may already have been given that port.
    }

    @Test func twoClientsExchangeAPrivateMessageInAChannelOverVerifiedTLS() async throws {
        try await InspIRCdServer.withRunning { server in
            // One client verifies the certificate by host name, the other by IP address.
            let alice = try await server.connectClient(host: server.tlsHostname)
            let bob = try await server.connectClient(host: server.host)
            try await alice.register(nick: "alice")
            try await bob.register(nick: "bob")
            try await alice.join("#harness")
            let names = try await bob.join("#harness")
            #expect(Set(names) == ["@alice", "bob"])

            try await alice.send("PRIVMSG #harness :hello over TLS")
            let received = try await bob.waitForCommand("PRIVMSG")
            #expect(received.sourceNick == "alice")
            #expect(received.parameters == ["#harness", "hello over TLS"])
            await alice.quit()
            await bob.quit()
        }
    }

    @Test func tlsRefusesAServerCertificateNotSignedByATrustedCA() async throws {
        try await InspIRCdServer.withRunning { server in
            // Without caFile only the system roots are trusted, and the harness CA is not one of them.
            let error = await #expect(throws: TestIRCClientError.self) {
                _ = try await TestIRCClient.connect(port: server.tlsPort, tls: true, caFile: nil)
            }
            #expect(error?.code == .connectionClosed)
            let underlying = error?.underlying.map { String(describing: $0) } ?? "no underlying error"
            #expect(underlying.contains("CERTIFICATE_VERIFY_FAILED"), "\(underlying)")
        }
    }

    @Test func isupportAdvertisesTheBotMode() async throws {
        try await InspIRCdServer.withRunning { server in
            let client = try await server.connectClient()
            let welcome = try await client.register(nick: "isupport")
            #expect(welcome.isupport["BOT"] == "B")
            #expect(welcome.isupport["NETWORK"] == server.networkName)
            await client.quit()
        }
    }

    @Test func echoMessageServerTimeAndClientTagsReachClients() async throws {
        try await InspIRCdServer.withRunning { server in
            let capabilities = ["message-tags", "echo-message", "server-time"]
            let alice = try await server.connectClient()
            let bob = try await server.connectClient()
            let welcome = try await alice.register(nick: "alice", capabilities: capabilities)
            #expect(welcome.enabledCapabilities == Set(capabilities))
            try await bob.register(nick: "bob", capabilities: capabilities)
            try await alice.join("#tags")
            try await bob.join("#tags")

            try await alice.send("@+typing=active TAGMSG #tags")
            let typing = try await bob.waitForCommand("TAGMSG")
            #expect(typing.tags["+typing"] == "active")

            try await alice.send("PRIVMSG #tags :echoed")
            let echo = try await alice.waitForMessage("alice's own PRIVMSG echoed") {
                $0.command == "PRIVMSG" && $0.sourceNick == "alice"
            }
            #expect(echo.tags["time"]?.hasSuffix("Z") == true)
            #expect(echo.tags["msgid"] != nil)
            await alice.quit()
            await bob.quit()
        }
    }

    @Test func floodControlIsOffByDefault() async throws {
        try await InspIRCdServer.withRunning { server in
            let client = try await server.connectClient(tls: false)
            try await client.register(nick: "burst")
            // With InspIRCd's shipped limits (fakelag, one command a second past ten) this takes ~20 s; without them
            // well under a second, so 10 s tells the two apart with room for a loaded machine.
            for index in 1...30 {
                try await client.send("PING :burst-\(index)")
            }
            _ = try await client.waitForMessage("PONG for the last PING", timeout: .seconds(10)) {
                $0.command == "PONG" && $0.parameters.last == "burst-30"
            }
            await client.quit()
        }
    }

    @Test func floodControlCanBeTurnedBackOn() async throws {
        try await InspIRCdServer.withRunning(options: .init(floodControl: .inspircdDefaults)) { server in
            let client = try await server.connectClient(tls: false)
            try await client.register(nick: "lagged")
            for index in 1...30 {
                try await client.send("PING :burst-\(index)")
            }
            let error = await #expect(throws: TestIRCClientError.self) {
                _ = try await client.waitForMessage("PONG for the last PING", timeout: .seconds(3)) {
                    $0.command == "PONG" && $0.parameters.last == "burst-30"
                }
            }
            #expect(error?.code == .timedOut)
            client.close()
        }
    }

    /// InspIRCd's `chanhistory` (`+H`) replays a channel's last lines to whoever joins, outside any batch when the
    /// client has no `batch` capability (a server without `ircv3_batch` offers none), each stamped with the time it
    /// was said. The bot's state machine, fed those very lines, must not take the replayed question for a new one:
    /// it would answer it again on every rejoin.
    @Test func historyReplayedWithoutABatchIsNotAnsweredAgain() async throws {
        try await InspIRCdServer.withRunning { server in
            let alice = try await server.connectClient()
            try await alice.register(nick: "alice", capabilities: ["server-time"])
            try await alice.join("#replay")
            try await alice.send("MODE #replay +H 10:1d")
            _ = try await alice.waitForCommand("MODE")
            try await alice.send("PRIVMSG #replay :gptbot: what is IRC?")

            let bot = try await server.connectClient()
            try await bot.register(nick: "gptbot", capabilities: ["server-time"])
            try await bot.send("JOIN #replay")
            let join = try await bot.waitForCommand("JOIN")
            let replayed = try await bot.waitForCommand("PRIVMSG")
            #expect(replayed.tags["batch"] == nil && replayed.tags["time"] != nil, "\(replayed.raw)")

            var machine = IRCClientStateMachine(
                configuration: IRCClientConfiguration(
                    name: "harness",
                    host: server.host,
                    port: server.tlsPort,
                    nick: "gptbot",
                    channels: [.init(name: "#replay")]
                )
            )
            let now = ContinuousClock.now
            _ = machine.connected(now: now)
            for line in [":irc.test CAP * LS :server-time", ":irc.test CAP * ACK :server-time"] {
                _ = machine.receive(try IRCMessage(parsing: line), now: now)
            }
            _ = machine.receive(try IRCMessage(parsing: ":irc.test 001 gptbot :Welcome"), now: now)
            _ = machine.receive(try IRCMessage(parsing: ":irc.test 376 gptbot :End of MOTD"), now: now)
            _ = machine.receive(try IRCMessage(parsing: join.raw), now: now)
            let actions = machine.receive(try IRCMessage(parsing: replayed.raw), now: now)
            #expect(actions.isEmpty, "the replayed question would be answered again: \(actions)")
            await alice.quit()
            await bot.quit()
        }
    }
}
