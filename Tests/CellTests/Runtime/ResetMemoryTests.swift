import CellLibrary
import Testing

@testable import Cell
@testable import Tensor

/// `%reset` gives back the memory the library keeps for reuse: Tensor's pool of freed
/// buffers (up to 256 MiB) used to stay filled after the names were gone.
@Suite struct ResetMemoryTests {
    /// 1,234,567 floats: a size class of its own, so that tests running alongside (which
    /// share the process's pool) do not put buffers of this size in it.
    private static let count = 1_234_567
    private static let capacity = BufferPool.sizeClass(for: count * 4)

    /// Makes a tensor of `count` floats and frees it, so that its buffer goes to the pool.
    private func poolOneBuffer(_ harness: CellHarness) {
        #expect(harness.run("var big = Tensor.zeros([\(Self.count)])\nbig.shape").succeeded)
        #expect(harness.run("big = Tensor.zeros([1])").succeeded)
    }

    @Test func resetEmptiesTheTensorBufferPool() {
        let harness = CellHarness()
        poolOneBuffer(harness)
        #expect(BufferPool.cachedBytes(capacity: Self.capacity) >= Self.capacity)
        #expect(harness.run("%reset").succeeded)
        #expect(BufferPool.cachedBytes(capacity: Self.capacity) == 0)
    }

    /// `%reset` runs the configuration's hook once, after the names are gone (the pool is
    /// the process's, so this is checked through the hook rather than the pool, which other
    /// tests' `%reset` may empty meanwhile).
    @Test func resetRunsTheLibraryHookAfterFreeingTheNames() {
        final class Calls: @unchecked Sendable { var count = 0 }
        let calls = Calls()
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.releaseCachedMemory = { calls.count += 1 }
        let harness = CellHarness(configuration: configuration)
        harness.run("var big = Tensor.zeros([16])")
        #expect(harness.run("%reset").succeeded)
        #expect(calls.count == 1)
        #expect(harness.run("1 + 1").succeeded)
        #expect(calls.count == 1)
    }
}
