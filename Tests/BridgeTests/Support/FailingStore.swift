import Foundation
import Store

/// A store whose reads fail, standing in for a database that went away.
struct FailingStore: BridgeStore {
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
    func replaceDelivery(id: String, with next: OutboxDelivery) async throws -> Bool { throw Unavailable() }
    func appendTranscript(key: String, turns: [TranscriptTurn], limits: TranscriptLimits) async throws {
        throw Unavailable()
    }
    func transcript(key: String, since: Date) async throws -> [TranscriptTurn] { throw Unavailable() }
    func deleteTranscript(key: String) async throws -> Int { throw Unavailable() }
    func purgeTranscripts(before date: Date) async throws -> Int { throw Unavailable() }
    func dueDeliveries(now: Date, limit: Int, idPrefix: String?) async throws -> [OutboxDelivery] {
        throw Unavailable()
    }
    func markDelivered(id: String) async throws -> Bool { throw Unavailable() }
    func reschedule(id: String, attempts: Int, nextAttemptAt: Date, lastError: String?) async throws -> Bool {
        throw Unavailable()
    }
    func abandon(id: String, reason: String, now: Date) async throws -> Bool { throw Unavailable() }
    func deadLetters(limit: Int) async throws -> [DeadLetter] { throw Unavailable() }
    func purgeDeadLetters(abandonedBefore date: Date) async throws -> Int { throw Unavailable() }
    func pendingDeliveryCount() async throws -> Int { throw Unavailable() }
    func nextDueDate() async throws -> Date? { throw Unavailable() }
    func acceptDelivery(
        _ delivery: OutboxDelivery,
        ids: [String],
        scope: String,
        acknowledgement: Data,
        expiresAt: Date,
        now: Date
    ) async throws
        -> DeliveryMemory
    { throw Unavailable() }
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
    func saveReplyPage(_ page: ReplyPage) async throws { throw Unavailable() }
    func replyPage(id: String, now: Date) async throws -> ReplyPage? { throw Unavailable() }
    func purgeExpiredReplyPages(now: Date) async throws -> Int { throw Unavailable() }
    func checkWritable() async throws { throw Unavailable() }
}
