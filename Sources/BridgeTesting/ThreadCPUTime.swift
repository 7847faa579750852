#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(CDispatch)
    // In a release build the compiler takes `timespec` as declared by Dispatch's C module, and member import
    // visibility then wants that module imported.
    import CDispatch
#endif

/// CPU time the calling thread has used, for cost tests of synchronous work: unlike wall time, it does not count the
/// time the thread waits for a core on a loaded machine running every suite at once.
package func threadCPUTime() -> Duration {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
}
