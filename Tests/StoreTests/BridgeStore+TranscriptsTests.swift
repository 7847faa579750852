import Foundation
import Store
import Testing

@Suite struct BridgeStoreTranscriptsTests {
    static func turn(_ role: TranscriptTurn.Role, _ text: String, at seconds: Double = 0) -> TranscriptTurn {
        TranscriptTurn(role: role, text: text, createdAt: at(seconds))
    }

    @Test(arguments: StoreKind.allCases)
    func turnsComeBackOldestFirstPerKey(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let limits = TranscriptLimits(maxTurns: 10, maxCharacters: 1_000)
        try await store.appendTranscript(
            key: "irc:a:#x",
            turns: [Self.turn(.user, "q1"), Self.turn(.assistant, "a1")],
            limits: limits
        )
        try await store.appendTranscript(key: "irc:a:#y", turns: [Self.turn(.user, "other")], limits: limits)
        try await store.appendTranscript(key: "irc:a:#x", turns: [Self.turn(.user, "q2", at: 5)], limits: limits)
        let turns = try await store.transcript(key: "irc:a:#x", since: at(-1))
        #expect(turns.map(\.text) == ["q1", "a1", "q2"])
        #expect(turns.map(\.role) == [.user, .assistant, .user])
        #expect(turns.last?.createdAt == at(5))
    }

    /// A webhook question is JSON, where `\u0000` is a valid character; the history handed to the backup model must
    /// be what was said, in either store, not the text up to its first NUL (which becomes U+FFFD).
    @Test(arguments: StoreKind.allCases)
    func textHoldingANulCharacterComesBackWhole(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let text = "alice: compare a\u{0}b with the rest of this question"
        let limits = TranscriptLimits(maxTurns: 10, maxCharacters: 1_000)
        try await store.appendTranscript(key: "webhook:/hooks/team:t1", turns: [Self.turn(.user, text)], limits: limits)
        #expect(
            try await store.transcript(key: "webhook:/hooks/team:t1", since: at(-1)).map(\.text)
                == ["alice: compare a\u{FFFD}b with the rest of this question"]
        )
    }

    @Test(arguments: StoreKind.allCases)
    func theOldestTurnsGoWhenTurnOrCharacterLimitsAreExceeded(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let byTurns = TranscriptLimits(maxTurns: 3, maxCharacters: 1_000)
        for index in 1...5 {
            try await store.appendTranscript(key: "k", turns: [Self.turn(.user, "t\(index)")], limits: byTurns)
        }
        #expect(try await store.transcript(key: "k", since: at(-1)).map(\.text) == ["t3", "t4", "t5"])

        let byCharacters = TranscriptLimits(maxTurns: 100, maxCharacters: 10)
        try await store.appendTranscript(
            key: "c",
            turns: [Self.turn(.user, "aaaa"), Self.turn(.assistant, "bbbb")],
            limits: byCharacters
        )
        try await store.appendTranscript(key: "c", turns: [Self.turn(.user, "cccc")], limits: byCharacters)
        #expect(try await store.transcript(key: "c", since: at(-1)).map(\.text) == ["bbbb", "cccc"])

        // A message longer than the whole budget is not kept, and does not keep older ones either.
        try await store.appendTranscript(
            key: "c",
            turns: [Self.turn(.assistant, String(repeating: "x", count: 11))],
            limits: byCharacters
        )
        #expect(try await store.transcript(key: "c", since: at(-1)).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func forgettingAndRetentionRemoveHistory(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let limits = TranscriptLimits(maxTurns: 10, maxCharacters: 1_000)
        try await store.appendTranscript(
            key: "k",
            turns: [Self.turn(.user, "old", at: 0), Self.turn(.user, "new", at: 100)],
            limits: limits
        )
        try await store.appendTranscript(key: "other", turns: [Self.turn(.user, "x", at: 0)], limits: limits)
        #expect(try await store.transcript(key: "k", since: at(50)).map(\.text) == ["new"])
        #expect(try await store.purgeTranscripts(before: at(50)) == 2)
        #expect(try await store.transcript(key: "k", since: at(-1)).map(\.text) == ["new"])
        #expect(try await store.deleteTranscript(key: "k") == 1)
        #expect(try await store.transcript(key: "k", since: at(-1)).isEmpty)
    }
}
