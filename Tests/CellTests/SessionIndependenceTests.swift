import CellLibrary
import KernelInterface
import Testing

@testable import Cell

/// Two sessions in one process keep their own library state: random draws and memory budget.
@Suite struct SessionIndependenceTests {
    /// Both sessions seed 42 and draw in turn; each sees the sequence it would see alone.
    @Test func interleavedSessionsReplayTheirOwnSeed() {
        let alone = CellHarness()
        alone.run("seed(42)")
        let expected = (0..<4).map { _ in alone.run("Tensor.normal([3]).scalars").result }
        #expect(expected.allSatisfy { $0 != nil })

        let first = CellHarness()
        let second = CellHarness()
        first.run("seed(42)")
        second.run("seed(42)")
        var drawsOfFirst: [String?] = []
        var drawsOfSecond: [String?] = []
        for _ in 0..<4 {
            drawsOfFirst.append(first.run("Tensor.normal([3]).scalars").result)
            drawsOfSecond.append(second.run("Tensor.normal([3]).scalars").result)
            // A third session reseeding in between must not disturb either.
            alone.run("seed(7)\nTensor.normal([5])")
        }
        #expect(drawsOfFirst == expected)
        #expect(drawsOfSecond == expected)
    }

    @Test func eachSessionKeepsItsOwnMemoryLimit() {
        var small = CellInterpreter.Configuration.withLibrary
        small.memoryLimit = 16 << 20
        let constrained = CellHarness(configuration: small)
        let roomy = CellHarness()
        // 32 MiB of tensor: beyond the small session's budget, well within the default one.
        #expect(constrained.run("Tensor.zeros([8_388_608]).shape").error?.name == "MemoryError")
        #expect(roomy.run("Tensor.zeros([8_388_608]).shape").result == "[8388608]")
        #expect(constrained.run("Tensor.zeros([8_388_608]).shape").error?.name == "MemoryError")
        #expect(constrained.run("Tensor.zeros([1_000]).shape").result == "[1000]")
    }

    /// Issue 11 item 7: an array and tensors share one budget. The array (about 320 MB)
    /// and each tensor (about 160 MB) fit alone, and the tensors fit beside each other; the
    /// array and both tensors together (640 MB) do not fit in 480 MB.
    @Test func arraysAndTensorsShareOneBudget() {
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.memoryLimit = 480 << 20
        let harness = CellHarness(configuration: configuration)
        let stride = MemoryLayout<Value>.stride
        let count = (320 << 20) / stride
        #expect(harness.run("var big = Array(repeating: 0, count: \(count))\nbig.count").succeeded)
        let a = harness.run("let a = Tensor.ones([41_943_040])")
        let b = harness.run("let b = Tensor.ones([41_943_040])")
        let refused = [a, b].compactMap(\.error)
        #expect(refused.first?.name == "MemoryError", "\(refused)")
        #expect(refused.first?.value.contains("already in use") == true, "\(refused)")
        // Freeing the array makes room again.
        harness.run("big = []")
        #expect(harness.run("let c = Tensor.ones([41_943_040])\nc.shape").succeeded)
    }

    @Test func theRangeCapHasItsOwnMessage() throws {
        let error = try #require(CellHarness().run("(0..<60_000_000).filter { $0 == 5 }").error)
        #expect(error.name == "MemoryError")
        #expect(error.value.contains("60000000 elements"), "\(error.value)")
        #expect(!error.value.contains("budget"), "\(error.value)")
    }
}
