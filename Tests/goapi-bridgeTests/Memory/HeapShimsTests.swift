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
        let blocks = (0..<2_048).map { _ in
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 1, count: blockSize)
            return block
        }
        // Every other block is freed; the ones kept between them stop the freed ones from merging into the top of
        // the heap, which glibc would give back by itself.
        let before = goapi_bridge_heap_free_bytes()
        for (index, block) in blocks.enumerated() where index.isMultiple(of: 2) { block.deallocate() }
        let freed = goapi_bridge_heap_free_bytes() - before
        let trimmed = goapi_bridge_heap_trim()
        for (index, block) in blocks.enumerated() where !index.isMultiple(of: 2) { block.deallocate() }
        // Other tests allocate meanwhile and may reuse some of it; most of the 32 MiB is still free.
        #expect(freed >= 16 << 20)
        #expect(trimmed == 1)
    }
}
