import Bridge
import BridgeTesting
import GoAPI
import IRC
import Logging
import Store
import Testing

/// `!gpt` commands as people in a channel or query see them, and what they change for later questions.
@Suite(.timeLimit(.minutes(1))) struct IRCBridgeCommandsTests {
    typealias Request = StubGoAPIServer.RecordedRequest

    static let refusal = "only channel operators and bridge admins can change this channel's settings."

    /// Asks a question in `channel` and waits for its answer; returns the request GoAPI received for it.
    func ask(
        _ question: String,
        in channel: String = "#chan",
        from nick: String = "alice",
        _ fixture: IRCBridgeFixture
    ) async throws -> Request {
        fixture.network.say("gptbot: \(question)", in: channel, from: nick)
        _ = try await fixture.network.nextLine(to: channel)
        return try #require(fixture.stub.conversationRequests.last { $0.questionText == "\(nick): \(question)" })
    }

    /// Sends a command line and returns the one reply line's text.
    func command(
        _ line: String,
        in channel: String = "#chan",
        from nick: String = "alice",
        isOperator: Bool = false,
        _ fixture: IRCBridgeFixture
    ) async throws -> String {
        fixture.network.say(line, in: channel, from: nick, isOperator: isOperator)
        let reply = try await fixture.network.nextLine(to: channel)
        #expect(reply.command == "PRIVMSG")
        return reply.parameters.last ?? ""
    }

    @Test func helpListsTheCommandsWithTheConfiguredPrefix() async throws {
        let configuration = IRCBridgeConfiguration(network: IRCBridgeFixture.networkName, commandPrefix: "?ask")
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            for line in ["?ask help", "gptbot:", "?ask"] {
                let help = try await self.command(line, fixture)
                #expect(help.hasPrefix("alice: commands: ?ask <question> | ?ask reset"), "after \(line)")
                #expect(help.contains("?ask use <gpt-id|default|none>"))
                #expect(help.contains("?ask status"))
            }
            fixture.network.query("help", from: "bob")
            #expect(try await fixture.network.nextLine(to: "bob").parameters.last?.hasPrefix("bob: commands:") == true)
            #expect(fixture.stub.requests.isEmpty, "commands are not questions")
        }
    }

    @Test func statusShowsTheProfileAndTheConversation() async throws {
        let defaults = ProfileDefaults(gizmoID: "g-Config1", model: "gpt-4o", gizmoModel: "gpt-4-gizmo")
        try await IRCBridgeFixture.run(defaults: defaults) { fixture in
            #expect(
                try await self.command("!gpt status", fixture)
                    == "alice: GPT g-Config1, model gpt-4-gizmo, no conversation yet"
            )
            _ = try await self.ask("hello", fixture)
            let conversation = try #require(
                try await fixture.conversationID(
                    key: IRCBridgeFixture.channelKey("#chan"),
                    gizmoID: "g-Config1",
                    model: "gpt-4-gizmo"
                )
            )
            #expect(
                try await self.command("!gpt status", fixture)
                    == "alice: GPT g-Config1, model gpt-4-gizmo, conversation \(conversation.prefix(8))…"
            )
        }
    }

    @Test func statusCountsQuestionsWaitingBehindTheRunningOne() async throws {
        try await IRCBridgeFixture.run { fixture in
            // Alice's answer is held until the status is out, so her question is still running when Carol asks
            // however slowly the bridge gets to Carol's line.
            let statusSaid = StubGate()
            fixture.stub.enqueue(.replyWhenOpened("Slow.", statusSaid))
            fixture.network.say("gptbot: one", in: "#chan", from: "alice")
            fixture.network.say("gptbot: two", in: "#chan", from: "bob")
            fixture.network.say("!gpt status", in: "#chan", from: "carol")
            let status = try await fixture.network.nextLine(to: "#chan")
            statusSaid.open()
            #expect(status.parameters.last?.hasPrefix("carol: no GPT, model gpt-4o, ") == true)
            #expect(status.parameters.last?.hasSuffix(", 1 question(s) waiting") == true)
            #expect(
                try await fixture.network.nextLines(to: "#chan", count: 2).compactMap(\.parameters.last) == [
                    "alice: Slow.", "bob: Stub answer.",
                ]
            )
        }
    }

    @Test(arguments: ["!gpt reset", "!gpt use g-Other1", "!gpt model gpt-4o-mini", "gptbot: use none"])
    func settingsCommandsAreRefusedToOrdinaryChannelMembers(line: String) async throws {
        try await IRCBridgeFixture.run { fixture in
            let first = try await self.ask("one", fixture)
            #expect(try await self.command(line, from: "mallory", fixture) == "mallory: \(Self.refusal)")
            let second = try await self.ask("two", fixture)
            let conversation = try #require(
                try await fixture.conversationID(key: IRCBridgeFixture.channelKey("#chan"))
            )
            #expect(first.path == Request.newConversationPath)
            #expect(second.path == Request.addMessagePath(conversation), "the conversation went on unchanged")
            #expect(second.gizmoID == nil)
            #expect(second.model == "gpt-4o")
        }
    }

    /// Who may change a channel's (or their own query's) settings.
    enum Privileged: CaseIterable, CustomTestStringConvertible {
        case channelOperator
        case adminMask
        case privateQuery

        var testDescription: String { "\(self)" }
    }

    @Test(arguments: Privileged.allCases)
    func privilegedPeopleCanSwitchTheGPT(who: Privileged) async throws {
        let configuration = IRCBridgeConfiguration(
            network: IRCBridgeFixture.networkName,
            adminMasks: ["*!*@Staff.Example.ORG"]
        )
        try await IRCBridgeFixture.run(configuration: configuration) { fixture in
            let confirmation = "now using GPT g-Allowed1 with model gpt-4-gizmo."
            let target: String
            switch who {
            case .channelOperator:
                target = "#chan"
                fixture.network.say("!gpt use g-Allowed1", in: target, from: "olivia", isOperator: true)
            case .adminMask:
                target = "#chan"
                fixture.network.say(
                    "!gpt use g-Allowed1",
                    in: target,
                    from: "olivia",
                    source: "olivia!olivia@staff.example.org"
                )
            case .privateQuery:
                target = "olivia"
                fixture.network.query("use g-Allowed1", from: "olivia")
            }
            #expect(try await fixture.network.nextLine(to: target).parameters == [target, "olivia: \(confirmation)"])
            if target == "olivia" {
                fixture.network.query("what are you now?", from: "olivia")
            } else {
                fixture.network.say("gptbot: what are you now?", in: target, from: "bob")
            }
            _ = try await fixture.network.nextLine(to: target)
            let request = try #require(fixture.stub.conversationRequests.last)
            #expect(request.gizmoID == "g-Allowed1")
            #expect(request.model == "gpt-4-gizmo")
            #expect(request.path == Request.newConversationPath, "a GPT's conversation is its own")
        }
    }

    /// People copy a GPT's address (or its last part, the id with the GPT's name); GoAPI wants the id alone.
    @Test(arguments: [
        "https://chatgpt.com/g/g-3w1rEXGE0-design-helper",
        "chatgpt.com/g/g-3w1rEXGE0-design-helper?model=gpt-4o",
        "g-3w1rEXGE0-design-helper",
    ])
    func useTakesTheIDFromAGPTsAddress(typed: String) async throws {
        try await IRCBridgeFixture.run { fixture in
            let reply = try await self.command("!gpt use \(typed)", isOperator: true, fixture)
            #expect(reply == "alice: now using GPT g-3w1rEXGE0 with model gpt-4-gizmo.")
            let question = try await self.ask("one", fixture)
            #expect(question.gizmoID == "g-3w1rEXGE0")
        }
    }

    @Test func useNoneDefaultAndInvalidIDs() async throws {
        let defaults = ProfileDefaults(gizmoID: "g-Config1", model: "gpt-4o", gizmoModel: "gpt-4-gizmo")
        try await IRCBridgeFixture.run(defaults: defaults) { fixture in
            let configured = try await self.ask("one", fixture)
            #expect(configured.gizmoID == "g-Config1")
            #expect(configured.model == "gpt-4-gizmo")

            #expect(
                try await self.command("!gpt use none", isOperator: true, fixture)
                    == "alice: now using no GPT with model gpt-4o."
            )
            let plain = try await self.ask("two", fixture)
            #expect(plain.gizmoID == nil)
            #expect(plain.model == "gpt-4o")
            #expect(plain.path == Request.newConversationPath)

            for invalid in ["gpt4", "g-", "g-bad/id", "G-Upper1", "g-under_score", "https://chatgpt.com/g/"] {
                #expect(
                    try await self.command("!gpt use \(invalid)", isOperator: true, fixture)
                        == "alice: \"\(invalid)\" is not a GPT id; use g-… (from the GPT's URL), default or none."
                )
            }
            let stillPlain = try await self.ask("three", fixture)
            #expect(stillPlain.gizmoID == nil, "an invalid id changes nothing")

            #expect(
                try await self.command("!gpt use DEFAULT", isOperator: true, fixture)
                    == "alice: now using GPT g-Config1 with model gpt-4-gizmo."
            )
            let back = try await self.ask("four", fixture)
            let gptConversation = try #require(
                try await fixture.conversationID(
                    key: IRCBridgeFixture.channelKey("#chan"),
                    gizmoID: "g-Config1",
                    model: "gpt-4-gizmo"
                )
            )
            #expect(back.gizmoID == "g-Config1")
            #expect(back.path == Request.addMessagePath(gptConversation), "switching back resumes the conversation")
        }
    }

    @Test func modelCanBeSetAndReturnedToTheDefault() async throws {
        try await IRCBridgeFixture.run { fixture in
            let set = try await self.command("!gpt model gpt-4o-mini", isOperator: true, fixture)
            #expect(set == "alice: now using model gpt-4o-mini.")
            let first = try await self.ask("one", fixture)
            #expect(first.model == "gpt-4o-mini")

            let invalid = try await self.command("!gpt model gpt/4", isOperator: true, fixture)
            #expect(invalid == "alice: \"gpt/4\" does not look like a model name (letters, digits, . _ - only).")
            let second = try await self.ask("two", fixture)
            #expect(second.model == "gpt-4o-mini")

            let reset = try await self.command("!gpt model default", isOperator: true, fixture)
            #expect(reset == "alice: now using model gpt-4o.")
            let third = try await self.ask("three", fixture)
            #expect(third.model == "gpt-4o")
        }
    }

    /// `default` is a keyword whatever its case, as it is for `!gpt use DEFAULT`: `!gpt model Default` must not
    /// select a model called "Default" that GoAPI refuses on every later question.
    @Test(arguments: ["Default", "DEFAULT"])
    func modelDefaultIsAKeywordInAnyCase(spelling: String) async throws {
        try await IRCBridgeFixture.run { fixture in
            _ = try await self.command("!gpt model gpt-4o-mini", isOperator: true, fixture)
            let reply = try await self.command("!gpt model \(spelling)", isOperator: true, fixture)
            #expect(reply == "alice: now using model gpt-4o.")
            #expect(try await self.ask("which model?", fixture).model == "gpt-4o")
        }
    }

    @Test func resetMakesTheNextQuestionStartANewConversation() async throws {
        try await IRCBridgeFixture.run { fixture in
            let key = IRCBridgeFixture.channelKey("#chan")
            #expect(try await self.ask("one", fixture).path == Request.newConversationPath)
            let old = try #require(try await fixture.conversationID(key: key))
            #expect(try await self.ask("two", fixture).path == Request.addMessagePath(old))

            #expect(
                try await self.command("!gpt reset", isOperator: true, fixture)
                    == "alice: done; the next question starts a new conversation."
            )
            #expect(try await self.ask("three", fixture).path == Request.newConversationPath)
            let new = try #require(try await fixture.conversationID(key: key))
            #expect(new != old)
            #expect(try await self.ask("four", fixture).path == Request.addMessagePath(new))
        }
    }

    /// An operator resets while the old conversation's last answer is still coming: that answer belongs to the
    /// conversation the reset ended, so the backup model's history must not hold it afterwards (a backup answer in
    /// the new conversation would otherwise be given the old one as context).
    @Test func aResetDuringAnAnswerLeavesNoHistoryOfTheOldConversation() async throws {
        try await withStubGoAPI { stub, client in
            let store = InMemoryBridgeStore()
            // Never asked here: every question in this test is answered by the Conversation API.
            let completions = ChatCompletionsClient(
                configuration: .init(baseURL: stub.baseURL, apiKey: "llm-key", model: "gpt-4o-mini")
            )
            let network = FakeIRCNetwork(snapshot: FakeIRCNetwork.defaultSnapshot())
            let bridge = IRCBridge(
                networks: [
                    (service: network, configuration: IRCBridgeConfiguration(network: IRCBridgeFixture.networkName))
                ],
                asker: ConversationAsker(
                    client: client,
                    store: store,
                    backup: BackupModel(client: completions, store: store, settings: BackupModel.Settings())
                ),
                store: store,
                defaults: IRCBridgeFixture.plainDefaults,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await bridge.run() }
                    defer { group.cancelAll() }
                    let resetSaid = StubGate()
                    stub.enqueue(.replyWhenOpened("Old answer.", resetSaid))
                    network.say("gptbot: the old topic", in: "#chan", from: "alice")
                    // The question is under way in the old conversation when the reset comes.
                    try await waitUntil("the question to reach GoAPI") { stub.conversationsInFlight == 1 }
                    network.say("!gpt reset", in: "#chan", from: "olivia", isOperator: true)
                    let reset = try await network.nextLine(to: "#chan")
                    resetSaid.open()
                    #expect(reset.parameters.last == "olivia: done; the next question starts a new conversation.")
                    #expect(try await network.nextLine(to: "#chan").parameters.last == "alice: Old answer.")

                    network.say("!gpt forget", in: "#chan", from: "olivia", isOperator: true)
                    let forgot = try await network.nextLine(to: "#chan").parameters.last
                    #expect(
                        forgot == "olivia: done; forgot 0 message(s) of history kept for the backup model.",
                        "the reset conversation's last turn is still in the backup model's history"
                    )
                }
            } catch {
                try? await completions.shutdown()
                throw error
            }
            try await completions.shutdown()
        }
    }

    @Test func settingsBelongToOneChannel() async throws {
        try await IRCBridgeFixture.run { fixture in
            _ = try await self.command("!gpt use g-Only1", in: "#one", isOperator: true, fixture)
            #expect(try await self.ask("here?", in: "#one", fixture).gizmoID == "g-Only1")
            #expect(try await self.ask("and here?", in: "#two", fixture).gizmoID == nil)
        }
    }
}
