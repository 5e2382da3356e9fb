import Data
import Testing

@testable import NN
@testable import Tensor

/// `fit`, `evaluate` and `predict` on small synthetic problems: learning, the History, the
/// progress events, interrupts and failures.
@Suite struct TrainingFitTests {
    @Test func fitLearnsSeparableBlobs() throws {
        let data = try TrainingFixtures.blobs()
        let model = try TrainingFixtures.mlp()
        let before = try model.evaluate(data)
        let history = try model.fit(
            data, epochs: 30, batchSize: 16, optimizer: try Adam(learningRate: 0.02),
            generator: RandomGenerator(seed: 7))
        let after = try model.evaluate(data)
        #expect(history.count == 30)
        #expect(history.outcome == .completed)
        #expect(try #require(after["accuracy"]) > 0.95)
        #expect(try #require(after["loss"]) < 0.5 * (try #require(before["loss"])))
    }

    @Test func fitLearnsSpiralsThatNeedTheHiddenLayer() throws {
        let data = try TrainingFixtures.spirals()
        let model = try Sequential {
            try Dense(2, 64, activation: .relu, seed: 11)
            try Dense(64, 64, activation: .relu, seed: 12)
            try Dense(64, 2, seed: 13)
        }
        try model.fit(
            data, epochs: 150, batchSize: 32, optimizer: try Adam(learningRate: 0.01),
            generator: RandomGenerator(seed: 3))
        #expect(try #require(try model.evaluate(data)["accuracy"]) > 0.95)
    }

    @Test func fitRegressesANoisyLineWithMeanSquaredError() throws {
        var generator = RandomGenerator(seed: 3)
        let data = try Synthetic.line(
            count: 200, slope: 2, intercept: 0.5, noise: 0.05, using: &generator)
        let layer = try Dense(1, 1, seed: 4)
        let history = try layer.fit(
            data, epochs: 40, batchSize: 20, optimizer: try SGD(learningRate: 0.1),
            loss: .meanSquaredError, metrics: [.meanAbsoluteError],
            generator: RandomGenerator(seed: 5))
        #expect(history.metricNames == ["loss", "mae"])
        expectClose(layer.weight.value.scalars, [2], tolerance: 0.02)
        expectClose(try #require(layer.bias).value.scalars, [0.5], tolerance: 0.02)
        let measured = try layer.evaluate(
            data, loss: .meanSquaredError, metrics: [.meanAbsoluteError])
        #expect(try #require(measured["mae"]) < 0.06)
        #expect(throws: NNError.self) {
            try layer.fit(data, optimizer: try SGD(learningRate: 0.1), metrics: [.accuracy])
        }
    }

