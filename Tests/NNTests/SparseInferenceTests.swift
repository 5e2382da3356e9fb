import Testing

@testable import NN
@testable import Tensor

/// A pruned Dense in evaluation mode runs the sparse product when the rule prefers it, with
/// the dense product's outputs; training mode and gradients keep the dense product, and a
/// changed weight rebuilds the sparse form.
@Suite struct SparseInferenceTests {
    static func prunedDense(density: Double) throws -> Dense {
        let dense = try Dense(64, 32, activation: .relu, seed: 1)
        var generator = RandomGenerator(seed: 2)
        let keep = try Tensor.uniform([32, 64], using: &generator).scalars.map {
            Double($0) < density ? Float(1) : 0
        }
        try dense.weight.setMask(Tensor(keep, shape: [32, 64]))
        return dense
    }

    static func maximumDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? .infinity
    }

    @Test func evaluationUsesTheSparseProductWithTheDenseOutputs() throws {
        let dense = try Self.prunedDense(density: 0.05)
        var generator = RandomGenerator(seed: 3)
        let x = try Tensor.normal([1, 64], using: &generator)
        let expected = try Tensor.linear(
            x, weight: dense.weight.value, bias: dense.bias?.value, activation: .relu)
        dense.eval()
        let y = try dense(x)
        #expect(dense.sparseWeight?.rows != nil, "the sparse product was not used")
        #expect(Self.maximumDifference(y, expected) < 1e-5)

        // A new value rebuilds the sparse rows (still masked).
        try dense.weight.assign(dense.weight.value * 2)
        let doubled = try Tensor.linear(
            x, weight: dense.weight.value, bias: dense.bias?.value, activation: .relu)
        #expect(Self.maximumDifference(try dense(x), doubled) < 1e-5)
    }

    @Test func trainingGradientsAndDenseWeightsKeepTheDenseProduct() throws {
        let dense = try Self.prunedDense(density: 0.05)
        var generator = RandomGenerator(seed: 3)
        let x = try Tensor.normal([1, 64], using: &generator)
        _ = try dense(x)  // training mode
        #expect(dense.sparseWeight == nil)
        dense.eval()
        let (_, grads) = try valueWithGradient(of: dense) { layer in try layer(x).sum() }
        #expect(grads.entries.count == 2)
        #expect(dense.sparseWeight == nil)

        let full = try Self.prunedDense(density: 0.5)
        full.eval()
        _ = try full(x)
        #expect(full.sparseWeight?.rows == nil)
    }
}
