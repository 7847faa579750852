import Synchronization

/// Holds the stub's answers (``StubGoAPIServer/Behaviour/replyWhenOpened(_:_:)``) until the test opens it, or until
/// a given number of requests wait at it: a test looks at the bridge while an answer is in progress, or sees
/// requests overlap, by what happened rather than by an event delay a slow machine may outlast.
///
/// Once open it stays open. Waiting requests that are cancelled (the connection or the test ends) leave at once.
package final class StubGate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    private let opensWhenWaiting: Int?

    /// A gate the test opens with ``open()``; with `opensWhenWaiting`, it also opens by itself once that many
    /// requests wait at it (so answers are held until that many requests are in progress at once).
    package init(opensWhenWaiting: Int? = nil) {
        self.opensWhenWaiting = opensWhenWaiting
    }

    /// Whether the gate has opened.
    package var isOpen: Bool {
        self.state.withLock { $0.isOpen }
    }

    /// Lets every held answer, and every later one, through.
    package func open() {
        let waiters = self.state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the gate is open; throws `CancellationError` when the waiting task is cancelled first.
    package func wait() async throws {
        let key = self.state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (immediate, released) = self.state.withLock {
                    state -> (Result<Void, any Error>?, [CheckedContinuation<Void, any Error>]) in
                    if state.isOpen { return (.success(()), []) }
                    if Task.isCancelled { return (.failure(CancellationError()), []) }
                    state.waiters[key] = continuation
                    guard let count = self.opensWhenWaiting, state.waiters.count >= count else { return (nil, []) }
                    state.isOpen = true
                    defer { state.waiters = [:] }
                    return (nil, Array(state.waiters.values))
                }
                if let immediate { continuation.resume(with: immediate) }
                for waiter in released { waiter.resume() }
            }
        } onCancel: {
            self.state.withLock { $0.waiters.removeValue(forKey: key) }?.resume(throwing: CancellationError())
        }
    }
}
