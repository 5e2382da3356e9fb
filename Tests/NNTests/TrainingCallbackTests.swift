import Data
import Testing

@testable import NN
@testable import Tensor

/// Early stopping, schedules in the loop, gradient accumulation and callback control.
@Suite struct TrainingCallbackTests {
    /// Drives `callback` through epochs whose monitored "val_loss" takes `values`, marking the
    /// model's single weight with the epoch number so restored weights show which epoch they
    /// come from; returns the epochs run before a stop was requested.
    func drive(_ callback: EarlyStopping, values: [Double]) throws -> (
        epochsRun: Int, layer: ParameterLayer, context: TrainingContext
    ) {
        let layer = try ParameterLayer([0])
        let context = TrainingContext(
            model: layer, optimizer: try SGD(learningRate: 0.1), history: History(),
            epochs: values.count, batchesPerEpoch: 1)
        context.metricNames = ["loss", "val_loss"]
        try callback.onTrainBegin(context)
        var epochsRun = 0
        for (epoch, value) in values.enumerated() {
            try layer.value.assign(Tensor([Float(epoch)]))
            let record = EpochRecord(
                epoch: epoch, metrics: ["val_loss": value], metricNames: ["val_loss"],
                trainingSeconds: 0, validationSeconds: 0, learningRate: 0.1, sampleCount: 1)
            context.history.append(record)
            context.epoch = epoch
            context.lastEpoch = record
            try callback.onEpochEnd(context)
            epochsRun += 1
            if context.isStopRequested { break }
        }
        context.outcome =
            context.isStopRequested
            ? .stopped(epoch: epochsRun - 1, reason: context.stopReason ?? "") : .completed
        try callback.onTrainEnd(context)
        return (epochsRun, layer, context)
    }

    @Test func stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBest() throws {
        let stop = EarlyStopping(patience: 2, restoreBestWeights: true)
        let (epochsRun, layer, context) = try drive(stop, values: [1.0, 0.8, 0.85, 0.9, 0.5])
        #expect(epochsRun == 4)  // epochs 2 and 3 do not improve on 0.8
        #expect(stop.bestEpoch == 1)
        #expect(stop.bestValue == 0.8)
        #expect(stop.stoppedEpoch == 3)
        #expect(stop.restoredEpoch == 1)
        #expect(layer.value.value.scalars == [1])
        #expect(context.stopReason?.contains("val_loss did not improve for 2 epochs") == true)
    }

    @Test func minDeltaAndModeDecideWhatCountsAsImprovement() throws {
        // Improvements smaller than minDelta do not count: stops at epoch 1 with patience 1.
        let strict = EarlyStopping(minDelta: 0.1, patience: 1)
        #expect(try drive(strict, values: [1.0, 0.95, 0.5]).epochsRun == 2)
        // In max mode a falling value never improves.
        let rising = EarlyStopping(mode: .max, patience: 1)
        #expect(try drive(rising, values: [1.0, 0.9, 2.0]).epochsRun == 2)
        // Patience 0 also stops at the first epoch without improvement, as in Keras.
        let impatient = EarlyStopping(patience: 0)
        #expect(try drive(impatient, values: [1.0, 0.9, 0.95, 0.1]).epochsRun == 3)
    }

    @Test func noRestoreWhenTheLastEpochIsTheBest() throws {
        let stop = EarlyStopping(patience: 3, restoreBestWeights: true)
        let (epochsRun, layer, _) = try drive(stop, values: [1.0, 0.9, 0.8])
        #expect(epochsRun == 3)
        #expect(stop.restoredEpoch == nil)
        #expect(layer.value.value.scalars == [2])
    }

    @Test func corruptSavedStateIsIgnoredRatherThanTrapping() throws {
        let stop = EarlyStopping(patience: 2)
        try stop.restore(
            from: CallbackState(numbers: [
                "bestValue": 0.5, "bestEpoch": .nan, "stoppedEpoch": 1e300,
                "epochsWithoutImprovement": .infinity,
            ]),
            model: try ParameterLayer([0]))
        #expect(stop.bestValue == 0.5)
        #expect(stop.bestEpoch == nil)
        #expect(stop.stoppedEpoch == nil)
        #expect(stop.epochsWithoutImprovement == 0)
    }

