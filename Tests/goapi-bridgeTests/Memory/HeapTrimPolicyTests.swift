import Testing

@testable import goapi_bridge

@Suite struct HeapTrimPolicyTests {
    private let megabyte = 1 << 20
    private var policy: HeapTrimPolicy {
        HeapTrimPolicy(minimumFreeBytes: 4 * self.megabyte, minimumChangeBytes: self.megabyte, quietCPUShare: 0.05)
    }

    @Test func littleFreeMemoryIsNotWorthATrim() {
        #expect(!self.policy.shouldTrim(freeBytes: 3 * self.megabyte))
        #expect(self.policy.shouldTrim(freeBytes: 4 * self.megabyte))
    }

    @Test func aBusyProcessIsNotQuiet() {
        // Under load the pages would be faulted back in at once, and the trim would hold the allocator's locks.
        var policy = self.policy
        let quiet1 = policy.isQuiet(cpuShare: 0.8)
        #expect(!quiet1)
        let quiet2 = policy.isQuiet(cpuShare: 0.06)
        #expect(!quiet2)
        let quiet3 = policy.isQuiet(cpuShare: 0.05)
        #expect(quiet3)
    }

    @Test func anIdleBridgeIsNotTrimmedOverAndOver() {
        var policy = self.policy
        policy.trimmed(freeBytes: 30 * self.megabyte)
        // The free chunks stay as they were, their pages already released.
        let quiet4 = policy.isQuiet(cpuShare: 0.01)
        #expect(quiet4)
        #expect(!policy.shouldTrim(freeBytes: 30 * self.megabyte))
        #expect(!policy.shouldTrim(freeBytes: 30 * self.megabyte + 1_000))
        // Memory freed or reused while quiet, by a meaningful step.
        #expect(policy.shouldTrim(freeBytes: 32 * self.megabyte))
        #expect(policy.shouldTrim(freeBytes: 20 * self.megabyte))
    }

    @Test func aSecondBurstOfTheSameSizeIsTrimmedToo() {
        var policy = self.policy
        policy.trimmed(freeBytes: 40 * self.megabyte)
        // The burst re-uses the freed chunks (their pages come back), then frees them again: as much is free as
        // after the first trim, but the pages are resident again.
        let quiet5 = policy.isQuiet(cpuShare: 0.9)
        #expect(!quiet5)
        let quiet6 = policy.isQuiet(cpuShare: 0.01)
        #expect(quiet6)
        #expect(policy.shouldTrim(freeBytes: 40 * self.megabyte))
        policy.trimmed(freeBytes: 40 * self.megabyte)
        #expect(!policy.shouldTrim(freeBytes: 40 * self.megabyte))
    }
}
