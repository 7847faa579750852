import Foundation
import Store
import Testing

extension BridgeStore {
    /// ``BridgeStore/rememberDelivery(scope:id:acknowledgement:expiresAt:now:)`` with test-sized arguments.
    func remember(
        _ id: String,
        scope: String = "webhook:/hooks/team",
        ack: Data? = nil,
        expires: Double,
        now: Double
    ) async throws -> DeliveryMemory {
        try await rememberDelivery(scope: scope, id: id, acknowledgement: ack, expiresAt: at(expires), now: at(now))
    }
}

@Suite struct BridgeStoreSeenDeliveriesTests {
    static let accepted = Data("{\"status\":\"accepted\"}".utf8)

    @Test(arguments: StoreKind.allCases)
    func repeatGetsTheOriginalAcknowledgement(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.remember("msg_1", ack: Self.accepted, expires: 300, now: 0) == .new)
        let repeated = try await store.remember("msg_1", ack: Data("other".utf8), expires: 900, now: 10)
        #expect(repeated == .seen(acknowledgement: Self.accepted))
    }

    @Test(arguments: StoreKind.allCases)
    func missingAndEmptyAcknowledgementsStayDistinct(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.remember("none", ack: nil, expires: 60, now: 0) == .new)
        #expect(try await store.remember("empty", ack: Data(), expires: 60, now: 0) == .new)
        #expect(try await store.remember("none", expires: 60, now: 1) == .seen(acknowledgement: nil))
        #expect(try await store.remember("empty", expires: 60, now: 1) == .seen(acknowledgement: Data()))
    }

    @Test(arguments: StoreKind.allCases)
    func sameIDInAnotherScopeIsNew(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.remember("Ev1", scope: "slack:/hooks/slack", expires: 60, now: 0) == .new)
        #expect(try await store.remember("Ev1", scope: "mattermost:/hooks/mm", expires: 60, now: 0) == .new)
        #expect(
            try await store.remember("Ev1", scope: "slack:/hooks/slack", expires: 60, now: 1)
                == .seen(acknowledgement: nil)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func expiredIDCountsAsNewAgain(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.remember("a", ack: Self.accepted, expires: 60, now: 0) == .new)
        #expect(try await store.remember("a", expires: 200, now: 59) == .seen(acknowledgement: Self.accepted))
        #expect(try await store.remember("a", ack: nil, expires: 200, now: 60) == .new)
        // The renewed record holds the new acknowledgement and lasts until the new expiry.
        #expect(try await store.remember("a", expires: 300, now: 199) == .seen(acknowledgement: nil))
    }

    @Test(arguments: StoreKind.allCases)
    func updatedAcknowledgementIsWhatRepeatsGet(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.remember("a", expires: 60, now: 0) == .new)
        let final = Data("{\"reply\":\"42\"}".utf8)
        #expect(
            try await store.updateAcknowledgement(scope: "webhook:/hooks/team", id: "a", acknowledgement: final)
        )
        #expect(try await store.remember("a", expires: 60, now: 1) == .seen(acknowledgement: final))
        #expect(
            try await store.updateAcknowledgement(scope: "webhook:/hooks/team", id: "b", acknowledgement: final)
                == false
        )
    }

    @Test(arguments: StoreKind.allCases)
    func purgeDeletesOnlyExpiredIDs(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.remember("short", expires: 10, now: 0) == .new)
        #expect(try await store.remember("exact", expires: 20, now: 0) == .new)
        #expect(try await store.remember("long", ack: Self.accepted, expires: 99, now: 0) == .new)

        #expect(try await store.purgeExpired(now: at(20)) == 2)
        #expect(try await store.purgeExpired(now: at(20)) == 0)
        #expect(
            try await store.updateAcknowledgement(scope: "webhook:/hooks/team", id: "short", acknowledgement: nil)
                == false
        )
        #expect(try await store.remember("long", expires: 99, now: 21) == .seen(acknowledgement: Self.accepted))
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentIdenticalDeliveriesYieldExactlyOneNew(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let outcomes = try await withThrowingTaskGroup(of: DeliveryMemory.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    try await store.remember(
                        "Ev42",
                        scope: "slack:/hooks/slack",
                        ack: Self.accepted,
                        expires: 300,
                        now: 0
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .new }.count == 1)
        #expect(outcomes.filter { $0 == .seen(acknowledgement: Self.accepted) }.count == 63)
    }
}
