import Data
import NN
import Tensor
import Testing

@testable import Compress

/// Unstructured magnitude pruning: which entries go, per layer and globally; masks only grow.
@Suite struct MagnitudePruningTests {
    @Test func layerScopePrunesEachWeightToTheSparsityBySmallestMagnitude() throws {
        let model = try CompressFixtures.mlp()
        let before = model.prunableWeights.map(\.parameter.value.scalars)
        try prune(model, sparsity: 0.75, scope: .layer)
        for ((name, weight), values) in zip(model.prunableWeights, before) {
            let mask = CompressFixtures.mask(of: weight)
            let pruned = mask.filter { $0 == 0 }.count
            #expect(pruned == Int((0.75 * Double(weight.elementCount)).rounded()), "\(name)")
            let split = CompressFixtures.magnitudes(values, mask: mask)
            #expect(try #require(split.pruned.max()) <= (try #require(split.kept.min())))
            // Pruned entries are zero now; kept ones unchanged.
            for (index, keep) in mask.enumerated() {
                #expect(weight.value.scalars[index] == (keep == 0 ? 0 : values[index]))
            }
        }
        #expect(Swift.abs(model.sparsity - 0.75) < 0.01)
        #expect(model.weightSparsities.map(\.name) == ["0.weight", "1.weight", "2.weight"])
        // Biases are not pruned.
        #expect(
            model.namedParameters().filter { $0.name.hasSuffix("bias") }.allSatisfy {
                $0.parameter.mask == nil
            })
    }

    @Test func globalScopeUsesOneThresholdAcrossAllWeights() throws {
        let model = try CompressFixtures.mlp()
        // Scale the first layer up so that a global threshold spares it and a per-layer one
        // would not.
        let first = model.prunableWeights[0].parameter
        try first.assign(first.value * 10)
        let before = model.prunableWeights.flatMap(\.parameter.value.scalars)
        try prune(model, sparsity: 0.5, scope: .global)
        let masks = model.prunableWeights.flatMap { CompressFixtures.mask(of: $0.parameter) }
        let split = CompressFixtures.magnitudes(before, mask: masks)
        let total = model.prunableWeights.reduce(0) { $0 + $1.parameter.elementCount }
        #expect(split.pruned.count == total / 2)
        #expect(try #require(split.pruned.max()) <= (try #require(split.kept.min())))
        let sparsities = model.weightSparsities.map(\.sparsity)
        #expect(sparsities[0] < 0.5 && sparsities[1] > 0.5)
        #expect(Swift.abs(model.sparsity - 0.5) < 1e-6)
    }

    @Test func masksOnlyGrowAndALowerTargetKeepsThem() throws {
        let model = try CompressFixtures.mlp()
        try prune(model, sparsity: 0.5, scope: .global)
        let half = model.prunableWeights.map { CompressFixtures.mask(of: $0.parameter) }
        try prune(model, sparsity: 0.2, scope: .global)
        #expect(model.prunableWeights.map { CompressFixtures.mask(of: $0.parameter) } == half)
        try prune(model, sparsity: 0.8, scope: .layer)
        let more = model.prunableWeights.map { CompressFixtures.mask(of: $0.parameter) }
        for (old, new) in zip(half, more) {
            #expect(zip(old, new).allSatisfy { $0 != 0 || $1 == 0 })
        }
        #expect(model.sparsity >= 0.8 - 1e-6)
    }

    @Test func nonZeroCountDropsWithPruning() throws {
        let model = try CompressFixtures.mlp()
        let dense = model.nonZeroParameterCount
        #expect(dense == model.parameterCount)
        try prune(model, sparsity: 1, scope: .layer)
        let biases = model.namedParameters().filter { $0.name.hasSuffix("bias") }
        #expect(model.nonZeroParameterCount == biases.reduce(0) { $0 + $1.parameter.elementCount })
    }

    @Test func badArgumentsAreErrors() throws {
        let model = try CompressFixtures.mlp()
        #expect(throws: CompressError.self) { try prune(model, sparsity: 1.5) }
        #expect(throws: CompressError.self) { try prune(model, sparsity: -0.1) }
        #expect(throws: CompressError.self) { try prune(model, sparsity: .nan) }
        #expect(throws: CompressError.self) { try prune(Sequential([ReLU()]), sparsity: 0.5) }
    }
}
