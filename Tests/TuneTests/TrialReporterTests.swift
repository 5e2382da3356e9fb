import Data
import NN
import Tensor
import Testing

@testable import Tune

/// `trial.reporting(metric)` inside a real `fit`: each epoch reported, training stopped at the
/// end of the epoch the pruner picks, the trial marked pruned, the budget counted in epochs.
@Suite struct TrialReporterTests {
    @Test func fitReportsEpochsAndStopsPrunedTrials() throws {
        var generator = RandomGenerator(seed: 1)
        let data = try Synthetic.blobs(centers: 3, pointsPerCenter: 20, using: &generator)
        let study = Study(
            direction: .maximize, sampler: .grid(["rate": [0.1, 1e-4, 1e-5, 0.05]]),
            pruner: .successiveHalving(minResource: 1, reductionFactor: 2))
        var stoppedEpochs: [Int] = []
        try study.optimize(trials: 4, catch: false) { trial in
            let rate = try trial.logUniform("rate", 1e-5...1)
            let model = try Sequential {
                try Dense(2, 8, activation: .relu, seed: 3)
                try Dense(8, 3, seed: 4)
            }
            let reporter = trial.reporting("accuracy")
            let history = try model.fit(
                data, epochs: 4, batchSize: 20, optimizer: SGD(learningRate: Float(rate)),
                callbacks: [reporter])
            stoppedEpochs.append(history.count)
            trial.keep(model)
            return history["accuracy"].last ?? 0
        }
        let states = study.trials.map(\.state)
        #expect(states[0] == .complete)
        #expect(states.contains(.pruned))
        for record in study.trials {
            #expect(record.steps == Array(1...record.stepCount))
            #expect(record.stepCount == stoppedEpochs[record.number])
        }
        #expect(study.budgetUsed.used < study.budgetUsed.withoutPruning)
        #expect(try study.best.model is Sequential)
        // A metric fit does not have is a clear error.
        let strict = Study(direction: .maximize)
        #expect(throws: (any Error).self) {
            try strict.optimize(trials: 1, catch: false) { trial in
                let model = try Sequential { try Dense(2, 3, seed: 1) }
                let history = try model.fit(
                    data, epochs: 1, optimizer: SGD(learningRate: 0.1),
                    callbacks: [trial.reporting("val_accuracy")])
                return history["accuracy"].last ?? 0
            }
        }
    }
}
