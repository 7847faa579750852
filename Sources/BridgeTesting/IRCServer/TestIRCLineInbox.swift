import NIOCore
import Synchronization

/// The lines a ``TestIRCClient`` has received and not yet handed to a wait, and the waits in progress.
///
/// A wait takes the oldest unread line that matches its predicate and leaves the others unread, so a test can
/// wait for events in any order without losing the lines in between. The handler feeds lines on the event
/// loop; a wait's timeout is a task scheduled on that loop, and timing out, cancelling and a line arriving are
/// decided under one lock, so a line is given to exactly one wait or stays unread.
final class TestIRCLineInbox: Sendable {
    /// Tests a received line.
    typealias Predicate = @Sendable (TestIRCMessage) -> Bool

    /// How many lines ``recentLines`` keeps for error messages.
    static let recentLimit = 40
    /// How many unread lines are kept before the oldest are dropped (a noisy test must not grow memory).
    static let unreadLimit = 10_000

    private struct Waiter {
        var id: Int
        var description: String
        var predicate: Predicate
        var continuation: CheckedContinuation<TestIRCMessage, any Error>
        var timer: Scheduled<Void>
    }

    private struct State {
        var unread: [TestIRCMessage] = []
        var recent: [String] = []
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var cancelledBeforeRegistering: Set<Int> = []
        var isClosed = false
        var closeError: (any Error)?

        mutating func remember(_ line: String) {
            self.recent.append(line)
            if self.recent.count > TestIRCLineInbox.recentLimit {
                self.recent.removeFirst(self.recent.count - TestIRCLineInbox.recentLimit)
            }
        }
    }

    private let state = Mutex(State())

    /// The last lines sent (`>> `) and received (`<< `), oldest first.
    var recentLines: [String] {
        self.state.withLock { $0.recent }
    }

    /// Whether the connection has closed, and why if it failed.
    var closed: (isClosed: Bool, error: (any Error)?) {
        self.state.withLock { ($0.isClosed, $0.closeError) }
    }

    /// Notes a line the client sent, for error messages.
    func recordSent(_ line: String) {
        self.state.withLock { $0.remember(">> " + line) }
    }

    /// Hands a received line to the oldest wait that wants it, or keeps it unread.
    func receive(_ message: TestIRCMessage) {
        let waiter: Waiter? = self.state.withLock { state in
            state.remember("<< " + message.raw)
            if let index = state.waiters.firstIndex(where: { $0.predicate(message) }) {
                return state.waiters.remove(at: index)
            }
            state.unread.append(message)
            if state.unread.count > Self.unreadLimit {
                state.unread.removeFirst()
            }
            return nil
        }
        if let waiter {
            waiter.timer.cancel()
            waiter.continuation.resume(returning: message)
        }
    }

    /// Fails every wait, now and later, that no unread line satisfies: the connection is gone.
    func close(error: (any Error)?) {
        let (waiters, recent): ([Waiter], [String]) = self.state.withLock { state in
            if !state.isClosed {
                state.isClosed = true
                state.closeError = error
            }
            defer { state.waiters = [] }
            return (state.waiters, state.recent)
        }
        for waiter in waiters {
            waiter.timer.cancel()
            waiter.continuation.resume(throwing: Self.closedError(waiting: waiter.description, error, recent))
        }
    }

    /// Waits for the oldest line matching `predicate`, for at most `timeout`.
    func wait(
        for description: String,
        timeout: Duration,
        on eventLoop: any EventLoop,
        matching predicate: @escaping Predicate
    ) async throws -> TestIRCMessage {
        let id = self.state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<TestIRCMessage, any Error>? = self.state.withLock { state in
                    if let index = state.unread.firstIndex(where: predicate) {
                        return .success(state.unread.remove(at: index))
                    }
                    if state.cancelledBeforeRegistering.remove(id) != nil {
                        return .failure(CancellationError())
                    }
                    if state.isClosed {
                        return .failure(Self.closedError(waiting: description, state.closeError, state.recent))
                    }
                    let timer = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                        self.expire(id, timeout: timeout)
                    }
                    state.waiters.append(
                        Waiter(
                            id: id,
                            description: description,
                            predicate: predicate,
                            continuation: continuation,
                            timer: timer
                        )
                    )
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                }
            }
        } onCancel: {
            let waiter: Waiter? = self.state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                    state.cancelledBeforeRegistering.insert(id)
                    return nil
                }
                return state.waiters.remove(at: index)
            }
            if let waiter {
                waiter.timer.cancel()
                waiter.continuation.resume(throwing: CancellationError())
            }
        }
    }

    private func expire(_ id: Int, timeout: Duration) {
        let expired: (Waiter, [String])? = self.state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                return nil
            }
            return (state.waiters.remove(at: index), state.recent)
        }
        if let (waiter, recent) = expired {
            waiter.continuation.resume(
                throwing: TestIRCClientError(
                    code: .timedOut,
                    message: "no \(waiter.description) within \(timeout)",
                    recentLines: recent
                )
            )
        }
    }

    private static func closedError(
        waiting description: String,
        _ error: (any Error)?,
        _ recent: [String]
    )
        -> TestIRCClientError
    {
        TestIRCClientError(
            code: .connectionClosed,
            message: "the connection closed while waiting for \(description)",
            underlying: error,
            recentLines: recent
        )
    }
}
