import NN
import Tensor
import Testing

@testable import Compress

/// `ModelComparison` measures any models side by side: the pruned model's file is smaller and
/// its non-zeros fewer, the structured one has fewer parameters, accuracies come from
/// evaluation, latencies are positive, and models keep their training mode.
@Suite struct ModelComparisonTests {
    @Test func densePrunedAndStructuredSideBySide() throws {
        let data = try CompressFixtures.blobs()
        let dense = try CompressFixtures.mlp(hidden: 64)
        _ = try dense.fit(
            data, epochs: 3, batchSize: 16, optimizer: Adam(learningRate: 0.01),
            generator: RandomGenerator(seed: 1))
        let pruned = try dense.copiedModel()
        try prune(pruned, sparsity: 0.9, scope: .global)
        let smaller = try pruneUnits(dense, fraction: 0.5)
        let comparison = try ModelComparison(
            [("dense", dense), ("pruned", pruned), ("structured", smaller)], on: data, runs: 3,
            largeBatch: 32)
        #expect(comparison.rows.map(\.name) == ["dense", "pruned", "structured"])
        #expect(comparison.largeBatch == 32)
        let (a, b, c) = (comparison.rows[0], comparison.rows[1], comparison.rows[2])
        #expect(a.parameterCount == b.parameterCount)
        #expect(b.nonZeroCount * 5 < a.nonZeroCount)
        #expect(b.fileBytes * 2 < a.fileBytes)
        #expect(c.parameterCount * 3 < a.parameterCount)
        #expect(c.fileBytes < a.fileBytes)
        #expect(try a.metrics["accuracy"] == #require(dense.evaluate(data)["accuracy"]))
        #expect([a, b, c].allSatisfy { $0.latencyBatch1 > 0 && $0.latencyLargeBatch > 0 })
        #expect(dense.isTraining && pruned.isTraining)
        #expect(comparison["pruned"]?.nonZeroCount == b.nonZeroCount)
        #expect(throws: CompressError.self) { try ModelComparison([], on: data) }
    }
}
