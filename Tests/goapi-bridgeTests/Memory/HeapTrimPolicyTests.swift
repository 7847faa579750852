import Testing

@testable import goapi_bridge

@Suite struct HeapTrimPolicyTests {
    private let megabyte = 1 << 20

    @Test func littleFreeMemoryIsNotWorthATrim() {
        let policy = HeapTrimPolicy(minimumFreeBytes: 4 * self.megabyte, minimumChangeBytes: self.megabyte)
        #expect(!policy.shouldTrim(freeBytes: 3 * self.megabyte))
        #expect(policy.shouldTrim(freeBytes: 4 * self.megabyte))
    }

    @Test func afterATrimOnlyAChangeInFreeMemoryTrimsAgain() {
        var policy = HeapTrimPolicy(minimumFreeBytes: 4 * self.megabyte, minimumChangeBytes: self.megabyte)
        policy.trimmed(freeBytes: 30 * self.megabyte)
        // An idle bridge: the free chunks stay as they were, their pages already released.
        #expect(!policy.shouldTrim(freeBytes: 30 * self.megabyte))
        #expect(!policy.shouldTrim(freeBytes: 30 * self.megabyte + 1_000))
        // Another burst freed more, or reused and freed the same memory again.
        #expect(policy.shouldTrim(freeBytes: 32 * self.megabyte))
        #expect(policy.shouldTrim(freeBytes: 20 * self.megabyte))
    }
}
