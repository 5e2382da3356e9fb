import Data
import Foundation
import Testing

@testable import NN
@testable import Tensor

/// The LR range test on a toy problem: a sane suggestion, a diverging tail, and the model and
/// optimizer put back exactly.
@Suite struct TrainingLearningRateFinderTests {
    @Test func suggestsAWorkingRateAndRestoresModelAndOptimizer() throws {
        let data = try TrainingFixtures.blobs(perClass: 100)
        let model = try TrainingFixtures.mlp()
        let opt = try SGD(learningRate: 0.01, momentum: 0.9)
        // Some state first, so restoring it is tested (momentum buffers, step count).
        try model.fit(data.prefix(32), epochs: 1, batchSize: 16, optimizer: opt)
        let weightsBefore = TrainingFixtures.weights(of: model)
        let stateBefore = try opt.stateDict(for: model).mapValues(\.scalars)
        let stepsBefore = opt.stepCount

        let sweep = try model.findLearningRate(
            data, optimizer: opt, batchSize: 16, minimum: 1e-5, maximum: 100, steps: 120,
            generator: RandomGenerator(seed: 5))

        #expect(TrainingFixtures.weights(of: model) == weightsBefore)
        #expect(try opt.stateDict(for: model).mapValues(\.scalars) == stateBefore)
        #expect(opt.stepCount == stepsBefore)
        #expect(opt.learningRate == 0.01)
        // The curve: exponential rates from the minimum, cut short when the loss blew up.
        #expect(sweep.diverged)
        #expect(sweep.learningRates.count < 120)
        #expect(sweep.losses.count == sweep.learningRates.count)
        #expect(sweep.smoothedLosses.count == sweep.learningRates.count)
        #expect(sweep.learningRates.first == 1e-5)
        let ratio = Double(sweep.learningRates[1] / sweep.learningRates[0])
        #expect(Swift.abs(ratio - Foundation.pow(1e7, 1.0 / 119)) < 1e-4)
        // A sane suggestion: inside the sweep, well below where it diverged.
        let suggestion = try #require(sweep.suggestion)
        let minimumOverTen = try #require(sweep.minimumOverTen)
        #expect(suggestion > 1e-4 && suggestion < 3)
        #expect(minimumOverTen > 1e-4 && minimumOverTen < 3)
        #expect(suggestion < (sweep.learningRates.last ?? 0))

        // And it trains: a fresh model at the suggested rate learns the blobs.
        let fresh = try TrainingFixtures.mlp()
        try fresh.fit(
            data, epochs: 5, batchSize: 16,
            optimizer: try SGD(learningRate: suggestion, momentum: 0.9),
            generator: RandomGenerator(seed: 6))
        #expect(try #require(try fresh.evaluate(data)["accuracy"]) > 0.9)
    }

    @Test func anInterruptedSweepStillRestores() throws {
        let data = try TrainingFixtures.blobs(perClass: 20)
        let model = try TrainingFixtures.mlp()
        let opt = try Adam(learningRate: 0.003)
        let before = TrainingFixtures.weights(of: model)
        let interrupt = InterruptAfter(calls: 7)
        #expect(throws: TestInterrupt.self) {
            _ = try model.findLearningRate(
                data, optimizer: opt, batchSize: 8, steps: 50, checkInterrupt: interrupt.check)
        }
        #expect(TrainingFixtures.weights(of: model) == before)
        #expect(opt.stepCount == 0)
        #expect(try opt.stateDict(for: model).count == 1)  // only the step count: no moments
        #expect(opt.learningRate == 0.003)
    }

    @Test func cyclesThroughSmallDataAndRefusesBadArguments() throws {
        let data = try TrainingFixtures.blobs(perClass: 4)  // 12 examples: 3 batches of 4
        let model = try TrainingFixtures.mlp()
        let opt = try SGD(learningRate: 0.1)
        let sweep = try model.findLearningRate(
            data, optimizer: opt, batchSize: 4, minimum: 1e-4, maximum: 1e-2, steps: 10)
        #expect(sweep.learningRates.count == 10)
        #expect(!sweep.diverged)
        #expect(throws: NNError.self) {
            try model.findLearningRate(data, optimizer: opt, minimum: 1, maximum: 0.1)
        }
        #expect(throws: NNError.self) { try model.findLearningRate(data, optimizer: opt, steps: 1) }
        #expect(throws: NNError.self) {
            try model.findLearningRate(data, optimizer: opt, smoothing: 1)
        }
    }
}
