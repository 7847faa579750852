import Foundation
import Synchronization

/// A store that keeps everything in memory, with the same semantics as ``SQLiteBridgeStore``: for tests of the
/// modules above the store, and for runs where nothing needs to survive a restart.
///
/// All state is one value behind a `Mutex`, so every call is atomic, like one SQLite transaction. Strings are
/// compared byte for byte, as SQLite compares them, not by Unicode canonical equivalence. Calls never throw.
package final class InMemoryBridgeStore: BridgeStore {
    /// Everything the store holds; internal so each concern's methods can live in their own file.
    let state = Mutex(State())

    /// Creates an empty store.
    package init() {}

    /// See ``BridgeStore/conversation(key:gizmoID:model:)``.
    package func conversation(key: String, gizmoID: String?, model: String) async throws -> ConversationRecord? {
        state.withLock { $0.conversations[.init(key: key, gizmoID: gizmoID, model: model)] }
    }

    /// See ``BridgeStore/saveConversation(key:gizmoID:model:conversationID:now:)``.
    @discardableResult
    package func saveConversation(
        key: String,
        gizmoID: String?,
        model: String,
        conversationID: String,
        now: Date
    ) async throws -> ConversationRecord {
        state.withLock { $0.saveConversation(key: key, gizmoID: gizmoID, model: model, id: conversationID, now: now) }
    }

    /// See ``BridgeStore/deleteConversations(key:)``.
    @discardableResult
    package func deleteConversations(key: String) async throws -> Int {
        state.withLock { $0.deleteConversations(key: key) }
    }

    /// See ``BridgeStore/channelSettings(key:)``.
    package func channelSettings(key: String) async throws -> ChannelSettings? {
        state.withLock { $0.settings[ByteString(key)] }
    }

    /// See ``BridgeStore/saveChannelSettings(_:)``.
    package func saveChannelSettings(_ settings: ChannelSettings) async throws {
        state.withLock { $0.settings[ByteString(settings.key)] = settings }
    }

    /// See ``BridgeStore/deleteChannelSettings(key:)``.
    @discardableResult
    package func deleteChannelSettings(key: String) async throws -> Bool {
        state.withLock { $0.settings.removeValue(forKey: ByteString(key)) != nil }
    }

    /// See ``BridgeStore/enqueue(_:)``.
    @discardableResult
    package func enqueue(_ delivery: OutboxDelivery) async throws -> Bool {
        state.withLock { $0.enqueue(delivery) }
    }

    /// See ``BridgeStore/replaceDelivery(id:with:)``.
    @discardableResult
    package func replaceDelivery(id: String, with next: OutboxDelivery) async throws -> Bool {
        state.withLock { $0.replaceDelivery(id: id, with: next) }
    }

    /// See ``BridgeStore/dueDeliveries(now:limit:idPrefix:)``.
    package func dueDeliveries(now: Date, limit: Int, idPrefix: String?) async throws -> [OutboxDelivery] {
        state.withLock { $0.dueDeliveries(now: now, limit: limit, idPrefix: idPrefix) }
    }

    /// See ``BridgeStore/markDelivered(id:)``.
    @discardableResult
    package func markDelivered(id: String) async throws -> Bool {
        state.withLock { $0.outbox.removeValue(forKey: ByteString(id)) != nil }
    }

    /// See ``BridgeStore/reschedule(id:attempts:nextAttemptAt:lastError:)``.
    @discardableResult
    package func reschedule(id: String, attempts: Int, nextAttemptAt: Date, lastError: String?) async throws -> Bool {
        state.withLock { $0.reschedule(id: id, attempts: attempts, nextAttemptAt: nextAttemptAt, lastError: lastError) }
    }

    /// See ``BridgeStore/abandon(id:reason:now:)``.
    @discardableResult
    package func abandon(id: String, reason: String, now: Date) async throws -> Bool {
        state.withLock { $0.abandon(id: id, reason: reason, now: now) }
    }

    /// See ``BridgeStore/deadLetters(limit:)``.
    package func deadLetters(limit: Int) async throws -> [DeadLetter] {
        state.withLock { $0.deadLetters(limit: limit) }
    }

    /// See ``BridgeStore/purgeDeadLetters(abandonedBefore:)``.
    @discardableResult
    package func purgeDeadLetters(abandonedBefore date: Date) async throws -> Int {
        state.withLock { $0.purgeDeadLetters(abandonedBefore: date) }
    }

    /// See ``BridgeStore/pendingDeliveryCount()``.
    package func pendingDeliveryCount() async throws -> Int {
        state.withLock { $0.outbox.count }
    }

    /// See ``BridgeStore/nextDueDate()``.
    package func nextDueDate() async throws -> Date? {
        state.withLock { $0.outbox.values.map(\.nextAttemptAt).min() }
    }

    /// See ``BridgeStore/rememberDelivery(scope:id:acknowledgement:expiresAt:now:)``.
    package func rememberDelivery(
        scope: String,
        id: String,
        acknowledgement: Data?,
        expiresAt: Date,
        now: Date
    ) async throws -> DeliveryMemory {
        state.withLock {
            $0.rememberDelivery(scope: scope, id: id, acknowledgement: acknowledgement, expiresAt: expiresAt, now: now)
        }
    }

    /// See ``BridgeStore/acceptDelivery(_:ids:scope:acknowledgement:expiresAt:now:)``.
    package func acceptDelivery(
        _ delivery: OutboxDelivery,
        ids: [String],
        scope: String,
        acknowledgement: Data,
        expiresAt: Date,
        now: Date
    ) async throws -> DeliveryMemory {
        state.withLock {
            $0.acceptDelivery(
                delivery,
                ids: ids,
                scope: scope,
                acknowledgement: acknowledgement,
                expiresAt: expiresAt,
                now: now
            )
        }
    }

    /// See ``BridgeStore/updateAcknowledgement(scope:id:acknowledgement:)``.
    @discardableResult
    package func updateAcknowledgement(scope: String, id: String, acknowledgement: Data?) async throws -> Bool {
        state.withLock { $0.updateAcknowledgement(scope: scope, id: id, acknowledgement: acknowledgement) }
    }

    /// See ``BridgeStore/purgeExpired(now:)``.
    @discardableResult
    package func purgeExpired(now: Date) async throws -> Int {
        state.withLock { $0.purgeExpired(now: now) }
    }

    /// Always succeeds: memory takes writes as long as the process lives.
    package func checkWritable() async throws {}
}