    @Test func anUnknownMonitorIsRefusedBeforeTraining() throws {
        let data = try TrainingFixtures.blobs(perClass: 5)
        #expect(throws: NNError.self) {
            try TrainingFixtures.mlp().fit(
                data, optimizer: try SGD(learningRate: 0.1),
                callbacks: [EarlyStopping(monitor: "val_loss")])  // no validation data
        }
    }

    /// "loss" monitored in max mode never improves after epoch 0 (the loss falls), so the run
    /// stops after `patience` more epochs and must come back to the weights after epoch 0.
    @Test func fitStopsEarlyAndRestoresTheWeightsOfTheBestEpoch() throws {
        let data = try TrainingFixtures.blobs(perClass: 20)
        let reference = try TrainingFixtures.mlp()
        try reference.fit(
            data, epochs: 1, batchSize: 16, optimizer: try SGD(learningRate: 0.1),
            generator: RandomGenerator(seed: 8))
        let model = try TrainingFixtures.mlp()
        let stop = EarlyStopping(monitor: "loss", mode: .max, patience: 2, restoreBestWeights: true)
        let history = try model.fit(
            data, epochs: 10, batchSize: 16, optimizer: try SGD(learningRate: 0.1),
            callbacks: [stop], generator: RandomGenerator(seed: 8))
        #expect(history.count == 3)
        #expect(
            history.outcome
                == .stopped(epoch: 2, reason: "loss did not improve for 2 epochs, best epoch 1"))
        #expect(stop.restoredEpoch == 0)
        #expect(TrainingFixtures.weights(of: model) == TrainingFixtures.weights(of: reference))
    }

    @Test func anInterruptStillRestoresTheBestWeights() throws {
        let data = try TrainingFixtures.blobs(perClass: 20)  // 60 examples: 4 batches of 16
        let reference = try TrainingFixtures.mlp()
        try reference.fit(
            data, epochs: 1, batchSize: 16, optimizer: try SGD(learningRate: 0.1),
            generator: RandomGenerator(seed: 8))
        let model = try TrainingFixtures.mlp()
        let stop = EarlyStopping(
            monitor: "loss", mode: .max, patience: 50, restoreBestWeights: true)
        let interrupt = InterruptAfter(calls: 10)  // two epochs, then two batches of the third
        #expect(throws: TestInterrupt.self) {
            try model.fit(
                data, epochs: 10, batchSize: 16, optimizer: try SGD(learningRate: 0.1),
                callbacks: [stop], generator: RandomGenerator(seed: 8),
                checkInterrupt: interrupt.check)
        }
        #expect(stop.restoredEpoch == 0)
        #expect(TrainingFixtures.weights(of: model) == TrainingFixtures.weights(of: reference))
    }

    @Test func gradientAccumulationEqualsTheBiggerBatch() throws {
        let data = try TrainingFixtures.blobs(perClass: 32)  // 96 examples
        func train(batchSize: Int, accumulation: Int) throws -> [String: [Float]] {
            let model = try TrainingFixtures.mlp()
            let history = try model.fit(
                data, epochs: 2, batchSize: batchSize,
                optimizer: try SGD(learningRate: 0.2, momentum: 0.9),
                gradientAccumulation: accumulation, generator: RandomGenerator(seed: 4))
            #expect(history.count == 2)
            return TrainingFixtures.weights(of: model)
        }
        let big = try train(batchSize: 32, accumulation: 1)
        let accumulated = try train(batchSize: 8, accumulation: 4)
        let small = try train(batchSize: 8, accumulation: 1)
        for (name, values) in big {
            expectClose(try #require(accumulated[name]), values, tolerance: 1e-5)
        }
        #expect(small != big)
    }

    @Test func perEpochPerStepAndPlateauSchedulesSetTheLearningRate() throws {
        let data = try TrainingFixtures.blobs(perClass: 10)  // 30 examples: 3 batches of 10
        let model = try TrainingFixtures.mlp()
        let stepped = try model.fit(
            data, epochs: 3, batchSize: 10, optimizer: try SGD(learningRate: 0.1),
            schedule: StepDecay(stepSize: 1, factor: 0.5), generator: RandomGenerator(seed: 1))
        expectClose(stepped.learningRates, [0.1, 0.05, 0.025])

        final class RateRecorder: Callback {
            var rates: [Float] = []
            func onBatchEnd(_ context: TrainingContext) throws {
                rates.append(context.optimizer.learningRate)
            }
        }
        let recorder = RateRecorder()
        let cycle = OneCycle(epochs: 2, maximum: 0.5)
        try model.fit(
            data, epochs: 2, batchSize: 10, optimizer: try SGD(learningRate: 0.1),
            callbacks: [recorder], schedule: cycle, generator: RandomGenerator(seed: 1))
        expectClose(recorder.rates, cycle.learningRates(base: 0.1, epochs: 2, stepsPerEpoch: 3))

        // Accumulating 2 batches: 2 updates per epoch, and the schedule counts updates.
        let updates = RateRecorder()
        try model.fit(
            data, epochs: 2, batchSize: 10, optimizer: try SGD(learningRate: 0.1),
            callbacks: [updates], gradientAccumulation: 2, schedule: cycle,
            generator: RandomGenerator(seed: 1))
        let perUpdate = cycle.learningRates(base: 0.1, epochs: 2, stepsPerEpoch: 2)
        expectClose(
            updates.rates,
            [perUpdate[0], perUpdate[0], perUpdate[1], perUpdate[2], perUpdate[2], perUpdate[3]])

        // A falling loss watched in maximize mode plateaus at once: a cut after each epoch.
        let plateau = try model.fit(
            data, epochs: 3, batchSize: 10, optimizer: try SGD(learningRate: 0.1),
            schedule: ReduceOnPlateau(mode: .maximize, factor: 0.1, patience: 0),
            scheduleMonitor: "loss", generator: RandomGenerator(seed: 1))
        expectClose(plateau.learningRates, [0.1, 0.1, 0.01])
        #expect(throws: NNError.self) {
            try model.fit(
                data, optimizer: try SGD(learningRate: 0.1), schedule: ReduceOnPlateau(),
                scheduleMonitor: "val_accuracy")
        }
    }

    @Test func terminateOnNaNStopsAtTheFirstNonFiniteLoss() throws {
        let data = try TrainingFixtures.blobs(perClass: 10)
        let poisoned = Loss(name: "nan") { prediction, _ in try prediction.sum() * Float.nan }
        let history = History()
        do {
            try TrainingFixtures.mlp().fit(
                data, epochs: 3, batchSize: 10, optimizer: try SGD(learningRate: 0.1),
                loss: poisoned, metrics: [], callbacks: [TerminateOnNaN()], history: history)
            Issue.record("fit should have stopped")
        } catch let error as NNError {
            #expect("\(error)".contains("batch 1 in epoch 1"))
        }
        #expect(history.batchLosses.count == 1)
    }

    @Test func aCallbackCanStopTrainingAfterTheCurrentEpoch() throws {
        final class StopAfterTwo: Callback {
            func onEpochEnd(_ context: TrainingContext) throws {
                if context.epoch == 1 { context.requestStop(reason: "enough") }
            }
        }
        let data = try TrainingFixtures.blobs(perClass: 5)
        let history = try TrainingFixtures.mlp().fit(
            data, epochs: 9, optimizer: try SGD(learningRate: 0.1), callbacks: [StopAfterTwo()])
        #expect(history.count == 2)
        #expect(history.outcome == .stopped(epoch: 1, reason: "enough"))
    }
}
