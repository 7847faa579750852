import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Event loop threads at a lower CPU priority, for work that can wait while the machine is busy: answering queued
/// webhook questions and POSTing their replies. A task runs here when it prefers this executor
/// (`withTaskExecutorPreference`), and an HTTP client created on ``group`` does its I/O here.
///
/// Acknowledging a webhook has a deadline (Slack retries after 3 s, other senders time out), and the sender is
/// waiting; answering it waits seconds for GoAPI anyway. When the two compete for the CPU, the operating system's
/// scheduler now gives the acknowledgements most of it, and when the CPU is free the background runs at full speed
/// on every core. Storage engines run their background compaction the same way. In the webhook benchmark, where the
/// stub GoAPI answers at once so the background competes all the time, this raised the signed request rate by a
/// third (see docs/PERFORMANCE.md).
///
/// Only the scheduler's share changes; nothing waits on a timer. The store's writes, shared with acknowledgements,
/// still run on the store's own threads at normal priority, so no acknowledgement ever waits for a background
/// thread that cannot get the CPU.
package final class BackgroundExecutor: TaskExecutor {
    /// The process's background executor, one thread per core, created on first use. Like NIO's singleton event
    /// loops it is never shut down, so no task that still prefers it (such as a stream's tail being read) can find
    /// it gone.
    package static let shared = BackgroundExecutor(threads: System.coreCount, niceness: defaultNiceness)

    /// The nice value of the background threads: 10, a tenth of the CPU share of a normal thread when both want
    /// to run (the kernel's weights are 110 and 1024).
    package static let defaultNiceness: Int32 = 10

    /// The threads; pass it to HTTP clients whose I/O belongs to the background.
    package let group: MultiThreadedEventLoopGroup

    /// Starts `threads` event loops, each lowering its own priority to `niceness` before its first job.
    package init(threads: Int, niceness: Int32) {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        for loop in self.group.makeIterator() {
            // Queued first, so it runs before any job; Linux keeps a nice value per thread.
            loop.execute { Self.setCurrentThreadNiceness(niceness) }
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = self.asUnownedTaskExecutor()
        // `any()` keeps a job on the loop it is enqueued from, so a task stays on one thread between suspensions.
        self.group.any().execute { job.runSynchronously(on: executor) }
    }

    /// The nice value of the thread this is called on (Linux), or nil where there is none per thread.
    package static func currentThreadNiceness() -> Int32? {
        #if os(Linux)
            errno = 0
            let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            return errno == 0 ? value : nil
        #else
            return nil
        #endif
    }

    /// Lowers the priority of the calling thread only: on Linux, `setpriority` with `who` 0 applies to the calling
    /// thread (setpriority(2), NOTES). Elsewhere it does nothing, and background work runs at normal priority.
    private static func setCurrentThreadNiceness(_ niceness: Int32) {
        #if os(Linux)
            // Raising one's own nice value is always permitted, so this cannot fail for want of privileges; if it
            // failed anyway the work would still run, at normal priority, which the start-up log line shows.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }

    /// The nice value background work runs at, read from inside a task on this executor; the service logs it at
    /// start. Nil where threads have no nice value of their own.
    package func niceness() async -> Int32? {
        await withTaskExecutorPreference(self) { Self.currentThreadNiceness() }
    }
}
