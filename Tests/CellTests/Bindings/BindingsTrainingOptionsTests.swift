import Foundation
import Testing

@testable import Cell

/// The options of `fit` in cells: early stopping, schedules, checkpoints and resuming, and the
/// LR finder.
@Suite struct BindingsTrainingOptionsTests {
    private func harness() -> CellHarness {
        let harness = CellHarness()
        harness.run(
            """
            seed(11)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 40, standardDeviation: 0.6)
            let (train, valid) = data.split(validationFraction: 0.25)
            func makeModel() { Sequential { Dense(2, 16, activation: relu); Dense(16, 3) } }
            """)
        return harness
    }

    @Test func earlyStoppingStopsAndRestoresTheBestEpoch() {
        let harness = harness()
        harness.run(
            """
            let model = makeModel()
            let stop = EarlyStopping(monitor: "val_loss", minDelta: 0.5, patience: 2,
                                     restoreBestWeights: true)
            let history = model.fit(train, epochs: 40, optimizer: Adam(learningRate: 0.05),
                                    validation: valid, callbacks: [stop], verbose: false)
            """)
        #expect(harness.run("history.epochs < 40").result == "true")
        #expect(harness.run("history.outcome.hasPrefix(\"stopped\")").result == "true")
        #expect(harness.run("stop.stoppedEpoch == history.epochs").result == "true")
        #expect(harness.run("stop.restoredEpoch == stop.bestEpoch").result == "true")
    }

    @Test func aScheduleSetsTheLearningRateOfEachEpoch() {
        let harness = harness()
        harness.run(
            """
            let model = makeModel()
            let history = model.fit(train, epochs: 3, optimizer: SGD(learningRate: 0.1),
                                    schedule: StepDecay(stepSize: 1, factor: 0.5), verbose: false)
            """)
        harness.run("let rates = history.learningRates")
        #expect(harness.run("rates.count").result == "3")
        #expect(harness.run("abs(rates[1] / rates[0] - 0.5) < 1e-6").result == "true")
        #expect(harness.run("abs(rates[2] / rates[1] - 0.5) < 1e-6").result == "true")
        harness.run("let cosine = CosineAnnealing(period: 2).learningRates(base: 1, epochs: 3)")
        #expect(
            harness.run("abs(cosine[0] - 1) < 1e-6 && abs(cosine[1] - 0.5) < 1e-6").result
                == "true")
    }

    @Test func aFitResumesFromItsLastCheckpoint() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bindings-checkpoints-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = harness()
        harness.run(
            """
            let model = makeModel()
            let opt = Adam(learningRate: 0.01)
            model.fit(train, epochs: 2, optimizer: opt, checkpoint: "\(directory)", verbose: false)
            let resumed = model.fit(train, epochs: 4, optimizer: opt, resume: "\(directory)",
                                    verbose: false)
            """)
        #expect(harness.run("resumed.epochs").result == "4")
        #expect(
            harness.run("TrainingCheckpoint(from: \"\(directory)\").epochsCompleted").result
                == "2")
        let error = try #require(harness.run("TrainingCheckpoint(from: \"/nonexistent\")").error)
        #expect(error.value.contains("/nonexistent"))
    }

    @Test func theLearningRateFinderSuggestsARateAndPutsTheModelBack() {
        let harness = harness()
        harness.run(
            """
            let model = makeModel()
            let probe = Tensor([[0.5, -0.5]])
            let before = model(probe)
            let sweep = model.findLearningRate(train, optimizer: SGD(learningRate: 0.1),
                                               batchSize: 16, minimum: 1e-5, maximum: 10, steps: 40)
            """)
        #expect(harness.run("sweep.learningRates.count == sweep.losses.count").result == "true")
        #expect(harness.run("sweep.suggestion! > 1e-5 && sweep.suggestion! < 10").result == "true")
        #expect(harness.run("model(probe).allClose(before)").result == "true")
    }
}
