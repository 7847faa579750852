import CConcurrencyHook
import NIOCore
import NIOPosix

/// Runs Swift concurrency's global jobs on NIO's singleton event loops instead of the runtime's own thread pool.
///
/// Every part of the bridge does its I/O on NIO's event loops while its logic runs in Swift tasks. With the
/// runtime's pool, each hop between the two is a thread switch (a futex wake-up and a context switch each way); a
/// question crosses a handful of them, and on a 2-core machine they were most of the bridge's own latency and a
/// fifth of its CPU per webhook request. On the event loops a task that resumes from I/O usually stays on the thread
/// that did the I/O.
///
/// This does what NIO's `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`
/// does, with one difference: NIO looks the runtime's hook up with `dlsym`, which finds nothing in a binary with
/// the Swift runtime linked in statically (as the service is deployed), so there it silently changed nothing. Here
/// the linker resolves the hook (see `CConcurrencyHook`), statically or against the shared runtime alike.
package enum EventLoopExecutor {
    /// The runtime's hook: called with every job enqueued on the global executor, and the runtime's own enqueue.
    private typealias EnqueueGlobalHook =
        @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the event loops as the global executor. Call it once, first thing in `main`, before any task is
    /// started on the global pool; jobs already there stay there. Returns false if a hook was already installed
    /// (by this call before, or by someone else), which is then left in place.
    @discardableResult
    package static func install() -> Bool {
        let slot = goapi_bridge_enqueue_global_hook()
        guard slot.pointee == nil else { return false }
        let hook: EnqueueGlobalHook = { job, _ in
            // `any()` stays on the current event loop when called from one of the group's loops, so a task that
            // resumes another does not move to the other thread.
            MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
        }
        slot.pointee = unsafeBitCast(hook, to: UnsafeMutableRawPointer.self)
        return true
    }

    /// Where a task on the global executor runs now: `"event-loops"` or `"global-pool"`. Checked from inside such
    /// a task, so it reports what happens rather than what was asked for; the service logs it at start.
    @concurrent
    package static func globalJobsRunOn() async -> String {
        MultiThreadedEventLoopGroup.currentEventLoop != nil ? "event-loops" : "global-pool"
    }
}
