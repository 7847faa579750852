import NIOCore
import NIOPosix

/// Sleeps until `deadline` or until the task is cancelled, and on cancellation also removes the timer.
///
/// `Task.sleep` on Linux leaves its timer scheduled until the original deadline even when the sleeping task is
/// cancelled, holding the task's memory until then. A per-request timeout (GoAPI's 300 s reply limit) that
/// normally ends early through cancellation would therefore keep about a kilobyte per question alive for five
/// minutes: at a few hundred questions a second that is tens of megabytes that look like a leak. This sleep uses a
/// NIO scheduled task instead, which cancellation takes off the event loop's timer queue at once.
///
/// Throws `CancellationError` when cancelled, like `Task.sleep`.
package func sleep(
    until deadline: ContinuousClock.Instant,
    on eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()
) async throws {
    let remaining = ContinuousClock.now.duration(to: deadline)
    guard remaining > .zero else {
        try Task.checkCancellation()
        return
    }
    try await sleep(for: remaining, on: eventLoop)
}

/// Sleeps for `duration` or until the task is cancelled, removing the timer on cancellation (see
/// ``sleep(until:on:)``).
package func sleep(
    for duration: Duration,
    on eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()
) async throws {
    try Task.checkCancellation()
    // Clamped: NIO counts in Int64 nanoseconds, which end after about 292 years.
    let (seconds, attoseconds) = duration.components
    let nanoseconds =
        seconds >= Int64.max / 1_000_000_000 ? Int64.max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    let scheduled = eventLoop.scheduleTask(in: .nanoseconds(max(nanoseconds, 0))) {}
    do {
        try await withTaskCancellationHandler {
            try await scheduled.futureResult.get()
        } onCancel: {
            scheduled.cancel()
        }
    } catch EventLoopError.cancelled {
        throw CancellationError()
    }
}
