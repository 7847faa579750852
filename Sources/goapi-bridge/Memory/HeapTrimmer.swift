import CHeapShims
import Logging
import ServiceLifecycle

/// Returns memory the C allocator holds after a burst to the system, a few seconds after it was freed, so the
/// resident size goes back near idle instead of staying at the peak (see ``HeapTrimPolicy``).
///
/// Does nothing where the allocator cannot say how much it holds (anything but glibc).
struct HeapTrimmer: Service {
    /// How often the allocator's free memory is looked at.
    var interval: Duration = .seconds(2)
    var policy = HeapTrimPolicy()
    let logger: Logger

    func run() async throws {
        var policy = self.policy
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: self.interval)
            } catch {
                return
            }
            let free = Int(goapi_bridge_heap_free_bytes())
            guard free >= 0 else {
                // Not glibc: nothing to trim, but a service that returns early would stop the whole group.
                try? await gracefulShutdown()
                return
            }
            guard policy.shouldTrim(freeBytes: free) else { continue }
            let released = goapi_bridge_heap_trim() == 1
            policy.trimmed(freeBytes: Int(goapi_bridge_heap_free_bytes()))
            self.logger.debug(
                "Trimmed the heap",
                metadata: ["memory.free_bytes": "\(free)", "memory.released": "\(released)"]
            )
        }
    }
}
