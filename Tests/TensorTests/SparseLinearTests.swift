import Testing

@testable import Tensor

/// The sparse × dense product against the dense one it replaces, and the calibrated rule.
@Suite struct SparseLinearTests {
    /// A `[rows, columns]` weight with about `density` of its entries kept, and its sparse rows.
    static func prunedWeight(rows: Int, columns: Int, density: Double, seed: UInt64) throws
        -> (dense: Tensor, sparse: SparseRows)
    {
        var generator = RandomGenerator(seed: seed)
        let values = try Tensor.normal([rows, columns], using: &generator).scalars
        let keep = try Tensor.uniform([rows * columns], using: &generator).scalars.map {
            Double($0) < density
        }
        let masked = zip(values, keep).map { $1 ? $0 : 0 }
        return (
            try Tensor(masked, shape: [rows, columns]),
            SparseRows(masked, rows: rows, columns: columns) { keep[$0] }
        )
    }

    static func maximumDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? .infinity
    }

    @Test(arguments: [1, 3, 17])
    func theSparseProductEqualsTheDenseOne(batch: Int) throws {
        let (dense, sparse) = try Self.prunedWeight(rows: 24, columns: 40, density: 0.2, seed: 1)
        #expect(Swift.abs(sparse.density - 0.2) < 0.06)
        var generator = RandomGenerator(seed: 2)
        let x = try Tensor.normal([batch, 40], using: &generator)
        let bias = try Tensor.normal([24], using: &generator)
        for activation in [FusedActivation.identity, .relu] {
            let expected = try Tensor.linear(x, weight: dense, bias: bias, activation: activation)
            let actual = try Tensor.sparseLinear(
                x, weight: sparse, bias: bias, activation: activation)
            #expect(actual.shape == [batch, 24])
            #expect(Self.maximumDifference(actual, expected) < 1e-5)
        }
        let unbiased = try Tensor.sparseLinear(x, weight: sparse)
        #expect(Self.maximumDifference(unbiased, try Tensor.linear(x, weight: dense)) < 1e-5)
        // A transposed (non-contiguous) input gives the same.
        let transposed = try x.transposed().contiguous().transposed()
        #expect(try Tensor.sparseLinear(transposed, weight: sparse).scalars == unbiased.scalars)
    }

    @Test func emptyRowsAndWrongShapes() throws {
        let sparse = SparseRows([0, 0, 0, 2, 0, 0], rows: 2, columns: 3) { $0 == 3 }
        #expect(sparse.rowPointers == [0, 0, 1])
        let y = try Tensor.sparseLinear(
            Tensor([1, 1, 1], shape: [1, 3]), weight: sparse, bias: Tensor([5, 6]))
        #expect(y.scalars == [5, 8])
        #expect(throws: TensorError.self) {
            try Tensor.sparseLinear(Tensor([1, 1], shape: [1, 2]), weight: sparse)
        }
        #expect(throws: TensorError.self) {
            try Tensor.sparseLinear(
                Tensor([1, 1, 1], shape: [1, 3]), weight: sparse, bias: Tensor([1]))
        }
    }

    @Test func theRuleWantsLowDensityAndSmallBatches() {
        #expect(SparseProductRule.prefersSparse(density: 0.01, batch: 1, outputs: 128))
        #expect(!SparseProductRule.prefersSparse(density: 0.2, batch: 1, outputs: 128))
        #expect(!SparseProductRule.prefersSparse(density: 0.05, batch: 256, outputs: 128))
        #expect(!SparseProductRule.prefersSparse(density: 0.01, batch: 1, outputs: 4))
        // Monotone: accepted at (density, batch) means accepted at lower densities and at
        // smaller batches.
        for batch in [2, 8, 32, 256, 1024] {
            for density in stride(from: 0.0, through: 0.5, by: 0.01)
            where SparseProductRule.prefersSparse(density: density, batch: batch, outputs: 128) {
                #expect(
                    SparseProductRule.prefersSparse(
                        density: density / 2, batch: batch, outputs: 128))
                #expect(
                    SparseProductRule.prefersSparse(
                        density: density, batch: batch / 2, outputs: 128))
            }
        }
    }
}
