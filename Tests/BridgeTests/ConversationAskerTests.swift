import Bridge
import BridgeTesting
import Foundation
import GoAPI
import Logging
import Store
import Testing

@Suite(.timeLimit(.minutes(1))) struct ConversationAskerTests {
    let logger = Logger(label: "test")
    let profile = ChatProfile(gizmoID: "g-3w1rEXGE0", model: "gpt-4o")

    func withAsker(
        store: any BridgeStore,
        _ body: (StubGoAPIServer, ConversationAsker) async throws -> Void
    ) async throws {
        try await StubGoAPIServer.withRunning { stub in
            let client = GoAPIClient(
                configuration: .init(
                    baseURL: stub.baseURL,
                    apiKey: "key",
                    retry: RetryPolicy(maxAttempts: 1)
                )
            )
            do {
                try await body(stub, ConversationAsker(client: client, store: store))
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test func secondQuestionContinuesTheStoredConversation() async throws {
        let store = InMemoryBridgeStore()
        try await self.withAsker(store: store) { stub, asker in
            let first = try await asker.ask(
                key: "irc:net:#chan",
                profile: self.profile,
                text: "alice: hi",
                logger: self.logger
            ).get()
            let stored = try await store.conversation(key: "irc:net:#chan", gizmoID: "g-3w1rEXGE0", model: "gpt-4o")
            #expect(stored?.conversationID == first.conversationID)
            _ = try await asker.ask(key: "irc:net:#chan", profile: self.profile, text: "bob: more", logger: self.logger)
                .get()
            #expect(
                stub.conversationRequests.map(\.path) == [
                    "/api/chatgpt/v1/conversation",
                    "/api/chatgpt/v1/conversation/\(first.conversationID)",
                ]
            )
        }
    }

    @Test func conversationIDIsStoredEvenWhenTheStreamBreaks() async throws {
        let store = InMemoryBridgeStore()
        try await self.withAsker(store: store) { stub, asker in
            stub.enqueue(.truncated(partial: "Half"))
            let reply = try await asker.ask(key: "k", profile: self.profile, text: "q", logger: self.logger).get()
            #expect(!reply.isComplete)
            let stored = try await store.conversation(key: "k", gizmoID: "g-3w1rEXGE0", model: "gpt-4o")
            #expect(stored?.conversationID == reply.conversationID)
        }
    }

    @Test func switchingGPTStartsASeparateConversationAndSwitchingBackResumes() async throws {
        let store = InMemoryBridgeStore()
        try await self.withAsker(store: store) { stub, asker in
            let plain = ChatProfile(gizmoID: nil, model: "gpt-4o")
            let withGPT = try await asker.ask(key: "k", profile: self.profile, text: "q1", logger: self.logger).get()
            let withoutGPT = try await asker.ask(key: "k", profile: plain, text: "q2", logger: self.logger).get()
            #expect(withGPT.conversationID != withoutGPT.conversationID)
            _ = try await asker.ask(key: "k", profile: self.profile, text: "q3", logger: self.logger).get()
            #expect(stub.conversationRequests.last?.path == "/api/chatgpt/v1/conversation/\(withGPT.conversationID)")
        }
    }

    @Test func unreadableStoreRefusesRatherThanForkingTheConversation() async throws {
        try await self.withAsker(store: FailingStore()) { stub, asker in
            let result = await asker.ask(key: "k", profile: self.profile, text: "q", logger: self.logger)
            guard case .failure(.storeUnavailable) = result else {
                Issue.record("expected storeUnavailable, got \(result)")
                return
            }
            #expect(stub.requests.isEmpty, "nothing was sent to GoAPI")
        }
    }
}

/// A store whose reads fail, standing in for a database that went away.
private struct FailingStore: BridgeStore {
    struct Unavailable: Error {}

    func conversation(key: String, gizmoID: String?, model: String) async throws -> ConversationRecord? {
        throw Unavailable()
    }
    func saveConversation(
        key: String,
        gizmoID: String?,
        model: String,
        conversationID: String,
        now: Date
    ) async throws
        -> ConversationRecord
    { throw Unavailable() }
    func deleteConversations(key: String) async throws -> Int { throw Unavailable() }
    func channelSettings(key: String) async throws -> ChannelSettings? { throw Unavailable() }
    func saveChannelSettings(_ settings: ChannelSettings) async throws { throw Unavailable() }
    func deleteChannelSettings(key: String) async throws -> Bool { throw Unavailable() }
    func enqueue(_ delivery: OutboxDelivery) async throws -> Bool { throw Unavailable() }
    func dueDeliveries(now: Date, limit: Int) async throws -> [OutboxDelivery] { throw Unavailable() }
    func markDelivered(id: String) async throws -> Bool { throw Unavailable() }
    func reschedule(id: String, attempts: Int, nextAttemptAt: Date, lastError: String?) async throws -> Bool {
        throw Unavailable()
    }
    func abandon(id: String, reason: String, now: Date) async throws -> Bool { throw Unavailable() }
    func deadLetters(limit: Int) async throws -> [DeadLetter] { throw Unavailable() }
    func purgeDeadLetters(abandonedBefore date: Date) async throws -> Int { throw Unavailable() }
    func pendingDeliveryCount() async throws -> Int { throw Unavailable() }
    func nextDueDate() async throws -> Date? { throw Unavailable() }
    func rememberDelivery(
        scope: String,
        id: String,
        acknowledgement: Data?,
        expiresAt: Date,
        now: Date
    ) async throws
        -> DeliveryMemory
    { throw Unavailable() }
    func updateAcknowledgement(scope: String, id: String, acknowledgement: Data?) async throws -> Bool {
        throw Unavailable()
    }
    func purgeExpired(now: Date) async throws -> Int { throw Unavailable() }
    func checkWritable() async throws { throw Unavailable() }
}
