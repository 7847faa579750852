import Dispatch
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
/// The buffer is bounded. When the descriptor cannot keep up, newer lines are dropped (rather than memory growing
/// or callers waiting) and a line saying how many follows once writing catches up. ``flush()`` writes everything
/// gathered; the process calls it before it exits, so the last lines are not lost.
final class LogWriter: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        /// Whether a drain is queued or running; appends then only add to the buffer.
        var draining = false
        /// Lines refused since the last notice because the buffer was full.
        var dropped = 0
    }

    private let fileDescriptor: Int32
    private let capacity: Int
    private let droppedNotice: @Sendable (Int) -> String
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "goapi-bridge.log-writer")

    /// A writer to `fileDescriptor` holding at most `capacity` bytes not yet written; `droppedNotice` renders the
    /// line that reports dropped lines (in the log's own format).
    init(fileDescriptor: Int32, capacity: Int = 4 << 20, droppedNotice: @escaping @Sendable (Int) -> String) {
        self.fileDescriptor = fileDescriptor
        self.capacity = capacity
        self.droppedNotice = droppedNotice
    }

    /// Queues `line` (newline included) to be written, or drops it when the buffer is full.
    func write(_ line: String) {
        let startDrain = self.state.withLock { state in
            guard state.buffer.count + line.utf8.count <= self.capacity else {
                state.dropped += 1
                return false
            }
            state.buffer.append(contentsOf: line.utf8)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if startDrain {
            self.queue.async { self.drain() }
        }
    }

    /// Returns once every line queued before the call is written (or could not be).
    func flush() {
        self.queue.sync { self.drain() }
    }

    /// Writes what has gathered, batch after batch, until the buffer stays empty.
    private func drain() {
        while true {
            let (batch, dropped) = self.state.withLock { state -> ([UInt8], Int) in
                let batch = state.buffer
                let dropped = state.dropped
                // A fresh buffer, so one burst's capacity is not kept for good.
                state.buffer = []
                state.dropped = 0
                if batch.isEmpty && dropped == 0 { state.draining = false }
                return (batch, dropped)
            }
            guard !batch.isEmpty || dropped > 0 else { return }
            self.writeAll(batch)
            if dropped > 0 {
                self.writeAll(Array(self.droppedNotice(dropped).utf8))
            }
        }
    }

    /// Writes all of `bytes`, resuming after partial writes and interruptions; gives up on any other error (there
    /// is nowhere left to report it).
    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(self.fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
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
}

/// `write(2)`, under a name that the writer's own `write(_:)` does not hide.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
