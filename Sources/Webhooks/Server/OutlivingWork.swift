/// Work a request starts and may stop waiting for: a sync answer still coming when its request times out keeps going,
/// so a retry of the same delivery gets it instead of a second GoAPI call.
///
/// The work runs in the server's task group rather than in unstructured tasks, so its lifetime is the server's:
/// work still running when the server stops is cancelled (see ``run(serving:)``).
final class OutlivingWork: Sendable {
    private let stream: AsyncStream<@Sendable () async -> Void>
    private let continuation: AsyncStream<@Sendable () async -> Void>.Continuation

    init() {
        (self.stream, self.continuation) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
    }

    /// Starts `work`; false when the server has stopped (the work is not run then).
    func start(_ work: @escaping @Sendable () async -> Void) -> Bool {
        if case .enqueued = self.continuation.yield(work) { return true }
        return false
    }

    /// Runs `serving` (the HTTP server) and the work started meanwhile. Once `serving` returns, nobody waits for the
    /// work any more: what is still running is cancelled and awaited, and work started later is refused.
    func run(serving: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                defer { self.continuation.finish() }
                try await serving()
            }
            for await work in self.stream {
                group.addTask { await work() }
            }
            group.cancelAll()
        }
    }
}
