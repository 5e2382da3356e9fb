import Memory
import Testing

@Suite struct FreedMemoryTests {
    /// Pages of freed small blocks, which malloc keeps, go back to the system.
    @Test func freedSmallBlocksGoBackToTheSystem() {
        var released = false
        // Another test's return (a `%reset`) could take these pages first: try a few times.
        for _ in 0..<5 where !released {
            // 16 MiB in 1 KiB blocks (below the threshold of `returnIfGrown` in other tests).
            let blocks = (0..<16_384).map { _ in
                UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
            }
            for block in blocks {
                block.initializeMemory(as: UInt8.self, repeating: 1, count: 1024)
            }
            for block in blocks { block.deallocate() }
            released = FreedMemory.returnToSystem()
        }
        #expect(released)
    }
}
