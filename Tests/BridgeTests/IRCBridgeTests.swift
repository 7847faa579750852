import Bridge
import BridgeTesting
import Foundation
import IRC
import Logging
import Store
import Testing

/// The bridge's lifetime: several networks, stopping, and what survives a restart.
@Suite(.timeLimit(.minutes(1))) struct IRCBridgeTests {
    typealias Request = StubGoAPIServer.RecordedRequest

    static let configuration = IRCBridgeConfiguration(network: IRCBridgeFixture.networkName)

    @Test func conversationsAndChannelSettingsSurviveARestart() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("bridge.sqlite").path
            try await withStubGoAPI { stub, client in
                let firstStore = try SQLiteBridgeStore(path: path, logger: Logger(label: "test"))
                let firstNetwork = FakeIRCNetwork()
                try await withBridge(
                    networks: [(firstNetwork, Self.configuration)],
                    client: client,
                    store: firstStore
                ) { run in
                    firstNetwork.say("!gpt use g-Kept1", in: "#chan", from: "olivia", isOperator: true)
                    _ = try await firstNetwork.nextLine(to: "#chan")
                    firstNetwork.say("gptbot: remember me", in: "#chan", from: "alice")
                    _ = try await firstNetwork.nextLine(to: "#chan")
                    firstNetwork.finish()
                    try await run.waitUntilStopped()
                }
                try firstStore.close()
                let first = try #require(stub.conversationRequests.first)
                #expect(first.path == Request.newConversationPath)
                #expect(first.gizmoID == "g-Kept1")

                let secondStore = try SQLiteBridgeStore(path: path, logger: Logger(label: "test"))
                defer { try? secondStore.close() }
                let secondNetwork = FakeIRCNetwork()
                try await withBridge(
                    networks: [(secondNetwork, Self.configuration)],
                    client: client,
                    store: secondStore
                ) { _ in
                    secondNetwork.say("gptbot: do you remember me?", in: "#chan", from: "alice")
                    _ = try await secondNetwork.nextLine(to: "#chan")
                }
                let conversation = try #require(
                    try await secondStore.conversation(
                        key: IRCBridgeFixture.channelKey("#chan"),
                        gizmoID: "g-Kept1",
                        model: "gpt-4-gizmo"
                    )
                )
                let second = try #require(stub.conversationRequests.last)
                #expect(stub.conversationRequests.count == 2)
                #expect(second.path == Request.addMessagePath(conversation.conversationID))
                #expect(second.gizmoID == "g-Kept1", "the channel still uses the GPT its operator picked")
            }
        }
    }

    @Test func endOfTheEventStreamStopsTheBridgeAfterTheAnswersInProgress() async throws {
        try await withStubGoAPI { stub, client in
            let network = FakeIRCNetwork()
            try await withBridge(
                networks: [(network, Self.configuration)],
                client: client,
                store: InMemoryBridgeStore()
            ) { run in
                stub.enqueue(.reply("Worth the wait.", eventDelay: .milliseconds(50)))
                network.say("gptbot: one", in: "#chan", from: "alice")
                network.say("gptbot: two", in: "#chan", from: "bob")
                network.finish()
                try await run.waitUntilStopped()
                #expect(
                    network.lines(to: "#chan").map(\.parameters) == [
                        ["#chan", "alice: Worth the wait."], ["#chan", "bob: \(StubGoAPIServer.defaultReply)"],
                    ]
                )
                #expect(network.heldShutdownNotices.isEmpty, "answered questions owe nobody a shutdown notice")
            }
        }
    }

    /// A forced shutdown cancels the bridge: the network then sends what is still held ahead of its QUIT (the
    /// end-to-end shutdown tests see it arrive), one line for every question being answered or waiting.
    @Test func questionsCutOffByAForcedShutdownKeepANoticeForTheirAskers() async throws {
        let network = FakeIRCNetwork()
        var asked: [String?] = []
        try await withStubGoAPI { stub, client in
            try await withBridge(
                networks: [(network, Self.configuration)],
                client: client,
                store: InMemoryBridgeStore()
            ) { _ in
                stub.enqueue(.stall(partial: "Let me"), .stall(partial: "Hmm"))
                network.say("gptbot: one", in: "#chan", from: "alice")
                network.say("gptbot: two", in: "#chan", from: "bob")
                network.query("three", from: "carol")
                try await waitUntil("GoAPI answering two questions") { stub.conversationsInFlight == 2 }
            }
            // Once the bridge has stopped, and before the stub does.
            asked = stub.conversationRequests.map(\.questionText)
        }
        let notice = "I am shutting down before I could answer that; please ask again when I am back."
        #expect(
            network.heldShutdownNotices.map(\.parameters) == [
                ["#chan", "alice: \(notice)"], ["#chan", "bob: \(notice)"], ["carol", "carol: \(notice)"],
            ]
        )
        #expect(network.heldShutdownNotices.allSatisfy { $0.command == "PRIVMSG" })
        #expect(
            Set(asked) == ["alice: one", "carol: three"] && asked.count == 2,
            "Bob's question, queued behind Alice's, was not sent to GoAPI during the shutdown"
        )
    }

    @Test func aQuestionRefusedAsBusyHoldsNoNotice() async throws {
        let network = FakeIRCNetwork()
        var configuration = Self.configuration
        configuration.queueLimit = 0
        try await withStubGoAPI { stub, client in
            try await withBridge(networks: [(network, configuration)], client: client, store: InMemoryBridgeStore()) {
                _ in
                stub.enqueue(.stall(partial: "Let me"))
                network.say("gptbot: one", in: "#chan", from: "alice")
                try await waitUntil("GoAPI answering the first question") { stub.conversationsInFlight == 1 }
                network.say("gptbot: two", in: "#chan", from: "bob")
                _ = try await network.nextLine(to: "bob")
            }
        }
        #expect(network.heldShutdownNotices.map { $0.parameters.last ?? "" }.map { $0.prefix(6) } == ["alice:"])
    }

    @Test func eachNetworkIsServedOnItsOwnWithItsOwnConversations() async throws {
        try await withStubGoAPI { stub, client in
            let libera = FakeIRCNetwork()
            let oftc = FakeIRCNetwork()
            let store = InMemoryBridgeStore()
            try await withBridge(
                networks: [
                    (libera, IRCBridgeConfiguration(network: "libera")),
                    (oftc, IRCBridgeConfiguration(network: "oftc", commandPrefix: "?ai")),
                ],
                client: client,
                store: store
            ) { _ in
                stub.enqueue(.reply("On Libera."), .reply("On OFTC."))
                libera.say("!gpt hello", in: "#chan", from: "alice")
                let liberaAnswer = try await libera.nextLine(to: "#chan")
                #expect(liberaAnswer.parameters == ["#chan", "alice: On Libera."])
                oftc.say("!gpt hello", in: "#chan", from: "alice")
                oftc.say("?ai hello", in: "#chan", from: "bob")
                let oftcAnswer = try await oftc.nextLine(to: "#chan")
                #expect(oftcAnswer.parameters == ["#chan", "bob: On OFTC."])
                #expect(libera.lines(to: "#chan").count == 1)
            }
            #expect(stub.conversationRequests.map(\.path) == Array(repeating: Request.newConversationPath, count: 2))
            #expect(stub.conversationRequests.map(\.questionText) == ["alice: hello", "bob: hello"])
            let keys = ["irc:libera:#chan", "irc:oftc:#chan"]
            for key in keys {
                #expect(try await store.conversation(key: key, gizmoID: nil, model: "gpt-4o") != nil, "\(key)")
            }
        }
    }
}
