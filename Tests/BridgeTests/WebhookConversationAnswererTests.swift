import Bridge
import BridgeTesting
import GoAPI
import InMemoryLogging
import Logging
import Store
import Testing
import Webhooks

@Suite(.timeLimit(.minutes(1))) struct WebhookConversationAnswererTests {
    func withAnswerer(
        logger: Logger = Logger(label: "test"),
        _ body: (StubGoAPIServer, WebhookConversationAnswerer) async throws -> Void
    ) async throws {
        try await StubGoAPIServer.withRunning { stub in
            let client = GoAPIClient(
                configuration: .init(baseURL: stub.baseURL, apiKey: "key", retry: RetryPolicy(maxAttempts: 1))
            )
            let answerer = WebhookConversationAnswerer(
                asker: ConversationAsker(client: client, store: InMemoryBridgeStore()),
                defaults: ProfileDefaults(gizmoID: nil, model: "gpt-4o", gizmoModel: "gpt-4o"),
                profiles: ["/hooks/gpt": .init(gizmoID: "g-Team", model: nil)],
                logger: logger
            )
            do {
                try await body(stub, answerer)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test func eachThreadIsOneConversationAndTheSenderIsNamed() async throws {
        try await self.withAnswerer { stub, answerer in
            let first = await answerer.answer(
                WebhookQuestion(endpoint: "/hooks/team", thread: "t1", user: "alice", text: "hi")
            )
            #expect(first.reply == StubGoAPIServer.defaultReply)
            #expect(!first.incomplete)
            _ = await answerer.answer(WebhookQuestion(endpoint: "/hooks/team", thread: "t1", user: nil, text: "more"))
            _ = await answerer.answer(WebhookQuestion(endpoint: "/hooks/team", thread: "t2", user: nil, text: "other"))
            let requests = stub.conversationRequests
            #expect(requests.map(\.questionText) == ["alice: hi", "more", "other"])
            #expect(requests[1].path == "/api/chatgpt/v1/conversation/\(first.conversationID ?? "?")")
            #expect(requests[2].path == "/api/chatgpt/v1/conversation", "another thread is another conversation")
        }
    }

    @Test func aQuestionCancelledBehindABusyThreadReturnsAtOnceWithoutAsking() async throws {
        try await self.withAnswerer { stub, answerer in
            let firstHeld = StubGate()
            stub.enqueue(.replyWhenOpened("First.", firstHeld))
            let first = Task {
                await answerer.answer(WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: nil, text: "first"))
            }
            try await waitUntil("the first question reaching GoAPI") { stub.conversationRequests.count == 1 }
            // A sync request's timeout cancels its answering task: it must not wait for the question ahead of it.
            let second = Task {
                await answerer.answer(WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: nil, text: "second"))
            }
            try await waitUntil("the second question waiting") { answerer.serializer.waitingCount(for: Self.key) == 1 }
            second.cancel()
            let cancelled = await second.value
            #expect(cancelled.incomplete)
            #expect(cancelled.reply == nil)
            #expect(!firstHeld.isOpen, "it returned while the first question was still being answered")

            firstHeld.open()
            #expect(await first.value.reply == "First.")
            let third = await answerer.answer(
                WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: nil, text: "third")
            )
            #expect(third.reply == StubGoAPIServer.defaultReply, "the thread goes on")
            #expect(
                stub.conversationRequests.map(\.questionText) == ["first", "third"],
                "the cancelled one was never asked"
            )
        }
    }

    private static let key = ConversationKey.webhookThread(endpoint: "/hooks/team", thread: "t")

    @Test func imagesArriveAsLinksAndFailedLinksAsACountNotAFailure() async throws {
        try await self.withAnswerer { stub, answerer in
            stub.enqueue(.reply("Here you go.", imageFileIDs: ["file-a", "file-b"]))
            let answer = await answerer.answer(
                WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: nil, text: "q")
            )
            #expect(answer.images == ["https://files.example/file-a.png", "https://files.example/file-b.png"])
            #expect(answer.unavailableImages == 0)

            stub.setDownloads(.fail)
            stub.enqueue(.reply("Another.", imageFileIDs: ["file-c"]))
            let degraded = await answerer.answer(
                WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: nil, text: "q2")
            )
            #expect(degraded.reply == "Another.")
            #expect(!degraded.incomplete)
            #expect(degraded.images.isEmpty)
            #expect(degraded.unavailableImages == 1)
        }
    }

    @Test func forgetClearsTheThreadsBackupHistoryOnly() async throws {
        try await self.withAnswerer { stub, answerer in
            let answer = await answerer.answer(
                WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: "alice", text: " /forget ")
            )
            #expect(answer.reply?.hasPrefix("Forgot 0 message(s)") == true)
            #expect(stub.conversationRequests.isEmpty)
        }
    }

    @Test func aWebhookClientGetsABackupAnswerMarkedAsSuchWhileGoAPIIsDown() async throws {
        try await StubWebhookReceiver.withRunning(defaultAnswer: StubChatAPIs.llm(apiKey: "llm")) { llm in
            try await StubGoAPIServer.withRunning { stub in
                let client = GoAPIClient(
                    configuration: .init(baseURL: stub.baseURL, apiKey: "key", retry: RetryPolicy(maxAttempts: 1))
                )
                let completions = ChatCompletionsClient(
                    configuration: .init(baseURL: llm.baseURL, apiKey: "llm", model: "gpt-4o-mini")
                )
                let store = InMemoryBridgeStore()
                let answerer = WebhookConversationAnswerer(
                    asker: ConversationAsker(
                        client: client,
                        store: store,
                        backup: BackupModel(client: completions, store: store, settings: .init())
                    ),
                    defaults: ProfileDefaults(gizmoID: nil, model: "gpt-4o", gizmoModel: "gpt-4o"),
                    profiles: [:],
                    logger: Logger(label: "test")
                )
                stub.enqueue(.status(502))
                let answer = await answerer.answer(
                    WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: nil, text: "q")
                )
                try await client.shutdown()
                try await completions.shutdown()
                #expect(answer.fromBackup)
                #expect(!answer.incomplete)
                #expect(answer.reply == "Backup answer.\n\n(answered by the backup model)")
                #expect(answer.conversationID == nil, "no conversation was ever started")
            }
        }
    }

    @Test func endpointProfilesSelectTheGPT() async throws {
        try await self.withAnswerer { stub, answerer in
            _ = await answerer.answer(WebhookQuestion(endpoint: "/hooks/gpt", thread: "t", user: nil, text: "q"))
            #expect(stub.conversationRequests.first?.json?["gizmo_id"] as? String == "g-Team")
        }
    }

    /// They are logged too, as on IRC: before, a webhook answer that failed left only its delivery in the log.
    @Test func cutOffAndFailedAnswersCarryErrorAndPartialButNoReply() async throws {
        let (logger, logs) = makeTraceLogger()
        try await self.withAnswerer(logger: logger) { stub, answerer in
            stub.enqueue(.truncated(partial: "Half"), .status(401, body: #"{"message": "bad key"}"#))
            let cut = await answerer.answer(WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: nil, text: "q"))
            #expect(cut.reply == nil)
            #expect(cut.incomplete)
            #expect(cut.partial == "Half")
            #expect(cut.error?.contains("cut off") == true)
            #expect(cut.conversationID != nil)
            let failed = await answerer.answer(
                WebhookQuestion(endpoint: "/hooks/team", thread: "u", user: nil, text: "q")
            )
            #expect(failed.reply == nil)
            #expect(failed.incomplete)
            #expect(failed.error?.contains("key") == true)
            #expect(failed.conversationID == nil, "a thread without a conversation names none")
            // A failure in a thread with a conversation names it, although GoAPI failed before streaming.
            stub.enqueue(.status(503))
            let again = await answerer.answer(
                WebhookQuestion(endpoint: "/hooks/team", thread: "t", user: nil, text: "q")
            )
            #expect(again.incomplete)
            #expect(again.conversationID == cut.conversationID)
        }
        let outcomes = logs.entries.filter { ["answer cut off", "question failed"].contains("\($0.message)") }
        #expect(outcomes.map { "\($0.message)" } == ["answer cut off", "question failed", "question failed"])
        #expect(outcomes.allSatisfy { $0.metadata["webhook.endpoint"] == "/hooks/team" })
        #expect(outcomes.first?.level == .notice)
        #expect(outcomes.dropFirst().allSatisfy { $0.level == .warning })
    }
}
