import Foundation
import Store
import Synchronization

/// An ``InMemoryBridgeStore`` whose chosen writes fail while the test says so, standing in for a full disk or a
/// lock another process holds (reads still work, as they do on a full disk); everything else, and every write once
/// it works again, goes to the real store.
package final class FlakyWritesStore: BridgeStore {
    package struct DiskFull: Error {}

    /// The writes that can be made to fail.
    package enum Write: Hashable, Sendable {
        case replaceDelivery
        case markDelivered
        case reschedule
        case saveConversation
    }

    /// Creates a store whose writes all work until ``setFailing(_:_:)`` says otherwise.
    package init() {}

    private let base = InMemoryBridgeStore()
    private let state = Mutex((failing: Set<Write>(), calls: [Write: Int]()))

    /// Makes `writes` fail (true) or work again (false).
    package func setFailing(_ writes: Set<Write>, _ failing: Bool) {
        state.withLock { state in
            if failing { state.failing.formUnion(writes) } else { state.failing.subtract(writes) }
        }
    }

    /// How often `write` was called, failed or not.
    package func calls(_ write: Write) -> Int { state.withLock { $0.calls[write, default: 0] } }

    private func attempt(_ write: Write) throws {
        let fails = state.withLock { state in
            state.calls[write, default: 0] += 1
            return state.failing.contains(write)
        }
        if fails { throw DiskFull() }
    }

    package func replaceDelivery(id: String, with next: OutboxDelivery) async throws -> Bool {
        try attempt(.replaceDelivery)
        let replaced = try await base.replaceDelivery(id: id, with: next)
        if let hook = self.replaceHook.withLock({ $0 }) { await hook(next) }
        return replaced
    }

    private let replaceHook = Mutex<(@Sendable (OutboxDelivery) async -> Void)?>(nil)

    /// Runs `hook` with the new row after each successful `replaceDelivery`, before that call returns: the row is in
    /// the store then, and the service may already work on it while its writer still waits here.
    package func afterReplace(_ hook: @escaping @Sendable (OutboxDelivery) async -> Void) {
        self.replaceHook.withLock { $0 = hook }
    }
    package func markDelivered(id: String) async throws -> Bool {
        try attempt(.markDelivered)
        return try await base.markDelivered(id: id)
    }
    package func reschedule(id: String, attempts: Int, nextAttemptAt: Date, lastError: String?) async throws -> Bool {
        try attempt(.reschedule)
        return try await base.reschedule(id: id, attempts: attempts, nextAttemptAt: nextAttemptAt, lastError: lastError)
    }

    package func conversation(key: String, gizmoID: String?, model: String) async throws -> ConversationRecord? {
        try await base.conversation(key: key, gizmoID: gizmoID, model: model)
    }
    package func saveConversation(
        key: String,
        gizmoID: String?,
        model: String,
        conversationID: String,
        now: Date
    ) async throws -> ConversationRecord {
        try attempt(.saveConversation)
        return try await base.saveConversation(
            key: key,
            gizmoID: gizmoID,
            model: model,
            conversationID: conversationID,
            now: now
        )
    }
    package func deleteConversations(key: String) async throws -> Int { try await base.deleteConversations(key: key) }
    package func channelSettings(key: String) async throws -> ChannelSettings? {
        try await base.channelSettings(key: key)
    }
    package func saveChannelSettings(_ settings: ChannelSettings) async throws {
        try await base.saveChannelSettings(settings)
    }
    package func deleteChannelSettings(key: String) async throws -> Bool {
        try await base.deleteChannelSettings(key: key)
    }
    package func enqueue(_ delivery: OutboxDelivery) async throws -> Bool { try await base.enqueue(delivery) }
    package func dueDeliveries(now: Date, limit: Int, idPrefix: String?) async throws -> [OutboxDelivery] {
        try await base.dueDeliveries(now: now, limit: limit, idPrefix: idPrefix)
    }
    package func abandon(id: String, reason: String, now: Date) async throws -> Bool {
        try await base.abandon(id: id, reason: reason, now: now)
    }
    package func deadLetters(limit: Int) async throws -> [DeadLetter] { try await base.deadLetters(limit: limit) }
    package func purgeDeadLetters(abandonedBefore date: Date) async throws -> Int {
        try await base.purgeDeadLetters(abandonedBefore: date)
    }
    package func pendingDeliveryCount() async throws -> Int { try await base.pendingDeliveryCount() }
    package func nextDueDate() async throws -> Date? { try await base.nextDueDate() }
    package func rememberDelivery(
        scope: String,
        id: String,
        acknowledgement: Data?,
        expiresAt: Date,
        now: Date
    ) async throws -> DeliveryMemory {
        try await base.rememberDelivery(
            scope: scope,
            id: id,
            acknowledgement: acknowledgement,
            expiresAt: expiresAt,
            now: now
        )
    }
    package func acceptDelivery(
        _ delivery: OutboxDelivery,
        ids: [String],
        scope: String,
        acknowledgement: Data,
        expiresAt: Date,
        now: Date
    ) async throws -> DeliveryMemory {
        try await base.acceptDelivery(
            delivery,
            ids: ids,
            scope: scope,
            acknowledgement: acknowledgement,
            expiresAt: expiresAt,
            now: now
        )
    }
    package func updateAcknowledgement(scope: String, id: String, acknowledgement: Data?) async throws -> Bool {
        try await base.updateAcknowledgement(scope: scope, id: id, acknowledgement: acknowledgement)
    }
    package func purgeExpired(now: Date) async throws -> Int { try await base.purgeExpired(now: now) }
    package func appendTranscript(key: String, turns: [TranscriptTurn], limits: TranscriptLimits) async throws {
        try await base.appendTranscript(key: key, turns: turns, limits: limits)
    }
    package func transcript(key: String, since: Date) async throws -> [TranscriptTurn] {
        try await base.transcript(key: key, since: since)
    }
    package func deleteTranscript(key: String) async throws -> Int { try await base.deleteTranscript(key: key) }
    package func purgeTranscripts(before date: Date) async throws -> Int {
        try await base.purgeTranscripts(before: date)
    }
    package func saveReplyPage(_ page: ReplyPage) async throws { try await base.saveReplyPage(page) }
    package func replyPage(id: String, now: Date) async throws -> ReplyPage? {
        try await base.replyPage(id: id, now: now)
    }
    package func purgeExpiredReplyPages(now: Date) async throws -> Int {
        try await base.purgeExpiredReplyPages(now: now)
    }
    package func checkWritable() async throws { try await base.checkWritable() }
}
