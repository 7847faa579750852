import Synchronization

/// Runs work one at a time per key, first come first served, with a bound on how many may wait: the webhook
/// counterpart of ``ConversationQueues`` for callers that want to await their own turn.
package final class KeyedSerializer: Sendable {
    private struct Lane {
        var running = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// What a caller does on arrival.
    private enum Entry {
        case run, wait, refuse
    }

    private let lanes = Mutex<[String: Lane]>([:])
    /// How many callers may wait behind the running one, per key.
    package let limit: Int

    /// Creates a serializer allowing `limit` waiters per key.
    package init(limit: Int) {
        self.limit = limit
    }

    /// Runs `body` when no other work for `key` runs; `nil` without running it when too many already wait.
    package func run<T: Sendable>(_ key: String, _ body: () async -> T) async -> T? {
        let entry = self.lanes.withLock { lanes -> Entry in
            var lane = lanes[key] ?? Lane()
            if !lane.running {
                lane.running = true
                lanes[key] = lane
                return .run
            }
            return lane.waiters.count < self.limit ? .wait : .refuse
        }
        switch entry {
        case .refuse:
            return nil
        case .wait:
            await withCheckedContinuation { continuation in
                let startNow = self.lanes.withLock { lanes -> Bool in
                    guard var lane = lanes[key], lane.running else {
                        // The runner finished between our check and now: take the lane ourselves.
                        lanes[key] = Lane(running: true)
                        return true
                    }
                    lane.waiters.append(continuation)
                    lanes[key] = lane
                    return false
                }
                if startNow { continuation.resume() }
            }
        case .run:
            break
        }
        defer { self.finish(key) }
        return await body()
    }

    /// Hands the lane to the next waiter, or retires it.
    private func finish(_ key: String) {
        let next = self.lanes.withLock { lanes -> CheckedContinuation<Void, Never>? in
            guard var lane = lanes[key] else { return nil }
            guard !lane.waiters.isEmpty else {
                lanes[key] = nil
                return nil
            }
            let next = lane.waiters.removeFirst()
            lanes[key] = lane
            return next
        }
        next?.resume()
    }
}
