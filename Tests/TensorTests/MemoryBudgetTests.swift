import Memory
import Synchronization
import Testing

@testable import Tensor

@Suite struct MemoryBudgetTests {
    @Test func allocationBeyondTheBudgetIsAnError() {
        // 4 TiB: beyond the default limit on any machine this runs on.
        #expect(throws: TensorError.self) { try Tensor.zeros([1 << 40]) }
        do {
            _ = try Tensor.zeros([1 << 20, 1 << 20])
            Issue.record("a 4 TiB tensor was allocated")
        } catch {
            guard case .allocationBeyondBudget(let requested, _, let limit) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(requested == 4 << 40)
            #expect(limit == MemoryBudget.current.limit)
            #expect(error.description.contains("memory budget"))
        }
    }

    /// Buffers of 1 MiB and more are mapped pages: they hold their values, go back to the pool,
    /// are unmapped by `releaseCachedBuffers()`, and the same size maps afresh afterwards.
    @Test func mappedBuffersRoundTripAndAreReleased() throws {
        #expect(BufferPool.sizeClass(for: 4 << 20) >= BufferPool.mappedSize)
        for round in 0..<3 {
            let values = try Tensor.arange(1 << 20) + Float(round)  // 4 MiB
            let scalars = values.scalars
            #expect(scalars.first == Float(round) && scalars.last == Float((1 << 20) - 1 + round))
            if round == 1 { MemoryBudget.releaseCachedBuffers() }
        }
        MemoryBudget.releaseCachedBuffers()
        let again = try Tensor.ones([1 << 20])
        #expect(try again.sum().scalarized() == Float(1 << 20))
    }

    /// The statm file stays open between reads: every read must see the file afresh, and see
    /// the process grow (256 MiB touched here; tests running in parallel may free some memory
    /// meanwhile, so half of it is what is required).
    @Test func residentBytesAreReadAfreshEachTime() throws {
        let before = try #require(MemoryBudget.residentBytes())
        let bytes = 256 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096)
        defer { block.deallocate() }
        for offset in stride(from: 0, to: bytes, by: 4096) {
            block.storeBytes(of: UInt8(1), toByteOffset: offset, as: UInt8.self)
        }
        let after = try #require(MemoryBudget.residentBytes())
        #expect(after - before >= bytes / 2)
        #expect(MemoryBudget.residentBytes() != nil)
    }

    @Test func elementCountOverflowIsAnError() {
        #expect(throws: TensorError.self) { try Tensor.zeros([1 << 62, 1 << 62]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([1 << 62, 8]) }
    }

    @Test func liveTensorsAreCounted() throws {
        let big = try Tensor.zeros([16 << 20])  // 64 MiB
        #expect(MemoryBudget.current.trackedBytes >= 64 << 20)
        #expect(big.elementCount == 16 << 20)
    }

    @Test func sizeClassesWasteAtMostAQuarter() {
        for bytes in [1, 63, 64, 65, 100, 1000, 4096, 4097, 123_456, 1 << 30] {
            let size = BufferPool.sizeClass(for: bytes)
            #expect(size >= bytes)
            #expect(size >= BufferPool.minimumSize)
            #expect(bytes < BufferPool.minimumSize || size <= bytes + bytes / 4 + 1)
        }
    }

    /// The budget of the running session is the one tensors reserve from and release to.
    @Test func tensorsReserveFromTheInstalledBudgetAndReleaseToIt() throws {
        let small = MemoryBudget(limit: 768 << 10) { 0 }
        try MemoryBudget.$current.withValue(small) {
            var kept: Tensor? = try Tensor.zeros([1 << 17])  // 512 KiB
            #expect(small.trackedBytes >= 512 << 10)
            #expect(throws: TensorError.self) { try Tensor.zeros([1 << 17]) }
            kept = nil
            #expect(kept == nil && small.trackedBytes < 512 << 10)
            _ = try Tensor.zeros([1 << 17])
        }
    }

    /// Memory the budget does not track (an array's) counts through the resident growth: a
    /// tensor that fits beside the other tensors is refused when the process has grown.
    @Test func residentGrowthCountsAgainstTensors() throws {
        let resident = Mutex(100 << 20)
        let budget = MemoryBudget(limit: 96 << 20) { resident.withLock { $0 } }
        resident.withLock { $0 += 64 << 20 }  // an array of 64 MiB appeared
        try MemoryBudget.$current.withValue(budget) {
            #expect(budget.inUseBytes == 64 << 20)
            do {
                _ = try Tensor.ones([10 << 20])  // 40 MiB
                Issue.record("a tensor passed the budget beside a grown process")
            } catch {
                #expect("\(error)".contains("already in use"), "\(error)")
            }
            _ = try Tensor.ones([1 << 20])  // 4 MiB still fit
        }
    }
}
