import Data
import NN
import Tensor
import Testing

@testable import Compress

/// Pruned weights stay exactly zero through training with every optimizer — `fit` and a
/// hand-written loop — even when the optimizer's momentum or moment estimates were built up
/// before pruning, so the state alone would move them.
@Suite struct MaskSurvivalTests {
    static let optimizerNames = [
        "SGD+momentum", "SGD+nesterov", "Adam", "Adam+amsgrad", "AdamW", "RMSProp", "Adagrad",
        "Adadelta", "Lion",
    ]

    /// Each optimizer with momentum or moment state, and weight decay where it has one.
    static func makeOptimizer(_ name: String) throws -> any Optimizer {
        switch name {
        case "SGD+momentum": return try SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3)
        case "SGD+nesterov": return try SGD(learningRate: 0.05, momentum: 0.9, nesterov: true)
        case "Adam": return try Adam(learningRate: 0.01, weightDecay: 1e-3)
        case "Adam+amsgrad": return try Adam(learningRate: 0.01, amsgrad: true)
        case "AdamW": return try AdamW(learningRate: 0.01, weightDecay: 0.1)
        case "RMSProp": return try RMSProp(learningRate: 0.01, momentum: 0.9, centered: true)
        case "Adagrad": return try Adagrad(learningRate: 0.05, weightDecay: 1e-3)
        case "Adadelta": return try Adadelta(learningRate: 1, weightDecay: 1e-3)
        default: return try Lion(learningRate: 1e-3, weightDecay: 0.1)
        }
    }

    @Test(arguments: optimizerNames)
    func masksSurviveFitWithEveryOptimizer(name: String) throws {
        let data = try CompressFixtures.blobs()
        let model = try CompressFixtures.mlp()
        let optimizer = try Self.makeOptimizer(name)
        try model.fit(
            data, epochs: 2, batchSize: 16, optimizer: optimizer,
            generator: RandomGenerator(seed: 5))
        try prune(model, sparsity: 0.7, scope: .global)
        let masks = model.prunableWeights.map { CompressFixtures.mask(of: $0.parameter) }
        let pruned = model.prunableWeights.map(\.parameter.value.scalars)
        try model.fit(
            data, epochs: 3, batchSize: 16, optimizer: optimizer,
            generator: RandomGenerator(seed: 6))
        var changed = 0
        for ((_, weight), (mask, old)) in zip(model.prunableWeights, zip(masks, pruned)) {
            for (index, keep) in mask.enumerated() {
                if keep == 0 {
                    #expect(weight.value.scalars[index] == 0, "\(name) revived a pruned weight")
                } else if weight.value.scalars[index] != old[index] {
                    changed += 1
                }
            }
        }
        #expect(changed > 0, "\(name) did not train the kept weights")
        #expect(Swift.abs(model.sparsity - 0.7) < 0.01)
    }

    @Test func masksSurviveAHandWrittenLoop() throws {
        let data = try CompressFixtures.blobs()
        let model = try CompressFixtures.mlp()
        let optimizer = try SGD(learningRate: 0.05, momentum: 0.9)
        let batch = try data.batch(Array(0..<data.count))
        let (x, y) = (batch.x, batch.y)
        func step() throws {
            let (_, grads) = try valueWithGradient(of: model) { m in
                try softmaxCrossEntropy(m(x), y)
            }
            try optimizer.update(model, along: grads)
        }
        for _ in 0..<5 { try step() }
        try prune(model, sparsity: 0.6, scope: .layer)
        let masks = model.prunableWeights.map { CompressFixtures.mask(of: $0.parameter) }
        for _ in 0..<5 { try step() }
        for ((_, weight), mask) in zip(model.prunableWeights, masks) {
            for (index, keep) in mask.enumerated() where keep == 0 {
                #expect(weight.value.scalars[index] == 0)
            }
        }
    }

    /// After pruning, the optimizer forgets what it remembered for the pruned entries: every
    /// state tensor (momentum, first and second moments, accumulators) is zero there after the
    /// next step, for every optimizer, and stays zero.
    @Test(arguments: optimizerNames)
    func optimizerStateIsClearedAtPrunedEntries(name: String) throws {
        let data = try CompressFixtures.blobs()
        let model = try CompressFixtures.mlp()
        let optimizer = try Self.makeOptimizer(name)
        try model.fit(
            data, epochs: 2, batchSize: 16, optimizer: optimizer,
            generator: RandomGenerator(seed: 5))
        try prune(model, sparsity: 0.7, scope: .global)
        let masks = Dictionary(
            uniqueKeysWithValues: model.prunableWeights.map {
                ($0.name, CompressFixtures.mask(of: $0.parameter))
            })
        let batch = try data.batch(Array(0..<data.count))
        for _ in 0..<2 {
            let (_, grads) = try valueWithGradient(of: model) { m in
                try softmaxCrossEntropy(m(batch.x), batch.y)
            }
            try optimizer.update(model, along: grads)
            var checked = 0
            for (key, tensor) in try optimizer.stateDict(for: model) {
                guard let weight = masks.keys.first(where: { key.hasPrefix($0 + ".") }),
                    let mask = masks[weight], tensor.elementCount == mask.count
                else { continue }
                for (value, keep) in zip(tensor.scalars, mask) where keep == 0 {
                    #expect(value == 0, "\(name): \(key) keeps state at a pruned entry")
                }
                checked += 1
            }
            #expect(checked >= 2, "\(name) has no per-entry state to check")
        }
    }
}
