import Data
import Foundation
import NN
import Tensor
import Testing

@testable import Compress

/// The cubic schedule of Zhu & Gupta (2017): its values, and the sparsity `fit` reaches.
@Suite struct PruningScheduleTests {
    @Test func valuesFollowTheCubicFormulaAtTheUpdateSteps() throws {
        let schedule = try PruningSchedule(target: 0.9, start: 1, end: 6, frequency: 100)
        // 50 batches an epoch: t₀ = 50, t₁ = 300; updates at 50, 150, 250 and 300.
        func at(_ step: Int) -> Double { schedule.sparsity(afterStep: step, batchesPerEpoch: 50) }
        #expect(at(0) == 0)
        #expect(at(49) == 0)
        #expect(at(50) == 0)
        #expect(at(149) == 0)
        // 0.9 + (0 − 0.9)·(1 − 100/250)³ = 0.9·(1 − 0.216)
        #expect(Swift.abs(at(150) - 0.7056) < 1e-12)
        #expect(Swift.abs(at(249) - 0.7056) < 1e-12)
        #expect(Swift.abs(at(250) - 0.9 * (1 - 0.008)) < 1e-12)
        #expect(at(300) == 0.9)
        #expect(at(10_000) == 0.9)
        #expect(schedule.isUpdate(afterStep: 300, batchesPerEpoch: 50))
        #expect(!schedule.isUpdate(afterStep: 299, batchesPerEpoch: 50))
    }

    @Test func everyStepMatchesTheFormulaWithFrequencyOne() throws {
        let schedule = try PruningSchedule(
            target: 0.8, initial: 0.2, start: 2, end: 5, frequency: 1)
        let (first, last) = (2 * 7, 5 * 7)
        for step in first...last {
            let progress = Double(step - first) / Double(last - first)
            let expected = 0.8 + (0.2 - 0.8) * pow(1 - progress, 3)
            let value = schedule.sparsity(afterStep: step, batchesPerEpoch: 7)
            #expect(Swift.abs(value - expected) < 1e-12, "step \(step)")
        }
    }

    @Test func fitReachesTheTargetAlongTheSchedule() throws {
        let data = try CompressFixtures.blobs()  // 120 examples: 8 batches of 16
        let model = try CompressFixtures.mlp()
        let schedule = try PruningSchedule(target: 0.8, start: 1, end: 4, frequency: 5)
        let recorder = SparsityRecorder()
        try model.fit(
            data, epochs: 5, batchSize: 16, optimizer: try Adam(learningRate: 0.01),
            callbacks: [schedule, recorder], generator: RandomGenerator(seed: 9))
        #expect(recorder.sparsities.count == 5)
        for (epoch, reached) in recorder.sparsities.enumerated() {
            let expected = schedule.sparsity(afterStep: (epoch + 1) * 8, batchesPerEpoch: 8)
            #expect(Swift.abs(Double(reached) - expected) < 0.02, "after epoch \(epoch)")
        }
        #expect(recorder.sparsities[0] == 0)
        #expect(recorder.sparsities[1] > 0 && recorder.sparsities[1] < recorder.sparsities[2])
        #expect(Swift.abs(model.sparsity - 0.8) < 0.01)
        for (_, sparsity) in model.weightSparsities { #expect(Swift.abs(sparsity - 0.8) < 0.02) }
    }

    @Test func badSchedulesAreErrors() throws {
        #expect(throws: CompressError.self) { try PruningSchedule(target: 1.2, end: 3) }
        #expect(throws: CompressError.self) { try PruningSchedule(target: 0.5, start: 3, end: 3) }
        #expect(throws: CompressError.self) {
            try PruningSchedule(target: 0.5, initial: 0.6, end: 3)
        }
        #expect(throws: CompressError.self) {
            try PruningSchedule(target: 0.5, end: 3, frequency: 0)
        }
    }
}

/// Records the model's sparsity at the end of every epoch.
final class SparsityRecorder: Callback {
    var sparsities: [Float] = []

    func onEpochEnd(_ context: TrainingContext) throws {
        sparsities.append(context.model.sparsity)
    }
}