    @Test func historyHoldsOneRecordPerEpochWithTrainingAndValidationMetrics() throws {
        let data = try TrainingFixtures.blobs(perClass: 40)
        let validation = try TrainingFixtures.blobs(perClass: 10, seed: 9)
        let model = try TrainingFixtures.mlp()
        let history = try model.fit(
            data, epochs: 4, batchSize: 32, optimizer: try SGD(learningRate: 0.1),
            validation: validation, metrics: [.accuracy, .topKAccuracy(2)],
            generator: RandomGenerator(seed: 1))
        #expect(
            history.metricNames == [
                "loss", "accuracy", "top_2_accuracy", "val_loss", "val_accuracy",
                "val_top_2_accuracy",
            ])
        #expect(history.epochs.map(\.epoch) == [0, 1, 2, 3])
        #expect(history.lossName == "softmaxCrossEntropy")
        // 120 examples in batches of 32: 4 batches per epoch, one loss each.
        #expect(history.batchLosses.count == 16)
        #expect(history.epochs.allSatisfy { $0.sampleCount == 120 && $0.trainingSeconds > 0 })
        #expect(history.learningRates == [0.1, 0.1, 0.1, 0.1])
        // The last validation values are what evaluate measures on the final model.
        let measured = try model.evaluate(validation, metrics: [.accuracy, .topKAccuracy(2)])
        let last = try #require(history.epochs.last)
        #expect(Swift.abs((last.metrics["val_loss"] ?? 0) - (measured["loss"] ?? 1)) < 1e-5)
        #expect(last.metrics["val_accuracy"] == measured["accuracy"])
        // The epoch's training loss is the example-weighted mean of its batch losses
        // (batches of 32, 32, 32 and 24).
        let epochLosses = history.batchLosses.suffix(4)
        let weighted = zip(epochLosses, [32.0, 32, 32, 24]).map(*).reduce(0, +) / 120
        #expect(Swift.abs((last.metrics["loss"] ?? 0) - weighted) < 1e-6)
        #expect(history.best("val_loss") != nil)
        #expect(history.description.contains("val_accuracy"))
    }

    @Test func validationSplitHoldsOutAStratifiedFraction() throws {
        let data = try TrainingFixtures.blobs(perClass: 50)
        let observer = RecordingObserver()
        try TrainingFixtures.mlp().fit(
            data, epochs: 1, batchSize: 10, optimizer: try SGD(learningRate: 0.1),
            validationSplit: 0.2, generator: RandomGenerator(seed: 4), observer: observer)
        guard case .began(let plan) = try #require(observer.events.first) else {
            Issue.record("the first event is not .began")
            return
        }
        #expect(plan.samplesPerEpoch == 120)
        #expect(plan.validationSamples == 30)
        #expect(plan.batchesPerEpoch == 12)
        #expect(observer.epochEnds.first?.metrics["val_loss"] != nil)
    }

    @Test func observerAndCallbacksSeeEveryBoundaryInOrder() throws {
        let data = try TrainingFixtures.blobs(perClass: 4, classes: 2)  // 8 examples
        let observer = RecordingObserver()
        let callback = RecordingCallback()
        try TrainingFixtures.mlp(classes: 2).fit(
            data, epochs: 2, batchSize: 5, optimizer: try SGD(learningRate: 0.1),
            callbacks: [callback], generator: RandomGenerator(seed: 1), observer: observer)
        #expect(
            callback.calls == [
                "trainBegin",
                "epochBegin 0", "batchBegin 0.0", "batchEnd 0.0", "batchBegin 0.1", "batchEnd 0.1",
                "epochEnd 0",
                "epochBegin 1", "batchBegin 1.0", "batchEnd 1.0", "batchBegin 1.1", "batchEnd 1.1",
                "epochEnd 1",
                "trainEnd",
            ])
        #expect(callback.outcomeAtEnd == .completed)
        #expect(observer.batchEnds.map(\.samplesSeen) == [5, 8, 5, 8])
        #expect(observer.batchEnds.allSatisfy { $0.batchCount == 2 && $0.samplesPerSecond > 0 })
        #expect(observer.epochEnds.count == 2)
        guard case .ended(let outcome) = try #require(observer.events.last) else {
            Issue.record("the last event is not .ended")
            return
        }
        #expect(outcome == .completed)
    }

    @Test func sameSeedSameRunDifferentSeedDifferentShuffle() throws {
        let data = try TrainingFixtures.blobs(perClass: 20)
        func run(seed: UInt64) throws -> [String: [Float]] {
            let model = try TrainingFixtures.mlp()
            try model.fit(
                data, epochs: 2, batchSize: 8, optimizer: try SGD(learningRate: 0.05),
                generator: RandomGenerator(seed: seed))
            return TrainingFixtures.weights(of: model)
        }
        #expect(try run(seed: 5) == (try run(seed: 5)))
        #expect(try run(seed: 5) != (try run(seed: 6)))
    }

    @Test func predictGivesTheModelsOutputsInOrderForDataAndTensors() throws {
        let data = try TrainingFixtures.blobs(perClass: 7)  // 21 examples
        let model = try TrainingFixtures.mlp()
        let fromData = try model.predict(data, batchSize: 4)
        let x = try data.batch(Array(0..<21)).x
        let whole = try withoutGradient { try model(x) }
        #expect(fromData.shape == [21, 3])
        expectClose(fromData.scalars, whole.scalars)
        expectClose(try model.predict(x, batchSize: 5).scalars, whole.scalars)
        #expect(!(try model.predict(x)).requiresGradient)
    }

    @Test func evaluateRunsInEvaluationModeAndRestoresTheFlags() throws {
        let data = try TrainingFixtures.blobs(perClass: 10)
        let model = try Sequential {
            try Dense(2, 8, activation: .relu, seed: 1)
            try Dropout(0.5, seed: 2)
            try Dense(8, 3, seed: 3)
        }
        // With dropout active two passes would differ; evaluate must see the same model twice.
        let first = try model.evaluate(data)
        let second = try model.evaluate(data)
        #expect(first == second)
        #expect(model.namedLayers().allSatisfy { $0.layer.isTraining })
        let byTensor = try model.evaluate(
            x: data.batch(Array(0..<30)).x, y: data.batch(Array(0..<30)).y)
        #expect(Swift.abs((byTensor["loss"] ?? 0) - (first["loss"] ?? 1)) < 1e-6)
    }

    @Test func interruptBetweenBatchesKeepsTheUpdatesAndTheHistory() throws {
        let data = try TrainingFixtures.blobs(perClass: 10)  // 30 examples: 3 batches of 10
        let model = try TrainingFixtures.mlp()
        let initial = TrainingFixtures.weights(of: model)
        let history = History()
        let callback = RecordingCallback()
        let interrupt = InterruptAfter(calls: 5)  // epoch 0: 3 checks; epoch 1: 2 checks
        #expect(throws: TestInterrupt.self) {
            try model.fit(
                data, epochs: 5, batchSize: 10, optimizer: try SGD(learningRate: 0.1),
                callbacks: [callback], generator: RandomGenerator(seed: 2), history: history,
                checkInterrupt: interrupt.check)
        }
        #expect(history.count == 1)
        #expect(history.batchLosses.count == 5)
        #expect(history.outcome == .interrupted(epoch: 1, batch: 2))
        #expect(callback.outcomeAtEnd == .interrupted(epoch: 1, batch: 2))
        #expect(callback.calls.last == "trainEnd")
        #expect(TrainingFixtures.weights(of: model) != initial)
        // The model is still usable and trains on.
        try model.fit(data, epochs: 1, batchSize: 10, optimizer: try SGD(learningRate: 0.1))
    }

    @Test func aShapeMismatchNamesTheEpochBatchAndLayerAndLeavesTheModelUsable() throws {
        let data = try TrainingFixtures.blobs(perClass: 10)
        let model = try Sequential {
            try Dense(2, 8, activation: .relu, seed: 1)
            try Dense(4, 3, seed: 2)  // does not fit the 8 outputs before it
        }
        let history = History()
        do {
            try model.fit(
                data, epochs: 2, batchSize: 10, optimizer: try SGD(learningRate: 0.1),
                history: history)
            Issue.record("fit should have failed")
        } catch let error as NNError {
            let text = "\(error)"
            #expect(text.contains("epoch 1, batch 1 of 3"))
            #expect(text.contains("layer 1: Dense(4 → 3)"))
        }
        #expect(history.outcome.description.hasPrefix("failed in epoch 1"))
        #expect(!model.namedParameters().contains { $0.parameter.value.requiresGradient })
        try model.replace(at: 1, with: Dense(8, 3, seed: 2))
        try model.fit(data, epochs: 1, batchSize: 10, optimizer: try SGD(learningRate: 0.1))
    }

    @Test func invalidArgumentsAreRefusedBeforeTraining() throws {
        let data = try TrainingFixtures.blobs(perClass: 5)
        let model = try TrainingFixtures.mlp()
        let opt = try SGD(learningRate: 0.1)
        #expect(throws: NNError.self) { try model.fit(data, batchSize: 0, optimizer: opt) }
        #expect(throws: NNError.self) { try model.fit(data, epochs: -1, optimizer: opt) }
        #expect(throws: NNError.self) {
            try model.fit(data, optimizer: opt, validation: data, validationSplit: 0.2)
        }
        #expect(throws: NNError.self) { try model.fit(data, optimizer: opt, validationSplit: 1) }
        #expect(throws: NNError.self) {
            try model.fit(data, optimizer: opt, gradientAccumulation: 0)
        }
        #expect(throws: NNError.self) {
            try model.fit(data, optimizer: opt, metrics: [.topKAccuracy(0)])
        }
        #expect(opt.stepCount == 0)
    }
}
