import NN
import Tensor
import Testing

@testable import Compress

/// Structured pruning of Conv2D output channels: the filter, its bias, its BatchNorm entries
/// and the next layer's inputs (a Conv2D's input channels, or a Dense's block of positions
/// after Flatten) go, and the smaller model computes exactly what the masked model does.
@Suite struct ChannelPruningTests {
    /// `Conv(1→8, same) → BatchNorm → ReLU → MaxPool → Conv(8→6, relu) → Flatten → Dense(24→5)`
    /// on 8×8 inputs, with BatchNorm statistics from a few training-mode passes.
    static func cnn() throws -> (model: Sequential, x: Tensor) {
        let model = try Sequential {
            try Conv2D(1, 8, kernelSize: 3, padding: .same, seed: 1)
            try BatchNorm(8)
            ReLU()
            MaxPool2D(2)
            try Conv2D(8, 6, kernelSize: 3, activation: .relu, seed: 2)
            Flatten()
            try Dense(24, 5, seed: 3)
        }
        var generator = RandomGenerator(seed: 7)
        let x = try Tensor.normal([6, 1, 8, 8], using: &generator)
        if let norm = try model[1] as? BatchNorm {
            try norm.weight?.assign(Tensor.uniform([8], low: 0.5, high: 1.5, using: &generator))
            try norm.bias?.assign(Tensor.uniform([8], low: -0.5, high: 0.5, using: &generator))
        }
        for _ in 0..<3 { _ = try withoutGradient { try model(x) } }
        model.eval()
        return (model, x)
    }

    /// The `count` strongest rows (L1 of each output unit's weights) of `weight`.
    static func strongestRows(of weight: Parameter, count: Int) -> Set<Int> {
        let rows = weight.shape[0]
        let length = weight.elementCount / rows
        let values = weight.value.scalars
        let norms = (0..<rows).map { row in
            values[(row * length)..<((row + 1) * length)].reduce(Float(0)) { $0 + Swift.abs($1) }
        }
        return Set(norms.indices.sorted { norms[$0] > norms[$1] }.prefix(count))
    }

    /// Masks the output units of `weight` (and `bias`, and the given per-channel parameters)
    /// that are not in `kept`.
    static func mask(_ parameters: [Parameter?], of weight: Parameter, keeping kept: Set<Int>)
        throws
    {
        let rows = weight.shape[0]
        let rowMask = (0..<rows).map { kept.contains($0) ? Float(1) : 0 }
        let length = weight.elementCount / rows
        try weight.setMask(
            Tensor(rowMask.flatMap { Array(repeating: $0, count: length) }, shape: weight.shape))
        for case let parameter? in parameters {
            try parameter.setMask(Tensor(rowMask, shape: [rows]))
        }
    }

    static func maximumDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? .infinity
    }

    @Test func channelsGoWithTheirBatchNormAndTheNextLayersInputs() throws {
        let (model, x) = try Self.cnn()
        let smaller = try pruneUnits(model, fraction: 0.5, by: .l1)
        let convs = smaller.layers.compactMap { $0 as? Conv2D }
        #expect(convs.map(\.weight.shape) == [[4, 1, 3, 3], [3, 4, 3, 3]])
        #expect((try smaller[1] as? BatchNorm)?.featureCount == 4)
        #expect((try smaller[6] as? Dense)?.weight.shape == [5, 12])
        #expect(
            smaller.parameterCount
                == (4 * 9 + 4) + 2 * 4 + (3 * 4 * 9 + 3) + (5 * 12 + 5))
        #expect(!smaller.isTraining)

        let original = try model(x)
        let first = try #require(try model[0] as? Conv2D)
        let norm = try #require(try model[1] as? BatchNorm)
        let second = try #require(try model[4] as? Conv2D)
        let keptFirst = Self.strongestRows(of: first.weight, count: 4)
        try Self.mask([first.bias, norm.weight, norm.bias], of: first.weight, keeping: keptFirst)
        try Self.mask(
            [second.bias], of: second.weight,
            keeping: Self.strongestRows(of: second.weight, count: 3))
        let masked = try model(x)
        #expect(Self.maximumDifference(masked, original) > 1e-3)  // the masks matter
        #expect(Self.maximumDifference(try smaller(x), masked) < 1e-5)
    }

    @Test func aGlobalAveragePoolFeedsOneInputPerChannel() throws {
        let model = try Sequential {
            try Conv2D(2, 6, kernelSize: 3, activation: .relu, seed: 4)
            GlobalAvgPool()
            try Dense(6, 3, seed: 5)
        }
        var generator = RandomGenerator(seed: 9)
        let x = try Tensor.normal([3, 2, 5, 5], using: &generator)
        let smaller = try pruneUnits(model, fraction: 0.5)
        #expect((try smaller[2] as? Dense)?.weight.shape == [3, 3])
        let conv = try #require(try model[0] as? Conv2D)
        try Self.mask(
            [conv.bias], of: conv.weight, keeping: Self.strongestRows(of: conv.weight, count: 3))
        #expect(Self.maximumDifference(try smaller(x), try model(x)) < 1e-5)
    }

    @Test func aChannelThatWouldOutputAConstantIsRefused() throws {
        let model = try Sequential {
            try Conv2D(1, 4, kernelSize: 3, activation: .sigmoid, seed: 4)
            Flatten()
            try Dense(4 * 9, 2, seed: 5)
        }
        #expect(throws: CompressError.self) { try pruneUnits(model, fraction: 0.5) }
    }
}
