import Foundation
import Store
import Testing

@Suite struct BridgeStoreOutboxTests {
    /// A delivery to the team webhook with a recognisable payload.
    static func delivery(_ id: String, created: Double = 0, due: Double? = nil) -> OutboxDelivery {
        OutboxDelivery(
            id: id,
            target: "webhook:/hooks/team",
            payload: Data("{\"reply\":\"\(id)\"}".utf8),
            createdAt: at(created),
            nextAttemptAt: due.map(at)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func enqueuedDeliveryIsDueWithAllItsFields(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let delivery = OutboxDelivery(
            id: "msg_1",
            target: "webhook:/hooks/team",
            payload: Data([0, 1, 2, 255]),
            createdAt: at(0),
            attempts: 2,
            nextAttemptAt: at(30),
            lastError: "HTTP 503"
        )
        #expect(try await store.enqueue(delivery))
        #expect(try await store.dueDeliveries(now: at(29), limit: 10).isEmpty)
        #expect(try await store.dueDeliveries(now: at(30), limit: 10) == [delivery])
    }

    @Test(arguments: StoreKind.allCases)
    func emptyPayloadStaysEmpty(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let delivery = OutboxDelivery(id: "empty", target: "t", payload: Data(), createdAt: at(0))
        try await store.enqueue(delivery)
        #expect(try await store.dueDeliveries(now: at(0), limit: 1) == [delivery])
    }

    @Test(arguments: StoreKind.allCases)
    func enqueueIsIdempotentOnID(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let original = Self.delivery("msg_1")
        #expect(try await store.enqueue(original))
        var repeated = Self.delivery("msg_1", created: 5)
        repeated.payload = Data("different".utf8)
        #expect(try await store.enqueue(repeated) == false)
        #expect(try await store.pendingDeliveryCount() == 1)
        #expect(try await store.dueDeliveries(now: at(100), limit: 10) == [original])
    }

    @Test(arguments: StoreKind.allCases)
    func dueDeliveriesComeLongestWaitingFirstAndRespectLimit(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.enqueue(Self.delivery("late", created: 0, due: 50))
        try await store.enqueue(Self.delivery("b-second", created: 2, due: 10))
        try await store.enqueue(Self.delivery("a-first", created: 1, due: 10))
        try await store.enqueue(Self.delivery("tie-b", created: 3, due: 20))
        try await store.enqueue(Self.delivery("tie-a", created: 3, due: 20))
        try await store.enqueue(Self.delivery("future", created: 0, due: 1000))

        let due = try await store.dueDeliveries(now: at(100), limit: 10).map(\.id)
        #expect(due == ["a-first", "b-second", "tie-a", "tie-b", "late"])
        #expect(try await store.dueDeliveries(now: at(100), limit: 2).map(\.id) == ["a-first", "b-second"])
        #expect(try await store.dueDeliveries(now: at(100), limit: 0).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func dueDeliveriesWithAnIDPrefixFindThoseBehindAQueueOfOthers(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        for index in 0..<50 { try await store.enqueue(Self.delivery("q:\(index)", created: 0, due: 1)) }
        try await store.enqueue(Self.delivery("r:late", created: 5, due: 30))
        try await store.enqueue(Self.delivery("r:early", created: 6, due: 20))
        try await store.enqueue(Self.delivery("r:future", created: 0, due: 1000))
        try await store.enqueue(Self.delivery("r;next", created: 0, due: 1))
        try await store.enqueue(Self.delivery("r", created: 0, due: 1))

        #expect(try await store.dueDeliveries(now: at(100), limit: 10).allSatisfy { $0.id.hasPrefix("q:") })
        let replies = try await store.dueDeliveries(now: at(100), limit: 10, idPrefix: "r:").map(\.id)
        #expect(replies == ["r:early", "r:late"], "only ids starting with the prefix, in due order")
        #expect(try await store.dueDeliveries(now: at(100), limit: 1, idPrefix: "r:").map(\.id) == ["r:early"])
        #expect(try await store.dueDeliveries(now: at(100), limit: 0, idPrefix: "r:").isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func markDeliveredRemovesIt(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.enqueue(Self.delivery("a"))
        try await store.enqueue(Self.delivery("b"))
        #expect(try await store.markDelivered(id: "a"))
        #expect(try await store.markDelivered(id: "a") == false)
        #expect(try await store.dueDeliveries(now: at(10), limit: 10).map(\.id) == ["b"])
        #expect(try await store.pendingDeliveryCount() == 1)
        #expect(try await store.deadLetters(limit: 10).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func rescheduleRecordsTheFailureAndDefersTheDelivery(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.enqueue(Self.delivery("a"))
        #expect(try await store.reschedule(id: "a", attempts: 1, nextAttemptAt: at(60), lastError: "timeout"))
        #expect(try await store.dueDeliveries(now: at(59), limit: 10).isEmpty)

        let retried = try #require(try await store.dueDeliveries(now: at(60), limit: 10).first)
        #expect(retried.attempts == 1)
        #expect(retried.lastError == "timeout")
        #expect(retried.createdAt == at(0))
        #expect(retried.payload == Self.delivery("a").payload)
        #expect(try await store.reschedule(id: "gone", attempts: 1, nextAttemptAt: at(60), lastError: nil) == false)
    }

    @Test(arguments: StoreKind.allCases)
    func abandonMovesTheDeliveryToDeadLetters(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let delivery = Self.delivery("a")
        try await store.enqueue(delivery)
        try await store.reschedule(id: "a", attempts: 8, nextAttemptAt: at(300), lastError: "HTTP 500")

        #expect(try await store.abandon(id: "a", reason: "retry limit reached", now: at(400)))
        #expect(try await store.pendingDeliveryCount() == 0)
        #expect(try await store.dueDeliveries(now: at(1000), limit: 10).isEmpty)
        let expected = DeadLetter(
            id: "a",
            target: "webhook:/hooks/team",
            payloadByteCount: delivery.payload.count,
            createdAt: at(0),
            attempts: 8,
            lastError: "HTTP 500",
            reason: "retry limit reached",
            abandonedAt: at(400)
        )
        #expect(try await store.deadLetters(limit: 10) == [expected])
        #expect(try await store.abandon(id: "a", reason: "again", now: at(500)) == false)
        #expect(try await store.deadLetters(limit: 10).count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func deadLettersListNewestFirstAndPurgeOldOnes(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        for id in ["old", "mid", "new", "new-too"] {
            try await store.enqueue(Self.delivery(id))
        }
        try await store.abandon(id: "old", reason: "410 Gone", now: at(10))
        try await store.abandon(id: "new", reason: "410 Gone", now: at(30))
        try await store.abandon(id: "mid", reason: "410 Gone", now: at(20))
        try await store.abandon(id: "new-too", reason: "410 Gone", now: at(30))

        #expect(try await store.deadLetters(limit: 10).map(\.id) == ["new-too", "new", "mid", "old"])
        #expect(try await store.deadLetters(limit: 1).map(\.id) == ["new-too"])
        #expect(try await store.purgeDeadLetters(abandonedBefore: at(30)) == 2)
        #expect(try await store.deadLetters(limit: 10).map(\.id) == ["new-too", "new"])
    }

    @Test(arguments: StoreKind.allCases)
    func countAndNextDueDateFollowTheQueue(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.pendingDeliveryCount() == 0)
        #expect(try await store.nextDueDate() == nil)

        try await store.enqueue(Self.delivery("a", due: 40))
        try await store.enqueue(Self.delivery("b", due: 25))
        #expect(try await store.pendingDeliveryCount() == 2)
        #expect(try await store.nextDueDate() == at(25))

        try await store.reschedule(id: "b", attempts: 1, nextAttemptAt: at(90), lastError: nil)
        #expect(try await store.nextDueDate() == at(40))
        try await store.markDelivered(id: "a")
        #expect(try await store.nextDueDate() == at(90))
        try await store.abandon(id: "b", reason: "gave up", now: at(100))
        #expect(try await store.nextDueDate() == nil)
        #expect(try await store.pendingDeliveryCount() == 0)
    }
}
