import Foundation
import GRDB
import NIOCore
import NIOPosix
import Synchronization

/// Group commit for ``BridgeStore/acceptDelivery(_:ids:scope:acknowledgement:expiresAt:now:)``, the one write on a
/// webhook request's path: requests that arrive while a commit is running wait for the next one and share it, so
/// a burst costs one transaction instead of one per request. Each request still gets its own result, and one
/// failing request never fails the others (a batch failed by something one request can cause, such as a constraint,
/// is retried request by request; a lock, a full disk or an I/O error fails the batch at once).
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

    /// A request and how it ended.
    typealias Outcome = (request: Request, result: Result<DeliveryMemory, any Error>)

    /// One waiting request.
    struct Request: Sendable {
        var accept: Accept
        var continuation: CheckedContinuation<DeliveryMemory, any Error>
        /// The (singleton) event loop the request's task was running on, if any: its result is handed back there.
        var eventLoop: (any EventLoop)?
    }

    private struct State {
        var pending: [Request] = []
        var committing = false
    }

    private let state = Mutex(State())

    /// NIO's singleton event loops, which never shut down, so work handed to one of them always runs.
    private static let singletonLoops = Set(
        MultiThreadedEventLoopGroup.singleton.makeIterator().map(ObjectIdentifier.init)
    )

    /// The singleton event loop the caller runs on, if it runs on one.
    static func currentSingletonEventLoop() -> (any EventLoop)? {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop,
            Self.singletonLoops.contains(ObjectIdentifier(loop))
        else { return nil }
        return loop
    }

    /// How many accepts wait for the next commit.
    var pendingCount: Int {
        self.state.withLock { $0.pending.count }
    }

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
        try self.checkOpen()
        return try await withCheckedThrowingContinuation { continuation in
            let accept = AcceptBatcher.Accept(
                delivery: delivery,
                ids: ids,
                scope: scope,
                acknowledgement: acknowledgement,
                expiresAt: expiresAt,
                now: now
            )
            let request = AcceptBatcher.Request(
                accept: accept,
                continuation: continuation,
                eventLoop: AcceptBatcher.currentSingletonEventLoop()
            )
            if self.acceptBatcher.enqueue(request) {
                self.scheduleAcceptCommit()
            }
        }
    }

    /// Queues the next group commit on the writer's queue; it takes the accepts waiting when it starts. Each batch
    /// is its own item on that queue, so other writes (the delivery worker's) still get their turn between batches
    /// under a steady load. Running there directly, rather than in a task awaiting ``write(_:)``, saves a task and
    /// two thread hops per batch.
    private func scheduleAcceptCommit() {
        self.pool.asyncWriteWithoutTransaction { db in
            let batch = self.acceptBatcher.next()
            guard !batch.isEmpty else { return }
            self.commit(batch, in: db)
            self.scheduleAcceptCommit()
        }
    }

    /// Commits `batch` in one transaction and resumes its requests. When that fails in a way one request can cause,
    /// each request is tried alone, so one failing request never fails the others (see `mayConcernOneRequest`).
    private func commit(_ batch: [AcceptBatcher.Request], in db: Database) {
        do {
            try self.checkOpen()
        } catch {
            Self.resume(batch.map { ($0, .failure(error)) })
            return
        }
        do {
            let results = try self.transaction(db) { db in try batch.map { try Self.accept($0.accept, in: db) } }
            Self.resume(zip(batch, results).map { ($0, .success($1)) })
        } catch  where batch.count > 1 && Self.mayConcernOneRequest(error) {
            Self.resume(
                batch.map { request in
                    (request, Result { try self.transaction(db) { db in try Self.accept(request.accept, in: db) } })
                }
            )
        } catch {
            Self.resume(batch.map { ($0, .failure(error)) })
        }
    }

    /// Whether a failed batch may have failed because of one of its requests (a constraint, a value SQLite
    /// refuses), so that trying each alone lets the others through. A lock held by another process, a full or
    /// read-only disk, an I/O error or a closed store fails every request alike: trying them one by one would only
    /// make each wait out the busy timeout again (5 s apiece, while a webhook sender such as Slack waits 3 s for
    /// its acknowledgement), so the whole batch gets the error at once and the senders retry later.
    private static func mayConcernOneRequest(_ error: any Error) -> Bool {
        guard let error = error as? StoreError else { return !(error is CancellationError) }
        return error.code == .failed
    }

    /// Hands each request its result on the event loop it came from, with one hand-over per loop for the whole
    /// batch. Resumed from here, on the writer's thread, every request would be a wake-up of some event loop of
    /// its own (and half of them the wrong one, so writing the response would cross threads again); resumed on
    /// its own loop, the request's task is queued there without waking anything.
    private static func resume(_ outcomes: [AcceptBatcher.Outcome]) {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, outcomes: [AcceptBatcher.Outcome])] = [:]
        for outcome in outcomes {
            guard let loop = outcome.request.eventLoop else {
                outcome.request.continuation.resume(with: outcome.result)
                continue
            }
            byLoop[ObjectIdentifier(loop), default: (loop, [])].outcomes.append(outcome)
        }
        for (loop, outcomes) in byLoop.values {
            loop.execute {
                for outcome in outcomes { outcome.request.continuation.resume(with: outcome.result) }
            }
        }
    }

    /// Runs `body` in a transaction on the writer connection `db`, as ``write(_:)`` does, turning failures into
    /// ``StoreError``.
    private func transaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        do {
            var result: T?
            try db.inTransaction {
                result = try body(db)
                return .commit
            }
            return result!
        } catch {
            throw StoreError.wrapping(error, path: self.path)
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
