import Foundation

/// Everything goapi-bridge must remember across restarts, behind one protocol so the bridge can run on SQLite in
/// production and on ``InMemoryBridgeStore`` in tests, with one conformance suite keeping the two honest.
///
/// Every method is `async throws` because the production store touches the disk. No method reads a clock: each
/// time-dependent call takes `now` from its caller, so tests drive time deterministically and the bridge decides
/// which clock counts. Strings (conversation keys, ids, scopes) are compared byte for byte, exactly as given;
/// callers normalise them first (for example IRC channel names under the server's CASEMAPPING).
package protocol BridgeStore: Sendable {
    // MARK: Conversation map

    /// Returns the GoAPI conversation that `key` holds for this GPT and model, or nil when a question there would
    /// start a new one.
    ///
    /// A GoAPI conversation belongs to the GPT and model it was created with, so the map is keyed by all three:
    /// switching a channel's GPT or model looks up a different record, and switching back finds the old one again.
    /// A `gizmoID` of nil means "no GPT"; an empty string means the same thing.
    func conversation(key: String, gizmoID: String?, model: String) async throws -> ConversationRecord?

    /// Records that `key` uses `conversationID` for this GPT and model, and returns the stored record.
    ///
    /// Called as soon as GoAPI's stream reveals the conversation id, so a later failure in the same stream does not
    /// lose the mapping. The first save creates the record with `createdAt` and `updatedAt` set to `now`; later
    /// saves replace the id and set `updatedAt` to `now` while keeping `createdAt`, so saving the same id again
    /// records that the conversation was used at `now`.
    @discardableResult
    func saveConversation(
        key: String,
        gizmoID: String?,
        model: String,
        conversationID: String,
        now: Date
    ) async throws -> ConversationRecord

    /// Forgets every conversation `key` has, for every GPT and model, so the next question starts afresh
    /// (`!gpt reset`). Returns how many mappings were removed.
    @discardableResult
    func deleteConversations(key: String) async throws -> Int

    // MARK: Channel settings

    /// Returns the GPT and model overrides chosen for `key` with `!gpt use` and `!gpt model`, or nil when none were
    /// ever chosen (or they were deleted) and the configuration decides.
    func channelSettings(key: String) async throws -> ChannelSettings?

    /// Stores `settings` for `settings.key`, replacing whatever was there.
    func saveChannelSettings(_ settings: ChannelSettings) async throws

    /// Removes the overrides for `key` so the configuration decides again. Returns whether there were any.
    @discardableResult
    func deleteChannelSettings(key: String) async throws -> Bool

    // MARK: Delivery outbox

    /// Writes a reply to the outbox before its first delivery attempt, so it survives a crash or restart.
    ///
    /// Enqueuing is idempotent on `delivery.id` while that delivery is pending: when the id is already queued
    /// nothing changes and the result is false. Returns true when the delivery was added.
    @discardableResult
    func enqueue(_ delivery: OutboxDelivery) async throws -> Bool

    /// Completes one step of a delivery and queues the next in one transaction: removes `id` and enqueues `next`
    /// (unless `next.id` is queued already). A crash therefore leaves either the old step or the new one queued,
    /// never both and never neither. Returns false, changing nothing, when `id` was no longer queued.
    @discardableResult
    func replaceDelivery(id: String, with next: OutboxDelivery) async throws -> Bool

    /// Returns at most `limit` deliveries whose `nextAttemptAt` is at or before `now`, the longest-waiting first
    /// (by `nextAttemptAt`, then `createdAt`, then `id`), so retries keep their order and no delivery starves.
    /// With `idPrefix` (ASCII), only deliveries whose id starts with it, found by id however many others are due.
    /// A `limit` below 1 returns nothing.
    func dueDeliveries(now: Date, limit: Int, idPrefix: String?) async throws -> [OutboxDelivery]

    /// Removes a delivery the receiver accepted. Returns false when it was no longer queued.
    @discardableResult
    func markDelivered(id: String) async throws -> Bool

    /// Records a failed attempt: the new attempt count, when to try again, and why it failed.
    /// Returns false when the delivery was no longer queued (delivered or abandoned meanwhile).
    @discardableResult
    func reschedule(id: String, attempts: Int, nextAttemptAt: Date, lastError: String?) async throws -> Bool

    /// Gives up on a delivery: removes it from the queue and leaves a ``DeadLetter`` with `reason` and `now`, so an
    /// operator can see what was dropped and why. Returns false when it was no longer queued.
    @discardableResult
    func abandon(id: String, reason: String, now: Date) async throws -> Bool

    /// Returns up to `limit` abandoned deliveries, the most recently abandoned first.
    func deadLetters(limit: Int) async throws -> [DeadLetter]

    /// Deletes dead letters abandoned before `date`, so the record of dropped deliveries does not grow without bound.
    /// Returns how many were deleted.
    @discardableResult
    func purgeDeadLetters(abandonedBefore date: Date) async throws -> Int

    /// The number of deliveries still waiting to be accepted, for metrics and shutdown logs.
    func pendingDeliveryCount() async throws -> Int

    /// The earliest `nextAttemptAt` in the queue, so a sender can sleep until then; nil when the queue is empty.
    func nextDueDate() async throws -> Date?

    // MARK: Seen delivery ids

    /// Remembers that the delivery `id` arrived in `scope` (for example one webhook endpoint), unless it is
    /// already remembered.
    ///
    /// Returns ``DeliveryMemory/new`` when the id was not known, or its record had expired (`expiresAt` at or before
    /// `now`); the id is then recorded with `acknowledgement` until `expiresAt`. Returns
    /// ``DeliveryMemory/seen(acknowledgement:)`` with the stored acknowledgement when the id is known and unexpired,
    /// in which case the caller answers with that acknowledgement and does no new work. The check and the record
    /// happen atomically, so of several concurrent calls with the same id exactly one gets `.new`.
    func rememberDelivery(
        scope: String,
        id: String,
        acknowledgement: Data?,
        expiresAt: Date,
        now: Date
    ) async throws -> DeliveryMemory

    /// Accepts a request in one transaction: unless one of `ids` is remembered in `scope` and unexpired, remembers
    /// all of them with `acknowledgement` until `expiresAt` and enqueues `delivery` (idempotently), returning
    /// ``DeliveryMemory/new``. Otherwise nothing is queued, the ids not yet remembered are remembered with
    /// `acknowledgement` (so their own repeats take the short path too), and the result is the first remembered
    /// id's ``DeliveryMemory/seen(acknowledgement:)``.
    ///
    /// Several ids let one request be recognised by any of them, e.g. a Slack event by its `event_id` and by its
    /// channel and message timestamp.
    func acceptDelivery(
        _ delivery: OutboxDelivery,
        ids: [String],
        scope: String,
        acknowledgement: Data,
        expiresAt: Date,
        now: Date
    ) async throws -> DeliveryMemory

    /// Replaces the acknowledgement stored for a remembered delivery once the final answer is known, so later
    /// repeats get that answer. Returns false when the id is not remembered.
    @discardableResult
    func updateAcknowledgement(scope: String, id: String, acknowledgement: Data?) async throws -> Bool

    /// Deletes remembered ids whose `expiresAt` is at or before `now`. They already count as new again; purging only
    /// reclaims space. Returns how many were deleted.
    @discardableResult
    func purgeExpired(now: Date) async throws -> Int

    // MARK: Transcripts

    /// Appends `turns` to the history of `key` and drops what no longer fits `limits`, in one transaction.
    func appendTranscript(key: String, turns: [TranscriptTurn], limits: TranscriptLimits) async throws

    /// The kept history of `key`, oldest first, without turns recorded before `since`.
    func transcript(key: String, since: Date) async throws -> [TranscriptTurn]

    /// Forgets the history of `key`; returns how many turns were deleted.
    @discardableResult
    func deleteTranscript(key: String) async throws -> Int

    /// Deletes every turn recorded before `date`, so history does not outlive its retention. Returns how many.
    @discardableResult
    func purgeTranscripts(before date: Date) async throws -> Int

    // MARK: Full-reply pages

    /// Saves `page` for its full-reply link, replacing a page saved earlier under the same id.
    func saveReplyPage(_ page: ReplyPage) async throws

    /// Returns the page saved under `id`, or nil when there is none or it has expired (`expiresAt` at or before
    /// `now`), so an expired page is gone even before it is purged.
    func replyPage(id: String, now: Date) async throws -> ReplyPage?

    /// Deletes pages whose `expiresAt` is at or before `now`. They are already unreachable; purging reclaims space
    /// and drops the text of answers nobody should read any more. Returns how many were deleted.
    @discardableResult
    func purgeExpiredReplyPages(now: Date) async throws -> Int

    // MARK: Health

    /// Performs a small write and returns once it is committed, throwing when the store cannot take writes
    /// (full disk, read-only file system, lost file). Readiness checks call this.
    func checkWritable() async throws
}

extension BridgeStore {
    /// ``dueDeliveries(now:limit:idPrefix:)`` of every id.
    package func dueDeliveries(now: Date, limit: Int) async throws -> [OutboxDelivery] {
        try await self.dueDeliveries(now: now, limit: limit, idPrefix: nil)
    }
}
