/// When to hand the allocator's free memory back to the system: pure, so the rule is tested without a heap.
///
/// glibc's `malloc` keeps memory freed by the program in its arenas for reuse and gives back only what sits at the
/// top of each heap, so after a burst (500 questions streaming at once) the process would keep its peak size for
/// good. `malloc_trim` releases the free pages, but it holds each arena's lock while it walks every free chunk, and
/// the pages it releases are faulted in again as soon as the program needs them: under load it stalls requests and
/// buys nothing. The policy therefore trims only once the process is quiet (it used little CPU over the last
/// interval) and enough memory is free, and only if something happened since the last trim: the process was busy at
/// some look since then (a burst re-uses the freed chunks and brings their pages back, without changing how much is
/// free once it is over), or the amount free moved by a meaningful step. An idle bridge is not trimmed over and
/// over, and the allocator's statistics (which take every arena's lock) are read only when the process is quiet.
struct HeapTrimPolicy: Sendable {
    /// Free bytes below which trimming is not worth a system call.
    var minimumFreeBytes: Int
    /// How far the free bytes must have moved since the last trim, when the process was not busy in between.
    var minimumChangeBytes: Int
    /// The share of one core the process may have used over the last interval and still count as quiet.
    var quietCPUShare: Double

    /// The free bytes right after the last trim, nil before the first.
    private(set) var freeAfterLastTrim: Int?
    /// Whether the process was busy at a look since the last trim.
    private(set) var busySinceLastTrim = false

    init(minimumFreeBytes: Int = 4 << 20, minimumChangeBytes: Int = 1 << 20, quietCPUShare: Double = 0.05) {
        self.minimumFreeBytes = minimumFreeBytes
        self.minimumChangeBytes = minimumChangeBytes
        self.quietCPUShare = quietCPUShare
    }

    /// Whether the process counts as quiet after using `cpuShare` of a core since the last look; records a busy
    /// look. Only when quiet is it worth reading the free bytes and asking ``shouldTrim(freeBytes:)``.
    mutating func isQuiet(cpuShare: Double) -> Bool {
        guard cpuShare <= self.quietCPUShare else {
            self.busySinceLastTrim = true
            return false
        }
        return true
    }

    /// Whether to trim now, in a quiet moment, with `freeBytes` free in the allocator's arenas.
    func shouldTrim(freeBytes: Int) -> Bool {
        guard freeBytes >= self.minimumFreeBytes else { return false }
        guard let last = self.freeAfterLastTrim else { return true }
        return self.busySinceLastTrim || abs(freeBytes - last) >= self.minimumChangeBytes
    }

    /// Records a trim that left `freeBytes` free (trimming releases pages, not the free chunks themselves).
    mutating func trimmed(freeBytes: Int) {
        self.freeAfterLastTrim = freeBytes
        self.busySinceLastTrim = false
    }
}
