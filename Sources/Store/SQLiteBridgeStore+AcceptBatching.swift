import Foundation
import GRDB
import Synchronization

/// Group commit for ``BridgeStore/acceptDelivery(_:ids:scope:acknowledgement:expiresAt:now:)``, the one write on a
/// webhook request's path: requests that arrive while a commit is running wait for the next one and share it, so
/// a burst costs one transaction instead of one per request. Each request still gets its own result, and one
/// failing request never fails the others (a failed batch is retried request by request).
final class AcceptBatcher: Sendable {
    /// What one request asks to accept.
    struct Accept: Sendable {
        var delivery: OutboxDelivery
        var ids: [String]
        var scope: String
        var acknowledgement: Data
        var expiresAt: Date
        var now: Date
    }

    /// One waiting request.
    struct Request: Sendable {
        var accept: Accept
        var continuation: CheckedContinuation<DeliveryMemory, any Error>
    }

    private struct State {
        var pending: [Request] = []
        var committing = false
    }

    private let state = Mutex(State())

    /// Queues `request`; returns true when the caller must start committing (no commit loop is running).
    func enqueue(_ request: Request) -> Bool {
        self.state.withLock { state in
            state.pending.append(request)
            guard !state.committing else { return false }
            state.committing = true
            return true
        }
    }

    /// The requests to commit next; empty (and the loop ends) when none are waiting.
    func next(limit: Int = 256) -> [Request] {
        self.state.withLock { state in
            guard !state.pending.isEmpty else {
                state.committing = false
                return []
            }
            let batch = Array(state.pending.prefix(limit))
            state.pending.removeFirst(batch.count)
            return batch
        }
    }
}

extension SQLiteBridgeStore {
    /// See ``BridgeStore/acceptDelivery(_:ids:scope:acknowledgement:expiresAt:now:)``.
    package func acceptDelivery(
        _ delivery: OutboxDelivery,
        ids: [String],
        scope: String,
        acknowledgement: Data,
        expiresAt: Date,
        now: Date
    ) async throws -> DeliveryMemory {
        try await withCheckedThrowingContinuation { continuation in
            let accept = AcceptBatcher.Accept(
                delivery: delivery,
                ids: ids,
                scope: scope,
                acknowledgement: acknowledgement,
                expiresAt: expiresAt,
                now: now
            )
            let request = AcceptBatcher.Request(accept: accept, continuation: continuation)
            if self.acceptBatcher.enqueue(request) {
                Task { await self.commitAccepts() }
            }
        }
    }

    /// Commits waiting accepts, batch after batch, until none are left.
    private func commitAccepts() async {
        while true {
            let batch = self.acceptBatcher.next()
            guard !batch.isEmpty else { return }
            let requests = batch.map(\.accept)
            do {
                let results = try await write { db in try requests.map { try Self.accept($0, in: db) } }
                for (request, result) in zip(batch, results) { request.continuation.resume(returning: result) }
            } catch  where batch.count > 1 {
                // Find the request that failed: each one alone, so the others still succeed.
                for request in batch {
                    let single = request.accept
                    do {
                        request.continuation.resume(
                            returning: try await write { db in try Self.accept(single, in: db) }
                        )
                    } catch {
                        request.continuation.resume(throwing: error)
                    }
                }
            } catch {
                batch.first?.continuation.resume(throwing: error)
            }
        }
    }

    /// One accept inside a transaction.
    private static func accept(_ accept: AcceptBatcher.Accept, in db: Database) throws -> DeliveryMemory {
        var result = DeliveryMemory.new
        for id in accept.ids {
            let memory = try Self.remember(
                db,
                scope: accept.scope,
                id: id,
                acknowledgement: accept.acknowledgement,
                expiresAt: accept.expiresAt,
                now: accept.now
            )
            if result == .new { result = memory }
        }
        if result == .new { try Self.insert(accept.delivery, into: db) }
        return result
    }
}
