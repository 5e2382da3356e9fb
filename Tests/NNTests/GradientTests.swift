import Testing

@testable import NN
@testable import Tensor

@Suite struct GradientTests {
    @Test func denseGradientsMatchFiniteDifferences() throws {
        let model = try Sequential {
            try Dense(3, 4, activation: .tanh, seed: 1)
            try Dense(4, 2, seed: 2)
        }
        let x = try sample([5, 3], seed: 3)
        let y = try Tensor([0, 1, 1, 0, 1] as [Int32], shape: [5])
        try checkModelGradients(of: model) { m in try softmaxCrossEntropy(m(x), y) }
    }

    @Test func gradientsAreFoundByNameAndByParameter() throws {
        let dense = try Dense(2, 1, seed: 1)
        let model = Sequential([dense])
        let x = try Tensor([1, 2], shape: [1, 2])
        let (loss, grads) = try valueWithGradient(of: model) { m in try m(x).sum() }
        // d(w·x + b)/dw = x, d/db = 1.
        #expect(grads["0.weight"]?.scalars == [1, 2])
        #expect(grads[dense.weight]?.scalars == [1, 2])
        #expect(grads["0.bias"]?.scalars == [1])
        #expect(grads.names == ["0.weight", "0.bias"])
        #expect(dense.weight.gradient?.scalars == [1, 2])
        #expect(!loss.requiresGradient)
        #expect(!dense.weight.value.requiresGradient)
    }

    @Test func frozenParametersGetNoGradient() throws {
        let model = try Sequential {
            try Dense(2, 2, seed: 1)
            try Dense(2, 1, seed: 2)
        }
        try model[0].freeze()
        let grads = try gradient(of: model) { m in try m(Tensor([1, 2], shape: [1, 2])).sum() }
        #expect(grads.names == ["1.weight", "1.bias"])
        #expect(grads["0.weight"] == nil)
    }

    @Test func maskedGradientsAreZeroWherePruned() throws {
        let layer = try ParameterLayer([1, 2, 3])
        try layer.value.setMask(Tensor([1, 0, 1]))
        #expect(layer.value.value.scalars == [1, 0, 3])
        #expect(Swift.abs(layer.value.sparsity - 1.0 / 3) < 1e-6)
        let grads = try gradient(of: layer) { m in try (m(Tensor(0)) * Tensor([5, 6, 7])).sum() }
        #expect(grads["value"]?.scalars == [5, 0, 7])
    }

    @Test func aNonScalarLossIsAnError() throws {
        let layer = try ParameterLayer([1, 2])
        #expect(throws: NNError.self) { try gradient(of: layer) { m in try m(Tensor(0)) * 2 } }
    }

    @Test func globalNormClippingScalesAllGradientsTogether() throws {
        let model = try Sequential {
            try ParameterLayer([3])
            try ParameterLayer([4])
        }
        var grads = try gradient(of: model) { m in
            try (m[0](Tensor(0)) * m[0](Tensor(0)) / 2).sum()
                + (m[1](Tensor(0)) * m[1](Tensor(0)) / 2).sum()
        }
        // Gradients [3] and [4]: global norm 5; clipped to 1 → [0.6], [0.8].
        #expect(Swift.abs(try grads.globalNorm() - 5) < 1e-5)
        let before = try grads.clip(byGlobalNorm: 1)
        #expect(Swift.abs(before - 5) < 1e-5)
        expectClose(grads["0.value"]?.scalars ?? [], [0.6])
        expectClose(grads["1.value"]?.scalars ?? [], [0.8])
        try grads.clip(byValue: 0.7)
        expectClose(grads["1.value"]?.scalars ?? [], [0.7])
    }

    @Test func accumulatingGradientsAddsThem() throws {
        let layer = try ParameterLayer([1, 2])
        var total = try gradient(of: layer) { m in try m(Tensor(0)).sum() }
        let second = try gradient(of: layer) { m in try (m(Tensor(0)) * 3).sum() }
        try total.accumulate(second)
        #expect(total["value"]?.scalars == [4, 4])
        try total.scale(by: 0.5)
        #expect(total["value"]?.scalars == [2, 2])
        // The first gradient stored in the parameter is unchanged by accumulating a copy.
        #expect(second["value"]?.scalars == [3, 3])
    }
}
