import CHeapShims
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Returns memory the C allocator holds after a burst to the system once the process has gone quiet, so the
/// resident size goes back near idle instead of staying at the peak (see ``HeapTrimPolicy``).
///
/// Does nothing where the allocator cannot say how much it holds (anything but glibc).
struct HeapTrimmer: Service {
    /// How often the allocator's free memory and the process's CPU use are looked at.
    var interval: Duration = .seconds(2)
    var policy = HeapTrimPolicy()
    /// Runs just before a trim, to let caches that are cheap to rebuild (SQLite's) free their memory first; what
    /// they free is trimmed at the next quiet look.
    var releaseCaches: @Sendable () -> Void = {}
    let logger: Logger

    func run() async throws {
        var policy = self.policy
        guard goapi_bridge_heap_free_bytes() >= 0 else {
            // Not glibc: nothing to trim, but a service that returns early would stop the whole group.
            try? await gracefulShutdown()
            return
        }
        let clock = ContinuousClock()
        var lastLook = (at: clock.now, cpu: Self.processCPUTime())
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: self.interval)
            } catch {
                return
            }
            let look = (at: clock.now, cpu: Self.processCPUTime())
            let elapsed = lastLook.at.duration(to: look.at)
            let cpuShare = elapsed > .zero ? (look.cpu - lastLook.cpu) / elapsed.secondsValue : 1
            lastLook = look
            guard policy.isQuiet(cpuShare: cpuShare) else { continue }
            let free = Int(goapi_bridge_heap_free_bytes())
            guard policy.shouldTrim(freeBytes: free) else { continue }
            let started = clock.now
            self.releaseCaches()
            let released = goapi_bridge_heap_trim() == 1
            policy.trimmed(freeBytes: Int(goapi_bridge_heap_free_bytes()))
            lastLook = (at: clock.now, cpu: Self.processCPUTime())
            self.logger.debug(
                "Trimmed the heap",
                metadata: [
                    "memory.free_bytes": "\(free)", "memory.released": "\(released)",
                    "memory.trim_ms": "\(started.duration(to: clock.now).secondsValue * 1_000)",
                ]
            )
        }
    }

    /// CPU seconds the process has used, all threads together.
    private static func processCPUTime() -> Double {
        #if canImport(Glibc)
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        #else
            return 0
        #endif
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    fileprivate var secondsValue: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
