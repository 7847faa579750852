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

    @Test func aConversationTheStoreCannotSaveIsContinuedAndSavedOnceItCan() async throws {
        let store = FlakyWritesStore()
        store.setFailing([.saveConversation], true)
        try await self.withAsker(store: store) { stub, asker in
            let first = try await asker.ask(key: "k", profile: self.profile, text: "q1", logger: self.logger).get()
            #expect(try await store.conversation(key: "k", gizmoID: "g-3w1rEXGE0", model: "gpt-4o") == nil)
            // The disk is still full: the next question continues the conversation instead of starting another.
            _ = try await asker.ask(key: "k", profile: self.profile, text: "q2", logger: self.logger).get()
            store.setFailing([.saveConversation], false)
            _ = try await asker.ask(key: "k", profile: self.profile, text: "q3", logger: self.logger).get()
            let continued = "/api/chatgpt/v1/conversation/\(first.conversationID)"
            #expect(stub.conversationRequests.map(\.path) == ["/api/chatgpt/v1/conversation", continued, continued])
            // Written at the first question after the store recovered, so a restart keeps it too.
            let stored = try await store.conversation(key: "k", gizmoID: "g-3w1rEXGE0", model: "gpt-4o")
            #expect(stored?.conversationID == first.conversationID)
        }
    }

    @Test func aResetForgetsAConversationTheStoreCouldNotSave() async throws {
        let store = FlakyWritesStore()
        store.setFailing([.saveConversation], true)
        try await self.withAsker(store: store) { stub, asker in
            _ = try await asker.ask(key: "k", profile: self.profile, text: "q1", logger: self.logger).get()
            asker.forgetUnsaved(key: "k")
            _ = try await asker.ask(key: "k", profile: self.profile, text: "q2", logger: self.logger).get()
            #expect(stub.conversationRequests.map(\.path) == Array(repeating: "/api/chatgpt/v1/conversation", count: 2))
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
