import Foundation
import Store
import Testing

@Suite struct BridgeStoreConversationsTests {
    @Test(arguments: StoreKind.allCases)
    func unknownConversationIsNil(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.conversation(key: "irc:libera:#general", gizmoID: nil, model: "gpt-4o") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func firstSaveCreatesRecord(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let saved = try await store.saveConversation(
            key: "irc:libera:#general",
            gizmoID: "g-abc",
            model: "gpt-4o",
            conversationID: "c-1",
            now: at(0)
        )
        let expected = ConversationRecord(
            key: "irc:libera:#general",
            gizmoID: "g-abc",
            model: "gpt-4o",
            conversationID: "c-1",
            createdAt: at(0),
            updatedAt: at(0)
        )
        #expect(saved == expected)
        #expect(
            try await store.conversation(key: "irc:libera:#general", gizmoID: "g-abc", model: "gpt-4o") == expected
        )
    }

    @Test(arguments: StoreKind.allCases)
    func savingAgainReplacesIdAndKeepsCreatedAt(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.saveConversation(key: "k", gizmoID: nil, model: "gpt-4o", conversationID: "c-1", now: at(0))
        let updated = try await store.saveConversation(
            key: "k",
            gizmoID: nil,
            model: "gpt-4o",
            conversationID: "c-2",
            now: at(60)
        )
        #expect(updated.conversationID == "c-2")
        #expect(updated.createdAt == at(0))
        #expect(updated.updatedAt == at(60))
        #expect(try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o") == updated)
    }

    @Test(arguments: StoreKind.allCases)
    func switchingGPTOrModelStartsNewConversationAndSwitchingBackResumes(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.saveConversation(
            key: "k",
            gizmoID: nil,
            model: "gpt-4o",
            conversationID: "plain",
            now: at(0)
        )
        try await store.saveConversation(
            key: "k",
            gizmoID: "g-1",
            model: "gpt-4o",
            conversationID: "gpt",
            now: at(1)
        )
        try await store.saveConversation(
            key: "k",
            gizmoID: nil,
            model: "gpt-4o-mini",
            conversationID: "mini",
            now: at(2)
        )

        #expect(try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o")?.conversationID == "plain")
        #expect(try await store.conversation(key: "k", gizmoID: "g-1", model: "gpt-4o")?.conversationID == "gpt")
        #expect(
            try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o-mini")?.conversationID == "mini"
        )
        #expect(try await store.conversation(key: "k", gizmoID: "g-2", model: "gpt-4o") == nil)
        #expect(try await store.conversation(key: "other", gizmoID: nil, model: "gpt-4o") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func emptyGizmoIDMeansNoGPT(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let saved = try await store.saveConversation(
            key: "k",
            gizmoID: "",
            model: "gpt-4o",
            conversationID: "c-1",
            now: at(0)
        )
        #expect(saved.gizmoID == nil)
        #expect(try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o")?.conversationID == "c-1")
    }

    @Test(arguments: StoreKind.allCases)
    func keysAreComparedExactly(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        // "é" precomposed and decomposed are different channel names on the wire.
        try await store.saveConversation(
            key: "irc:n:#caf\u{E9}",
            gizmoID: nil,
            model: "m",
            conversationID: "c-1",
            now: at(0)
        )
        #expect(try await store.conversation(key: "irc:n:#cafe\u{301}", gizmoID: nil, model: "m") == nil)
        #expect(try await store.conversation(key: "irc:n:#CAF\u{C9}", gizmoID: nil, model: "m") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func deleteForgetsEveryMappingOfTheKeyOnly(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.saveConversation(key: "k", gizmoID: nil, model: "gpt-4o", conversationID: "a", now: at(0))
        try await store.saveConversation(key: "k", gizmoID: "g-1", model: "gpt-4o", conversationID: "b", now: at(0))
        try await store.saveConversation(key: "k2", gizmoID: nil, model: "gpt-4o", conversationID: "c", now: at(0))

        #expect(try await store.deleteConversations(key: "k") == 2)
        #expect(try await store.conversation(key: "k", gizmoID: nil, model: "gpt-4o") == nil)
        #expect(try await store.conversation(key: "k", gizmoID: "g-1", model: "gpt-4o") == nil)
        #expect(try await store.conversation(key: "k2", gizmoID: nil, model: "gpt-4o")?.conversationID == "c")
        #expect(try await store.deleteConversations(key: "k") == 0)
    }
}
