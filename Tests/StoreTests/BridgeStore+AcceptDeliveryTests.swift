import Foundation
import Store
import Testing

/// ``BridgeStore/acceptDelivery(_:ids:scope:acknowledgement:expiresAt:now:)`` and
/// ``BridgeStore/replaceDelivery(id:with:)``: the single-transaction steps webhooks rely on so a crash never loses
/// or doubles a question.
@Suite struct BridgeStoreAcceptDeliveryTests {
    static let queued = Data("{\"status\":\"queued\"}".utf8)

    static func accept(
        _ store: any BridgeStore,
        _ delivery: OutboxDelivery,
        ids: [String],
        ack: Data = queued,
        now: Double = 0
    ) async throws -> DeliveryMemory {
        try await store.acceptDelivery(
            delivery,
            ids: ids,
            scope: "/hooks/slack",
            acknowledgement: ack,
            expiresAt: at(now + 300),
            now: at(now)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func newRequestIsRememberedAndQueued(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let question = BridgeStoreOutboxTests.delivery("q:1")
        #expect(try await Self.accept(store, question, ids: ["event:E1", "message:C1:1.0"]) == .new)
        #expect(try await store.dueDeliveries(now: at(0), limit: 10) == [question])
        let repeat1 = try await store.remember("event:E1", scope: "/hooks/slack", expires: 600, now: 1)
        #expect(repeat1 == .seen(acknowledgement: Self.queued))
    }

    @Test(arguments: StoreKind.allCases)
    func anyRememberedIDStopsTheWorkAndTeachesTheOthers(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let question = BridgeStoreOutboxTests.delivery("q:1")
        _ = try await Self.accept(store, question, ids: ["event:E1", "message:C1:1.0"])
        try await store.markDelivered(id: "q:1")

        // The same message under a new event id: no second question.
        let again = BridgeStoreOutboxTests.delivery("q:2")
        let memory = try await Self.accept(store, again, ids: ["event:E2", "message:C1:1.0"], now: 5)
        #expect(memory == .seen(acknowledgement: Self.queued))
        #expect(try await store.pendingDeliveryCount() == 0)
        // …and the new event id now counts as seen as well.
        let repeat2 = try await store.remember("event:E2", scope: "/hooks/slack", expires: 600, now: 6)
        #expect(repeat2 == .seen(acknowledgement: Self.queued))
    }

    @Test(arguments: StoreKind.allCases)
    func expiredIDsCountAsNew(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        _ = try await Self.accept(store, BridgeStoreOutboxTests.delivery("q:1"), ids: ["event:E1"])
        let later = BridgeStoreOutboxTests.delivery("q:1b")
        #expect(try await Self.accept(store, later, ids: ["event:E1"], now: 300) == .new)
        #expect(try await store.pendingDeliveryCount() == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func replaceSwapsOneStepForTheNext(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.enqueue(BridgeStoreOutboxTests.delivery("q:1"))
        let reply = BridgeStoreOutboxTests.delivery("r:1", created: 10)
        #expect(try await store.replaceDelivery(id: "q:1", with: reply))
        #expect(try await store.dueDeliveries(now: at(100), limit: 10) == [reply])
    }

    @Test(arguments: StoreKind.allCases)
    func replacingAGoneDeliveryQueuesNothing(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.enqueue(BridgeStoreOutboxTests.delivery("q:1"))
        try await store.abandon(id: "q:1", reason: "expired", now: at(5))
        #expect(try await store.replaceDelivery(id: "q:1", with: BridgeStoreOutboxTests.delivery("r:1")) == false)
        #expect(try await store.pendingDeliveryCount() == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentAcceptsEachGetTheirOwnAnswerAndExactlyOneWinsPerID(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        // 200 requests for 50 distinct ids, all at once: commits are shared, answers are not.
        let results = try await withThrowingTaskGroup(of: (Int, DeliveryMemory).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let id = index % 50
                    let memory = try await Self.accept(
                        store,
                        BridgeStoreOutboxTests.delivery("q:\(id)"),
                        ids: ["event:\(id)"]
                    )
                    return (id, memory)
                }
            }
            var results: [(Int, DeliveryMemory)] = []
            for try await result in group { results.append(result) }
            return results
        }
        let winners = results.filter { $0.1 == .new }.map(\.0)
        #expect(winners.sorted() == Array(0..<50))
        #expect(results.filter { $0.1 == .seen(acknowledgement: Self.queued) }.count == 150)
        #expect(try await store.pendingDeliveryCount() == 50)
    }
}
