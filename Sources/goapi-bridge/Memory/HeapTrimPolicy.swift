/// When to hand the allocator's free memory back to the system: pure, so the rule is tested without a heap.
///
/// glibc's `malloc` keeps memory freed by the program in its arenas for reuse and gives back only what sits at the
/// top of each heap, so after a burst (500 questions streaming at once) the process would keep its peak size for
/// good. `malloc_trim` releases the free pages, but walks every free chunk to do so; calling it on a timer whatever
/// happened would be wasted work on an idle bridge. The policy trims when enough memory is free and the amount free
/// has changed by a meaningful step since the last trim (the program freed or reused memory since).
struct HeapTrimPolicy: Sendable {
    /// Free bytes below which trimming is not worth a system call.
    var minimumFreeBytes: Int
    /// How far the free bytes must have moved since the last trim.
    var minimumChangeBytes: Int

    /// The free bytes right after the last trim, nil before the first.
    private(set) var freeAfterLastTrim: Int?

    init(minimumFreeBytes: Int = 4 << 20, minimumChangeBytes: Int = 1 << 20) {
        self.minimumFreeBytes = minimumFreeBytes
        self.minimumChangeBytes = minimumChangeBytes
    }

    /// Whether to trim now, with `freeBytes` free in the allocator's arenas.
    func shouldTrim(freeBytes: Int) -> Bool {
        guard freeBytes >= self.minimumFreeBytes else { return false }
        guard let last = self.freeAfterLastTrim else { return true }
        return abs(freeBytes - last) >= self.minimumChangeBytes
    }

    /// Records a trim that left `freeBytes` free (trimming releases pages, not the free chunks themselves).
    mutating func trimmed(freeBytes: Int) {
        self.freeAfterLastTrim = freeBytes
    }
}
