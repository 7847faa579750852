import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes log lines to a file descriptor (stderr) from a queue of its own, so no event loop ever waits on log I/O.
///
/// A `write(2)` to stderr can block: on a pipe to journald or a container's log driver that is not keeping up, on a
/// file while the file system commits its journal (which SQLite's syncs start often under load), and whenever two
/// threads log at once (they queue on the same file). Made on an event loop, such a wait stalls every connection on
/// that loop: in the webhook benchmark, one line per request made the slowest 1 % of requests 70–150 ms, against
/// 17 ms without those lines. Here callers only append to a buffer; the queue writes whatever has gathered in one
/// call.
///
/// The buffer is one ring, allocated once and bounded. When the descriptor cannot keep up, newer lines are dropped
/// (rather than memory growing or callers waiting) and a line saying how many follows once writing catches up.
/// Nothing is allocated per line or per batch: buffers that come and go were measured to leave the allocator
/// holding 2–4 MiB more after the IRC memory benchmark's burst. ``flush()`` writes everything
/// gathered; the process calls it before it exits, so the last lines are not lost.
final class LogWriter: @unchecked Sendable {
    // Unchecked: `ring` is written only under `state`'s lock, in the part no drain is reading, and read by the drain
    // only in the part the lock handed it. The writer lives as long as the process (its thread keeps it), so the
    // ring is never freed.

    private struct State {
        /// Bytes ever queued and bytes ever written (or given up on); the ring holds `queued - written` bytes from
        /// `written % capacity` on.
        var queued = 0
        var written = 0
        /// Whether a drain is queued or running; appends then only add to the ring.
        var draining = false
        /// Lines refused since the last notice because the ring was full.
        var dropped = 0
    }

    private let fileDescriptor: Int32
    private let capacity: Int
    private let ring: UnsafeMutableRawBufferPointer
    private let droppedNotice: @Sendable (Int) -> String
    private let state = Mutex(State())
    /// Signalled when lines wait; the writer thread sleeps on it otherwise.
    private let wakeup = DispatchSemaphore(value: 0)
    /// Signalled by the writer thread after each pass, for ``flush()``.
    private let passed = Mutex(0)

    /// A writer to `fileDescriptor` holding at most `capacity` bytes not yet written; `droppedNotice` renders the
    /// line that reports dropped lines (in the log's own format). Half a MiB is some 2,500 lines: a third of a second
    /// of the webhook benchmark's busiest logging, minutes of a bridge's usual.
    init(fileDescriptor: Int32, capacity: Int = 512 << 10, droppedNotice: @escaping @Sendable (Int) -> String) {
        self.fileDescriptor = fileDescriptor
        self.capacity = max(capacity, 1)
        self.ring = UnsafeMutableRawBufferPointer.allocate(byteCount: self.capacity, alignment: 1)
        self.droppedNotice = droppedNotice
        // One thread of its own for the life of the process, rather than a dispatch queue: a queue is served by
        // whichever pool thread is free, and the pool grows and shrinks threads under load, each thread with
        // allocator state of its own; measured, that left the process 2–4 MiB larger after a burst.
        let thread = Thread {
            while true {
                self.wakeup.wait()
                self.drain()
            }
        }
        thread.name = "log-writer"
        thread.start()
    }

    /// Queues `line` (newline included) to be written, or drops it when the ring has no room for it.
    func write(_ line: String) {
        var line = line
        let startDrain = line.withUTF8 { bytes in
            self.state.withLock { state in
                guard state.queued - state.written + bytes.count <= self.capacity else {
                    state.dropped += 1
                    return false
                }
                let start = state.queued % self.capacity
                let first = min(bytes.count, self.capacity - start)
                self.ring.baseAddress!.advanced(by: start).copyMemory(from: bytes.baseAddress!, byteCount: first)
                if first < bytes.count {
                    self.ring.baseAddress!.copyMemory(
                        from: bytes.baseAddress!.advanced(by: first),
                        byteCount: bytes.count - first
                    )
                }
                state.queued += bytes.count
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
        }
        if startDrain {
            self.wakeup.signal()
        }
    }

    /// Returns once every line queued before the call is written (or could not be).
    func flush() {
        while self.state.withLock({ $0.queued - $0.written > 0 || $0.draining || $0.dropped > 0 }) {
            usleep(1_000)
        }
    }

    /// Writes what has gathered, one contiguous part of the ring after another, until nothing waits.
    private func drain() {
        while true {
            let (start, count, dropped) = self.state.withLock { state -> (Int, Int, Int) in
                let waiting = state.queued - state.written
                let start = state.written % self.capacity
                let count = min(waiting, self.capacity - start)
                // The notice goes only where a line ends: after all that is queued, which is whole lines. After a
                // part cut at the ring's end it would land inside a line, and the count in it would be lost.
                let dropped = count == waiting ? state.dropped : 0
                state.dropped -= dropped
                if waiting == 0 && dropped == 0 { state.draining = false }
                return (start, count, dropped)
            }
            guard count > 0 || dropped > 0 else { return }
            if count > 0 {
                self.writeAll(UnsafeRawBufferPointer(rebasing: self.ring[start..<(start + count)]))
                self.state.withLock { $0.written += count }
            }
            if dropped > 0 {
                var notice = self.droppedNotice(dropped)
                notice.withUTF8 { self.writeAll(UnsafeRawBufferPointer($0)) }
            }
        }
    }

    /// Writes all of `bytes`, resuming after partial writes and interruptions; gives up on any other error (there
    /// is nowhere left to report it).
    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(self.fileDescriptor, base + offset, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

/// `write(2)`, under a name that the writer's own `write(_:)` does not hide.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
