import Foundation

extension InMemoryBridgeStore {
    /// Identifies a conversation record; "no GPT" is one value whether spelled nil or empty.
    struct ConversationKey: Hashable {
        /// The bridge's conversation key.
        var key: ByteString
        /// The GPT, empty for none.
        var gizmoID: ByteString
        /// The model.
        var model: ByteString

        /// The identity of the record for `key`, `gizmoID` and `model`.
        init(key: String, gizmoID: String?, model: String) {
            self.key = ByteString(key)
            self.gizmoID = ByteString(ConversationRecord.normalizedGizmoID(gizmoID) ?? "")
            self.model = ByteString(model)
        }
    }

    /// Identifies a remembered delivery id.
    struct SeenKey: Hashable {
        /// The scope the id belongs to.
        var scope: ByteString
        /// The delivery id.
        var id: ByteString
    }

    /// A remembered delivery id.
    struct SeenDelivery {
        /// What a repeat is answered with.
        var acknowledgement: Data?
        /// When the id stops counting as seen.
        var expiresAt: Date
    }

    /// Everything the store holds; each mutating method is one atomic operation of the store.
    struct State {
        /// The conversation map.
        var conversations: [ConversationKey: ConversationRecord] = [:]
        /// Channel overrides by key.
        var settings: [ByteString: ChannelSettings] = [:]
        /// Pending deliveries by id.
        var outbox: [ByteString: OutboxDelivery] = [:]
        /// Abandoned deliveries, oldest abandonment call first (the insertion order breaks ties of `abandonedAt`).
        var deadLetters: [DeadLetter] = []
        /// Remembered delivery ids.
        var seen: [SeenKey: SeenDelivery] = [:]
        /// Recent history per conversation key, oldest first.
        var transcripts: [ByteString: [TranscriptTurn]] = [:]
        /// Full-reply pages by id.
        var replyPages: [ByteString: ReplyPage] = [:]

        /// Upserts a conversation, keeping `createdAt` of an existing record.
        mutating func saveConversation(
            key: String,
            gizmoID: String?,
            model: String,
            id: String,
            now: Date
        ) -> ConversationRecord {
            let identity = ConversationKey(key: key, gizmoID: gizmoID, model: model)
            var record =
                conversations[identity]
                ?? ConversationRecord(
                    key: key,
                    gizmoID: ConversationRecord.normalizedGizmoID(gizmoID),
                    model: model,
                    conversationID: id,
                    createdAt: now,
                    updatedAt: now
                )
            record.conversationID = id
            record.updatedAt = now
            conversations[identity] = record
            return record
        }

        /// Removes every conversation of `key`.
        mutating func deleteConversations(key: String) -> Int {
            let key = ByteString(key)
            let before = conversations.count
            conversations = conversations.filter { $0.key.key != key }
            return before - conversations.count
        }

        /// Adds `delivery` unless its id is queued.
        mutating func enqueue(_ delivery: OutboxDelivery) -> Bool {
            let id = ByteString(delivery.id)
            guard outbox[id] == nil else { return false }
            outbox[id] = delivery
            return true
        }

        /// Removes `id` and queues `next`, if `id` is queued.
        mutating func replaceDelivery(id: String, with next: OutboxDelivery) -> Bool {
            guard outbox.removeValue(forKey: ByteString(id)) != nil else { return false }
            _ = enqueue(next)
            return true
        }

        /// The due deliveries in the order SQLite returns them.
        func dueDeliveries(now: Date, limit: Int, idPrefix: String?) -> [OutboxDelivery] {
            guard limit > 0 else { return [] }
            let due = outbox.values.filter { delivery in
                // Byte-wise, as SQLite compares ids.
                delivery.nextAttemptAt <= now && idPrefix.map { delivery.id.utf8.starts(with: $0.utf8) } ?? true
            }
            let ordered = due.sorted { lhs, rhs in
                if lhs.nextAttemptAt != rhs.nextAttemptAt { return lhs.nextAttemptAt < rhs.nextAttemptAt }
                if lhs.createdAt != rhs.createdAt { return lhs.createdAt < rhs.createdAt }
                return ByteString(lhs.id) < ByteString(rhs.id)
            }
            return Array(ordered.prefix(limit))
        }

        /// Records a failed attempt of a queued delivery.
        mutating func reschedule(id: String, attempts: Int, nextAttemptAt: Date, lastError: String?) -> Bool {
            let id = ByteString(id)
            guard outbox[id] != nil else { return false }
            outbox[id]?.attempts = attempts
            outbox[id]?.nextAttemptAt = nextAttemptAt
            outbox[id]?.lastError = lastError
            return true
        }

        /// Moves a queued delivery to the dead letters.
        mutating func abandon(id: String, reason: String, now: Date) -> Bool {
            guard let delivery = outbox.removeValue(forKey: ByteString(id)) else { return false }
            deadLetters.append(DeadLetter(abandoning: delivery, reason: reason, abandonedAt: now))
            return true
        }

        /// The most recently abandoned deliveries first.
        func deadLetters(limit: Int) -> [DeadLetter] {
            guard limit > 0 else { return [] }
            let newestFirst = deadLetters.reversed().enumerated().sorted { lhs, rhs in
                if lhs.element.abandonedAt != rhs.element.abandonedAt {
                    return lhs.element.abandonedAt > rhs.element.abandonedAt
                }
                return lhs.offset < rhs.offset
            }
            return newestFirst.prefix(limit).map(\.element)
        }

        /// Drops dead letters abandoned before `date`.
        mutating func purgeDeadLetters(abandonedBefore date: Date) -> Int {
            let before = deadLetters.count
            deadLetters.removeAll { $0.abandonedAt < date }
            return before - deadLetters.count
        }

        /// Records a delivery id unless it is remembered and unexpired.
        mutating func rememberDelivery(
            scope: String,
            id: String,
            acknowledgement: Data?,
            expiresAt: Date,
            now: Date
        ) -> DeliveryMemory {
            let key = SeenKey(scope: ByteString(scope), id: ByteString(id))
            if let existing = seen[key], existing.expiresAt > now {
                return .seen(acknowledgement: existing.acknowledgement)
            }
            seen[key] = SeenDelivery(acknowledgement: acknowledgement, expiresAt: expiresAt)
            return .new
        }

        /// Remembers `ids` and queues `delivery` unless one of the ids is remembered.
        mutating func acceptDelivery(
            _ delivery: OutboxDelivery,
            ids: [String],
            scope: String,
            acknowledgement: Data,
            expiresAt: Date,
            now: Date
        ) -> DeliveryMemory {
            var result = DeliveryMemory.new
            for id in ids {
                let memory = rememberDelivery(
                    scope: scope,
                    id: id,
                    acknowledgement: acknowledgement,
                    expiresAt: expiresAt,
                    now: now
                )
                if result == .new { result = memory }
            }
            if result == .new { _ = enqueue(delivery) }
            return result
        }

        /// Replaces the acknowledgement of a remembered id.
        mutating func updateAcknowledgement(scope: String, id: String, acknowledgement: Data?) -> Bool {
            let key = SeenKey(scope: ByteString(scope), id: ByteString(id))
            guard seen[key] != nil else { return false }
            seen[key]?.acknowledgement = acknowledgement
            return true
        }

        /// Forgets expired delivery ids.
        mutating func purgeExpired(now: Date) -> Int {
            let before = seen.count
            seen = seen.filter { $0.value.expiresAt > now }
            return before - seen.count
        }
    }
}
