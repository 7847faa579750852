import Testing

@testable import goapi_bridge

@Suite struct HeapTrimPolicyTests {
    private let megabyte = 1 << 20
    private var policy: HeapTrimPolicy {
        HeapTrimPolicy(minimumFreeBytes: 4 * self.megabyte, minimumChangeBytes: self.megabyte, quietCPUShare: 0.05)
    }

    @Test func littleFreeMemoryIsNotWorthATrim() {
        #expect(!self.policy.shouldTrim(freeBytes: 3 * self.megabyte, cpuShare: 0))
        #expect(self.policy.shouldTrim(freeBytes: 4 * self.megabyte, cpuShare: 0))
    }

    @Test func aBusyProcessIsNotTrimmedWhateverItHolds() {
        // Under load the pages would be faulted back in at once, and the trim would hold the allocator's locks.
        #expect(!self.policy.shouldTrim(freeBytes: 200 * self.megabyte, cpuShare: 0.8))
        #expect(!self.policy.shouldTrim(freeBytes: 200 * self.megabyte, cpuShare: 0.06))
        #expect(self.policy.shouldTrim(freeBytes: 200 * self.megabyte, cpuShare: 0.05))
    }

    @Test func afterATrimOnlyAChangeInFreeMemoryTrimsAgain() {
        var policy = self.policy
        policy.trimmed(freeBytes: 30 * self.megabyte)
        // An idle bridge: the free chunks stay as they were, their pages already released.
        #expect(!policy.shouldTrim(freeBytes: 30 * self.megabyte, cpuShare: 0))
        #expect(!policy.shouldTrim(freeBytes: 30 * self.megabyte + 1_000, cpuShare: 0))
        // Another burst freed more, or reused and freed the same memory again.
        #expect(policy.shouldTrim(freeBytes: 32 * self.megabyte, cpuShare: 0))
        #expect(policy.shouldTrim(freeBytes: 20 * self.megabyte, cpuShare: 0))
    }
}
