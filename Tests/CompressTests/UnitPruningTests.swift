import Data
import NN
import Tensor
import Testing

@testable import Compress

/// Structured pruning: the smaller model computes exactly what the original does with the
/// removed units masked.
@Suite struct UnitPruningTests {
    /// The `count` rows of `dense`'s weight with the largest L1 norms (ties to the earlier).
    static func strongestRows(of dense: Dense, count: Int) -> Set<Int> {
        let weights = dense.weight.value.scalars
        let norms = (0..<dense.outputSize).map { row in
            (0..<dense.inputSize).reduce(Float(0)) {
                $0 + Swift.abs(weights[row * dense.inputSize + $1])
            }
        }
        return Set(norms.indices.sorted { norms[$0] > norms[$1] }.prefix(count))
    }

    /// Masks the rows of `dense` (weight and bias) that are not in `kept`.
    static func maskUnits(of dense: Dense, keeping kept: Set<Int>) throws {
        let rowMask = (0..<dense.outputSize).map { kept.contains($0) ? Float(1) : 0 }
        let weightMask = rowMask.flatMap { Array(repeating: $0, count: dense.inputSize) }
        try dense.weight.setMask(Tensor(weightMask, shape: dense.weight.shape))
        try dense.bias?.setMask(Tensor(rowMask, shape: [dense.outputSize]))
    }

    static func maximumDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? .infinity
    }

    @Test func halfTheHiddenUnitsGoAndTheOutputsMatchTheMaskedModel() throws {
        let data = try CompressFixtures.blobs()
        let model = try CompressFixtures.mlp()
        try model.fit(
            data, epochs: 3, batchSize: 16, optimizer: try Adam(learningRate: 0.01),
            generator: RandomGenerator(seed: 4))
        let x = try data.batch(Array(0..<data.count)).x
        let smaller = try pruneUnits(model, fraction: 0.5, by: .l1)
        let sizes = smaller.layers.compactMap { $0 as? Dense }.map {
            [$0.inputSize, $0.outputSize]
        }
        #expect(sizes == [[2, 8], [8, 8], [8, 3]])
        #expect(smaller.parameterCount == (2 * 8 + 8) + (8 * 8 + 8) + (8 * 3 + 3))
        let original = try model(x)
        let layers = model.layers.compactMap { $0 as? Dense }
        try Self.maskUnits(of: layers[0], keeping: Self.strongestRows(of: layers[0], count: 8))
        try Self.maskUnits(of: layers[1], keeping: Self.strongestRows(of: layers[1], count: 8))
        let masked = try model(x)
        #expect(Self.maximumDifference(masked, original) > 1e-3)  // the masks matter
        #expect(Self.maximumDifference(try smaller(x), masked) < 1e-5)
    }

    @Test func constantOutputsOfRemovedUnitsFoldIntoTheNextBias() throws {
        // sigmoid(0) = 0.5: a masked unit still sends 0.5 through its outgoing weights.
        let model = try Sequential {
            try Dense(3, 10, seed: 1)
            Sigmoid()
            try Dropout(0.3, seed: 2)
            try Dense(10, 6, activation: .tanh, seed: 3)
            try Dense(6, 2, seed: 4)
        }
        model.eval()
        var generator = RandomGenerator(seed: 8)
        let x = try Tensor.normal([20, 3], using: &generator)
        let smaller = try pruneUnits(model, fraction: 0.4, by: .l1)
        let dense = smaller.layers.compactMap { $0 as? Dense }
        #expect(dense.map(\.outputSize) == [6, 4, 2])
        #expect(smaller.layers.count == 5 && !smaller.isTraining)
        let first = try #require(model[0] as? Dense)
        let second = try #require(model[3] as? Dense)
        let kept = (
            Self.strongestRows(of: first, count: 6), Self.strongestRows(of: second, count: 4)
        )
        try Self.maskUnits(of: first, keeping: kept.0)
        try Self.maskUnits(of: second, keeping: kept.1)
        #expect(Self.maximumDifference(try smaller(x), try model(x)) < 1e-5)
    }

    @Test func theOriginalIsUnchangedAndL2RanksDifferently() throws {
        let model = try CompressFixtures.mlp()
        let before = model.namedParameters().map(\.parameter.value.scalars)
        let smaller = try pruneUnits(model, fraction: 0.25, by: .l2)
        #expect(model.namedParameters().map(\.parameter.value.scalars) == before)
        #expect(smaller.parameterCount < model.parameterCount)
        // Training the copy leaves the original alone.
        try smaller.parameters[0].assign(Tensor.zeros(smaller.parameters[0].shape))
        #expect(model.namedParameters().map(\.parameter.value.scalars) == before)
    }

    @Test func layersBeforeASoftmaxOrTheOutputKeepTheirUnits() throws {
        let model = try Sequential {
            try Dense(4, 6, seed: 1)
            Softmax()
            try Dense(6, 2, seed: 2)
        }
        let same = try pruneUnits(model, fraction: 0.5)
        #expect(same.parameterCount == model.parameterCount)
        #expect(throws: CompressError.self) { try pruneUnits(model, fraction: 1) }
        #expect(throws: CompressError.self) { try pruneUnits(model, fraction: -0.5) }
    }

    @Test func aConstantWithNoBiasToAbsorbItIsAnError() throws {
        let model = try Sequential {
            try Dense(3, 4, activation: .sigmoid, seed: 1)
            try Dense(4, 2, useBias: false, seed: 2)
        }
        #expect(throws: CompressError.self) { try pruneUnits(model, fraction: 0.5) }
    }
}
