/// When to hand the allocator's free memory back to the system: pure, so the rule is tested without a heap.
///
/// glibc's `malloc` keeps memory freed by the program in its arenas for reuse and gives back only what sits at the
/// top of each heap, so after a burst (500 questions streaming at once) the process would keep its peak size for
/// good. `malloc_trim` releases the free pages, but it holds each arena's lock while it walks every free chunk, and
/// the pages it releases are faulted in again as soon as the program needs them: under load it stalls requests and
/// buys nothing. The policy therefore trims only once the process is quiet (it used little CPU over the last
/// interval), enough memory is free, and the amount free has moved by a meaningful step since the last trim (so an
/// idle bridge is not trimmed over and over).
struct HeapTrimPolicy: Sendable {
    /// Free bytes below which trimming is not worth a system call.
    var minimumFreeBytes: Int
    /// How far the free bytes must have moved since the last trim.
    var minimumChangeBytes: Int
    /// The share of one core the process may have used over the last interval and still count as quiet.
    var quietCPUShare: Double

    /// The free bytes right after the last trim, nil before the first.
    private(set) var freeAfterLastTrim: Int?

    init(minimumFreeBytes: Int = 4 << 20, minimumChangeBytes: Int = 1 << 20, quietCPUShare: Double = 0.05) {
        self.minimumFreeBytes = minimumFreeBytes
        self.minimumChangeBytes = minimumChangeBytes
        self.quietCPUShare = quietCPUShare
    }

    /// Whether to trim now, with `freeBytes` free in the allocator's arenas and the process having used `cpuShare`
    /// of a core since the last look.
    func shouldTrim(freeBytes: Int, cpuShare: Double) -> Bool {
        guard cpuShare <= self.quietCPUShare, freeBytes >= self.minimumFreeBytes else { return false }
        guard let last = self.freeAfterLastTrim else { return true }
        return abs(freeBytes - last) >= self.minimumChangeBytes
    }

    /// Records a trim that left `freeBytes` free (trimming releases pages, not the free chunks themselves).
    mutating func trimmed(freeBytes: Int) {
        self.freeAfterLastTrim = freeBytes
    }
}
