import Synchronization

/// Runs work one at a time per key, first come first served, with a bound on how many may wait: the webhook
/// counterpart of ``ConversationQueues`` for callers that want to await their own turn.
///
/// A caller cancelled while it waits leaves the line at once: a sync webhook request that timed out must get its
/// 504 now, not after the questions ahead of it are answered.
package final class KeyedSerializer: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Lane {
        var running = false
        var waiters: [Waiter] = []
    }

    private struct State {
        var lanes: [String: Lane] = [:]
        var nextWaiterID: UInt64 = 0
    }

    /// What a caller does on arrival.
    private enum Entry {
        case run, wait(id: UInt64), refuse
    }

    private let state = Mutex(State())
    /// How many callers may wait behind the running one, per key.
    package let limit: Int

    /// Creates a serializer allowing `limit` waiters per key.
    package init(limit: Int) {
        self.limit = limit
    }

    /// How many callers wait for `key`'s lane.
    package func waitingCount(for key: String) -> Int {
        self.state.withLock { $0.lanes[key]?.waiters.count ?? 0 }
    }

    /// Runs `body` when no other work for `key` runs; `nil` without running it when too many already wait. Throws
    /// `CancellationError`, without running `body`, when the task is cancelled while it waits.
    package func run<T: Sendable>(_ key: String, _ body: () async -> T) async throws(CancellationError) -> T? {
        let entry = self.state.withLock { state -> Entry in
            var lane = state.lanes[key] ?? Lane()
            if !lane.running {
                lane.running = true
                state.lanes[key] = lane
                return .run
            }
            guard lane.waiters.count < self.limit else { return .refuse }
            state.nextWaiterID += 1
            return .wait(id: state.nextWaiterID)
        }
        switch entry {
        case .refuse:
            return nil
        case .wait(let id):
            do {
                try await self.waitForTurn(key, id: id)
            } catch {
                throw CancellationError()
            }
        case .run:
            break
        }
        defer { self.finish(key) }
        return await body()
    }

    /// Waits until the lane is handed to waiter `id`; throws when the task is cancelled first.
    private func waitForTurn(_ key: String, id: UInt64) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Arrival { case queued, startNow, cancelled }
                let arrival = self.state.withLock { state -> Arrival in
                    // Checked under the lock the cancellation handler takes, so a cancellation is never missed.
                    guard !Task.isCancelled else { return .cancelled }
                    guard var lane = state.lanes[key], lane.running else {
                        // The runner finished between our check and now: take the lane ourselves.
                        state.lanes[key] = Lane(running: true)
                        return .startNow
                    }
                    lane.waiters.append(Waiter(id: id, continuation: continuation))
                    state.lanes[key] = lane
                    return .queued
                }
                switch arrival {
                case .queued: break
                case .startNow: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.lanes[key]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.lanes[key]?.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Hands the lane to the next waiter, or retires it.
    private func finish(_ key: String) {
        let next = self.state.withLock { state -> Waiter? in
            guard var lane = state.lanes[key] else { return nil }
            guard !lane.waiters.isEmpty else {
                state.lanes[key] = nil
                return nil
            }
            let next = lane.waiters.removeFirst()
            state.lanes[key] = lane
            return next
        }
        next?.continuation.resume()
    }
}
