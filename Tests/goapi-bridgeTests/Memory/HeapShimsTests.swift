import CHeapShims
import Testing

@Suite struct HeapShimsTests {
    /// What the heap trimmer relies on: memory freed in the middle of the heap stays with the allocator (counted as
    /// free) until a trim hands it back.
    @Test func freedMemoryIsCountedAndATrimReleasesIt() throws {
        #if os(Linux)
            // The bridge ships for glibc-based Linux, where both calls must work.
            try #require(goapi_bridge_heap_free_bytes() >= 0)
        #endif
        let blockSize = 32 << 10
        // A small fence after each block keeps the freed blocks apart, so they cannot merge into the top of the heap,
        // which glibc would give back by itself.
        var blocks: [UnsafeMutableRawPointer] = []
        var fences: [UnsafeMutableRawPointer] = []
        for _ in 0..<1_024 {
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 1, count: blockSize)
            blocks.append(block)
            fences.append(UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16))
        }
        defer { for fence in fences { fence.deallocate() } }
        let before = goapi_bridge_heap_free_bytes()
        for block in blocks { block.deallocate() }
        // Other tests allocate meanwhile and may reuse some of it; most of the 32 MiB is still free.
        #expect(goapi_bridge_heap_free_bytes() - before >= 16 << 20)
        #expect(goapi_bridge_heap_trim() == 1)
    }
}
