/// Runs `operation` and cancels it at `deadline`: its result, or nil when the deadline came first.
///
/// For work that its own timeouts do not bound. AsyncHTTPClient's `execute(_:deadline:)` and `execute(_:timeout:)`
/// only bound the wait for the response head: reading the body is bounded only by the read timeout, which a server
/// sending a byte (or an SSE keep-alive comment) more often than that never reaches. `operation` must end promptly
/// when cancelled, as AsyncHTTPClient's body reads do; whatever it throws then is dropped, since the deadline is
/// what happened.
package func withDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T? {
    try await withThrowingTaskGroup(of: DeadlineRace<T>.self) { group in
        group.addTask { .finished(try await operation()) }
        group.addTask {
            // Timers.sleep, not Task.sleep: this timer usually ends early, by cancellation (see its comment).
            try await sleep(until: deadline)
            return .deadlinePassed
        }
        // The first child to end decides; leaving the group cancels the other and drops what it returns or throws.
        defer { group.cancelAll() }
        guard case .finished(let value) = try await group.next() else { return nil }
        return value
    }
}

/// Which child of ``withDeadline(_:_:)`` ended first.
private enum DeadlineRace<T: Sendable>: Sendable {
    case finished(T)
    case deadlinePassed
}
