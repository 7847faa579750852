import Bridge
import BridgeTesting
import Foundation
import GoAPI
import InMemoryLogging
import Logging
import Store
import Synchronization
import Testing

/// The backup model end to end in-process: a real GoAPI client against the stub Conversation API, a real
/// chat-completions client against the stub LLM API, and a manual clock for the circuit breaker.
@Suite(.timeLimit(.minutes(1))) struct BackupModelTests {
    static let logger = Logger(label: "backup-tests", factory: { _ in SwiftLogNoOpLogHandler() })
    static let profile = ChatProfile(gizmoID: nil, model: "gpt-4o")
    static let key = "irc:net:#chan"

    /// The stubs, the store, the asker and the clock one test uses.
    struct Rig {
        let goapi: StubGoAPIServer
        let llm: StubWebhookReceiver
        let store: InMemoryBridgeStore
        let asker: ConversationAsker
        let clock: ManualClock

        func ask(_ text: String) async -> Result<ConversationReply, AskFailure> {
            await self.asker.ask(
                key: BackupModelTests.key,
                profile: BackupModelTests.profile,
                text: text,
                logger: BackupModelTests.logger
            )
        }

        func advance(_ duration: Duration) {
            self.clock.advance(duration)
        }

        /// The messages the LLM API got in its `n`-th request.
        func llmMessages(_ index: Int) -> [[String: String]] {
            let body = self.llm.requests[index].body
            return ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["messages"]
                as? [[String: String]]
                ?? []
        }
    }

    static func withRig(
        settings: BackupModel.Settings = BackupModel.Settings(failureThreshold: 2, probeAfter: .seconds(60)),
        logger: Logger = BackupModelTests.logger,
        llmReply: @escaping @Sendable ([[String: String]]) -> String = { _ in "Backup answer." },
        _ body: (Rig) async throws -> Void
    ) async throws {
        try await StubGoAPIServer.withRunning { goapi in
            try await StubWebhookReceiver.withRunning(
                defaultAnswer: StubChatAPIs.llm(apiKey: "llm-key", reply: llmReply)
            ) { llm in
                let client = GoAPIClient(
                    configuration: .init(baseURL: goapi.baseURL, apiKey: "key", retry: RetryPolicy(maxAttempts: 1))
                )
                let completions = ChatCompletionsClient(
                    configuration: .init(baseURL: llm.baseURL, apiKey: "llm-key", model: "gpt-4o-mini")
                )
                let store = InMemoryBridgeStore()
                let clock = ManualClock()
                let backup = BackupModel(client: completions, store: store, settings: settings, logger: logger) {
                    clock.now
                }
                let rig = Rig(
                    goapi: goapi,
                    llm: llm,
                    store: store,
                    asker: ConversationAsker(client: client, store: store, backup: backup),
                    clock: clock
                )
                do {
                    try await body(rig)
                } catch {
                    try? await client.shutdown()
                    try? await completions.shutdown()
                    throw error
                }
                try await client.shutdown()
                try await completions.shutdown()
            }
        }
    }

    @Test(arguments: [
        StubGoAPIServer.Behaviour.status(500),
        .status(429, body: #"{"code": 429, "message": "slow down"}"#),
        .dropConnection,
    ])
    func anUnavailableConversationAPIIsCoveredWithTheRecentTurnsAsContext(
        failure: StubGoAPIServer.Behaviour
    ) async throws {
        try await Self.withRig { (rig: Rig) async throws in
            rig.goapi.enqueue(.reply("Paris."), failure)
            let first = try await rig.ask("alice: capital of France?").get()
            #expect(first.isFromBackup == false)

            let second = try await rig.ask("bob: and of Italy?").get()
            #expect(second.isFromBackup)
            #expect(second.isComplete)
            #expect(second.text == "Backup answer.\n\n(answered by the backup model)")
            #expect(second.conversationID == first.conversationID)
            #expect(rig.llm.requests.count == 1)
            #expect(rig.llm.requests[0].headers["authorization"] == "Bearer llm-key")
            #expect(
                rig.llmMessages(0) == [
                    ["role": "user", "content": "alice: capital of France?"],
                    ["role": "assistant", "content": "Paris."],
                    ["role": "user", "content": "bob: and of Italy?"],
                ]
            )
        }
    }

    @Test func failuresTheBackupCannotFixAreReportedAsBefore() async throws {
        try await Self.withRig { (rig: Rig) async throws in
            rig.goapi.enqueue(
                .status(401, body: #"{"code": 401, "message": "bad key"}"#),
                .truncated(partial: "Half of it")
            )
            guard case .failure(.goapi(let refused)) = await rig.ask("q1") else {
                Issue.record("a refused key was covered")
                return
            }
            #expect(refused.code == .unauthorized)
            let cut = try await rig.ask("q2").get()
            #expect(cut.isComplete == false)
            #expect(cut.isFromBackup == false)
            #expect(rig.llm.requests.isEmpty)
        }
    }

    @Test func whenTheBackupFailsTooThePersonHearsAboutTheConversationAPI() async throws {
        try await Self.withRig { (rig: Rig) async throws in
            rig.goapi.enqueue(.status(503))
            rig.llm.enqueue(.init(status: 500, body: #"{"error":{"message":"overloaded"}}"#))
            guard case .failure(.goapi(let error)) = await rig.ask("q") else {
                Issue.record("expected a failure")
                return
            }
            #expect(error.code == .serverError)
            #expect(error.status == 503)
        }
    }

    /// Each turn of the breaker is logged: before, only a gauge said that questions had stopped going to GoAPI.
    @Test func theBreakerOpensProbesAfterTheCoolDownAndTheConversationResumes() async throws {
        let (logger, logs) = makeTraceLogger()
        try await Self.withRig(logger: logger) { (rig: Rig) async throws in
            rig.goapi.enqueue(.reply("One."), .status(500), .status(500))
            let first = try await rig.ask("q1").get()
            #expect(try await rig.ask("q2").get().isFromBackup)
            #expect(try await rig.ask("q3").get().isFromBackup)
            // Open: the Conversation API is not asked at all, the backup answers at once.
            let beforeOpen = rig.goapi.conversationRequests.count
            #expect(try await rig.ask("q4").get().isFromBackup)
            #expect(rig.goapi.conversationRequests.count == beforeOpen)

            // After the cool-down one question probes; the API is back, and the same conversation continues.
            rig.advance(.seconds(61))
            let probe = try await rig.ask("q5").get()
            #expect(probe.isFromBackup == false)
            #expect(probe.conversationID == first.conversationID)
            #expect(rig.goapi.conversationRequests.last?.path == "/api/chatgpt/v1/conversation/\(first.conversationID)")
            #expect(try await rig.ask("q6").get().isFromBackup == false)
        }
        #expect(
            logs.entries.map { "\($0.level) \($0.message)" } == [
                "warning GoAPI keeps failing: questions go to the backup model until a probe succeeds",
                "notice Probing GoAPI again with the next question",
                "notice GoAPI answers again: questions go to it, not to the backup model",
            ]
        )
    }

    @Test func aFailedProbeKeepsTheBreakerOpenForAnotherCoolDown() async throws {
        try await Self.withRig { (rig: Rig) async throws in
            rig.goapi.enqueue(.status(500), .status(500), .status(500))
            _ = await rig.ask("q1")
            _ = await rig.ask("q2")
            rig.advance(.seconds(61))
            #expect(try await rig.ask("probe").get().isFromBackup)
            let afterProbe = rig.goapi.conversationRequests.count
            #expect(afterProbe == 3)
            rig.advance(.seconds(30))
            #expect(try await rig.ask("q3").get().isFromBackup)
            #expect(rig.goapi.conversationRequests.count == afterProbe)
        }
    }

    @Test func theContextIsBoundedAndForgettingClearsIt() async throws {
        let settings = BackupModel.Settings(
            limits: TranscriptLimits(maxTurns: 2, maxCharacters: 1_000),
            notice: "",
            failureThreshold: 1
        )
        try await Self.withRig(settings: settings) { (rig: Rig) async throws in
            rig.goapi.enqueue(.reply("A1"), .reply("A2"), .status(500))
            _ = try await rig.ask("Q1").get()
            _ = try await rig.ask("Q2").get()
            let backup = try await rig.ask("Q3").get()
            #expect(backup.text == "Backup answer.")
            #expect(rig.llmMessages(0).map { $0["content"] ?? "" } == ["Q2", "A2", "Q3"])

            try await rig.store.deleteTranscript(key: Self.key)
            _ = try await rig.ask("Q4").get()
            #expect(rig.llmMessages(1).map { $0["content"] ?? "" } == ["Q4"])
        }
    }
}

/// A clock the test moves by hand, for the breaker's cool-down.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    /// The current instant.
    var now: ContinuousClock.Instant { self.instant.withLock { $0 } }

    /// Moves the clock forward.
    func advance(_ duration: Duration) {
        self.instant.withLock { $0 = $0.advanced(by: duration) }
    }
}
