import Bridge
import BridgeTesting
import Foundation
import GoAPI
import Testing

/// The Conversation API goes down in the middle of a channel's conversation and comes back: the channel keeps
/// getting answers (from the backup model, marked as such), and then the conversation continues where it was.
@Suite(
    .enabled(if: InspIRCdServer.isInstalled, "inspircd is not installed (scripts/irc-test-deps.sh)"),
    .timeLimit(.minutes(2))
) struct IRCBridgeBackupEndToEndTests {
    @Test func theChannelKeepsGettingAnswersWhileGoAPIIsDownAndResumesAfterwards() async throws {
        try await StubWebhookReceiver.withRunning(
            defaultAnswer: StubChatAPIs.llm(apiKey: "llm-key") { messages in
                "Backup says hi after \(messages.count - 1) earlier message(s)."
            }
        ) { llm in
            let clock = ManualClock()
            let completions = ChatCompletionsClient(
                configuration: .init(baseURL: llm.baseURL, apiKey: "llm-key", model: "gpt-4o-mini")
            )
            do {
                try await Self.conversation(through: completions, clock: clock)
            } catch {
                try? await completions.shutdown()
                throw error
            }
            try await completions.shutdown()
        }
    }

    private static func conversation(through completions: ChatCompletionsClient, clock: ManualClock) async throws {
        try await IRCBridgeHarness.run(backup: { store in
            BackupModel(
                client: completions,
                store: store,
                settings: BackupModel.Settings(failureThreshold: 1, probeAfter: .seconds(60))
            ) { clock.now }
        }) { harness in
            let alice = try await harness.person("alice")
            let channel = IRCBridgeHarness.channel
            /// Asks and returns the answer's lines: the first line, and for a backup answer also its notice line.
            func ask(_ question: String, backup: Bool = false) async throws -> String {
                try await alice.send("PRIVMSG \(channel) :gptbot: \(question)")
                var lines = [
                    try await alice.waitForLine(timeout: .seconds(20)) { $0.contains(" PRIVMSG \(channel) :alice: ") }
                ]
                if backup {
                    lines.append(
                        try await alice.waitForLine(timeout: .seconds(20)) {
                            $0.contains(" PRIVMSG \(channel) :") && $0.contains("backup model")
                        }
                    )
                }
                return lines.joined(separator: "\n")
            }

            harness.stub.enqueue(.reply("Primary one."))
            let first = try await ask("first question")
            #expect(first.hasSuffix(":alice: Primary one."))
            let conversation = try #require(harness.stub.conversationRequests.first)

            // GoAPI goes down: the answer comes from the backup, with the earlier turns as context.
            harness.stub.enqueue(.status(503))
            let during = try await ask("second question", backup: true)
            #expect(during.contains("alice: Backup says hi after 2 earlier message(s)."))
            #expect(during.contains("(answered by the backup model)"))
            // The breaker is open: the next question does not even try GoAPI.
            let requestsWhileOpen = harness.stub.conversationRequests.count
            let stillDown = try await ask("third question", backup: true)
            #expect(stillDown.contains("Backup says hi after 4 earlier message(s)."))
            #expect(harness.stub.conversationRequests.count == requestsWhileOpen)

            // GoAPI is back: after the cool-down the next question probes it and the conversation continues.
            clock.advance(.seconds(61))
            harness.stub.enqueue(.reply("Primary again."))
            let after = try await ask("fourth question")
            #expect(after.hasSuffix(":alice: Primary again."))
            let resumed = try #require(harness.stub.conversationRequests.last)
            #expect(resumed.path.hasPrefix("/api/chatgpt/v1/conversation/"))
            #expect(conversation.path == "/api/chatgpt/v1/conversation")
            await alice.quit()
        }
    }
}
