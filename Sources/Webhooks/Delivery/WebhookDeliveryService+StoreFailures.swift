import Foundation
import Store
import Synchronization

/// When the store cannot be written (a full or read-only disk, a lock another process holds), a row's work may
/// already be done: the question answered by GoAPI, the reply accepted by its receiver. Only the write recording
/// that is missing, and the row is still due in the store. Starting the row again would repeat the work: ask GoAPI
/// again (the question lands in the conversation twice) or post the reply into the thread again, and with a store
/// that keeps failing, without end. So the write that completes the work is kept in memory and retried on its own,
/// and the row rests for a growing backoff between tries instead of being started at once.
///
/// This is memory only: a restart while the store is broken starts the row afresh (delivery is at least once).
extension WebhookDeliveryService {
    /// The store write that completes a row's work.
    enum CompletingWrite: Sendable {
        /// Replace the row with `row`: a question's first reply, or the next part of a long reply.
        case replace(with: OutboxDelivery)
        /// Remove the row: its last reply part was accepted.
        case remove
    }

    /// A row whose store write failed.
    struct StoreRetry {
        /// Failed tries in a row, for the backoff.
        var failures = 0
        /// The row is not started again before this.
        var notBefore = Date.distantPast
        /// The write still owed once the work is done; nil when the work itself must run again (its outcome was not
        /// reached or could not be recorded, e.g. a failed attempt's reschedule).
        var owed: CompletingWrite?
    }

    /// Makes `write` for `delivery`; when it fails, remembers it so the next try makes only the write. Returns what
    /// became of the row.
    @discardableResult
    func complete(_ delivery: OutboxDelivery, with write: CompletingWrite) async throws -> RowFate {
        var stored = write
        do {
            switch write {
            case .replace(var row):
                // A reply is given up a day after it is queued; one that waited in memory for the store has not
                // had a single attempt yet, so its day starts now.
                row.createdAt = max(row.createdAt, self.now())
                stored = .replace(with: row)
                // The new row takes the thread's lane over before it exists in the store: once written, the
                // service may start it, and even finish it, before this returns. Handed over afterwards, the lane
                // went to a row already done with, and the thread's later questions waited for ever.
                self.work.withLock { $0.handOver(from: delivery.id, to: row.id) }
                let replaced: Bool
                do {
                    replaced = try await self.store.replaceDelivery(id: delivery.id, with: row)
                } catch {
                    self.work.withLock { $0.handOver(from: row.id, to: delivery.id) }
                    throw error
                }
                // The row was no longer there (removed from outside, say): nothing replaced it, so nothing may hold
                // the lane in its name.
                guard replaced else {
                    self.work.withLock { $0.handOver(from: row.id, to: delivery.id) }
                    return .gone
                }
            case .remove:
                try await self.store.markDelivered(id: delivery.id)
            }
        } catch {
            self.work.withLock { $0.storeRetries[delivery.id, default: StoreRetry()].owed = write }
            throw error
        }
        guard case .replace(let row) = stored else { return .gone }
        await self.deliverWhileShuttingDown(row)
        return .replaced
    }

    /// The write owed for row `id`, if an earlier try did the work and failed to record it.
    func owedWrite(for id: String) -> CompletingWrite? {
        self.work.withLock { $0.storeRetries[id]?.owed }
    }

    /// Records that row `id`'s store write failed at `now`; returns when the row may be tried again. The wait
    /// follows the delivery backoff, capped at a minute so that a repaired disk is noticed soon.
    func storeFailed(_ id: String, now: Date) -> Date {
        let retry = self.configuration.retry
        return self.work.withLock { work in
            var entry = work.storeRetries[id, default: StoreRetry()]
            entry.failures += 1
            let wait = retry.backoff(afterFailures: entry.failures, jitter: .random(in: 0...1), cap: .seconds(60))
            entry.notBefore = now.addingTimeInterval(wait)
            work.storeRetries[id] = entry
            return entry.notBefore
        }
    }
}

extension WebhookDeliveryService.WorkSet {
    /// When row `id` may start again, if a failed store write holds it back past `now`.
    func heldUntil(_ id: String, now: Date) -> Date? {
        guard let notBefore = self.storeRetries[id]?.notBefore, notBefore > now else { return nil }
        return notBefore
    }
}
