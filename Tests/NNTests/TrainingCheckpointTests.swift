import Data
import Foundation
import Testing

@testable import NN
@testable import Tensor

/// Checkpoints after epochs and resuming from them: a resumed run must end exactly where an
/// uninterrupted run with the same seed ends.
@Suite struct TrainingCheckpointTests {
    /// A fresh temporary directory, removed by `cleanUp`.
    func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trainbook-checkpoint-\(UUID().uuidString)")
        return url.path
    }

    func cleanUp(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One configuration run three ways: straight through, interrupted after two epochs and
    /// resumed from the checkpoint into a differently initialised model.
    func train(
        _ model: Sequential, data: Dataset, epochs: Int = 4, directory: String? = nil,
        resume: TrainingCheckpoint? = nil, callbacks: [any Callback] = [],
        history: History = History(), checkInterrupt: (() throws -> Void)? = nil
    ) throws -> History {
        try model.fit(
            data, epochs: epochs, batchSize: 16, optimizer: try Adam(learningRate: 0.01),
            validationSplit: 0.25, callbacks: callbacks,
            schedule: ReduceOnPlateau(mode: .maximize, factor: 0.5, patience: 0),
            scheduleMonitor: "loss", checkpoint: directory.map { CheckpointPolicy(directory: $0) },
            resume: resume, generator: RandomGenerator(seed: resume == nil ? 21 : 99),
            history: history, checkInterrupt: checkInterrupt)
    }

    /// The History without its timings.
    func comparable(_ history: History) -> [[String: Double]] {
        history.epochs.map { record in
            record.metrics.merging(["lr": Double(record.learningRate)]) { $1 }
        }
    }

    @Test func resumingAfterAnInterruptEqualsTheUninterruptedRun() throws {
        let data = try TrainingFixtures.blobs(perClass: 32)  // 72 train + 24 validation
        let straight = try TrainingFixtures.mlp(seed: 3)
        let straightHistory = try train(straight, data: data)

        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let interrupted = try TrainingFixtures.mlp(seed: 3)
        let interrupt = InterruptAfter(calls: 2 * 5 + 2)  // 5 batches per epoch
        let partial = History()
        #expect(throws: TestInterrupt.self) {
            _ = try train(
                interrupted, data: data, directory: directory, history: partial,
                checkInterrupt: interrupt.check)
        }
        #expect(partial.count == 2)
        let checkpoint = try #require(try TrainingCheckpoint.latest(in: directory))
        #expect(checkpoint.epochsCompleted == 2)

        let resumed = try TrainingFixtures.mlp(seed: 77)  // other weights: the checkpoint wins
        let resumedHistory = try train(resumed, data: data, resume: checkpoint)
        #expect(resumedHistory.count == 4)
        #expect(comparable(resumedHistory) == comparable(straightHistory))
        #expect(resumedHistory.batchLosses == straightHistory.batchLosses)
        #expect(TrainingFixtures.weights(of: resumed) == TrainingFixtures.weights(of: straight))
        // The plateau schedule halved the rate after each epoch from the second on (the first
        // sets the best), across the resume too.
        expectClose(resumedHistory.learningRates, [0.01, 0.01, 0.005, 0.0025])
    }

    @Test func earlyStoppingStateAndBestWeightsSurviveTheResume() throws {
        let data = try TrainingFixtures.blobs(perClass: 32)
        // "loss" in max mode is best at epoch 0 and never again: both runs must end on the
        // weights after epoch 0, the resumed one from the checkpoint's copy.
        func stopper() -> EarlyStopping {
            EarlyStopping(monitor: "loss", mode: .max, patience: 10, restoreBestWeights: true)
        }
        let straight = try TrainingFixtures.mlp(seed: 3)
        let straightStop = stopper()
        _ = try train(straight, data: data, callbacks: [straightStop])

        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        _ = try train(
            try TrainingFixtures.mlp(seed: 3), data: data, epochs: 2, directory: directory,
            callbacks: [stopper()])
        let checkpoint = try #require(try TrainingCheckpoint.latest(in: directory))
        #expect(checkpoint.callbackStates["EarlyStopping(loss)"]?.tensors.count == 4)

        let resumed = try TrainingFixtures.mlp(seed: 77)
        let resumedStop = stopper()
        _ = try train(resumed, data: data, resume: checkpoint, callbacks: [resumedStop])
        #expect(resumedStop.bestEpoch == 0)
        #expect(resumedStop.restoredEpoch == 0)
        #expect(resumedStop.epochsWithoutImprovement == straightStop.epochsWithoutImprovement)
        #expect(TrainingFixtures.weights(of: resumed) == TrainingFixtures.weights(of: straight))
    }

    @Test func checkpointsAreWrittenEachEpochAndPruned() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let data = try TrainingFixtures.blobs(perClass: 8)
        let model = try TrainingFixtures.mlp()
        try model.fit(
            data, epochs: 5, batchSize: 8, optimizer: try SGD(learningRate: 0.1, momentum: 0.9),
            checkpoint: CheckpointPolicy(directory: directory, everyEpochs: 2, keep: 2))
        // Due after epochs 2 and 4 and at the last epoch (5); the oldest is pruned.
        let files = CheckpointPolicy.checkpointFiles(in: directory).map {
            ($0 as NSString).lastPathComponent
        }
        #expect(files == ["epoch-0004.safetensors", "epoch-0005.safetensors"])
        let last = try #require(try TrainingCheckpoint.latest(in: directory))
        #expect(last.epochsCompleted == 5)
        #expect(last.optimizerName == "SGD")
        #expect(last.epochs.count == 5)
        for (name, tensor) in model.stateDict() {
            #expect(last.modelState[name]?.scalars == tensor.scalars, "\(name)")
        }
        #expect(last.optimizerState["0.weight.momentum_buffer"]?.shape == [16, 2])
        #expect(last.path?.hasSuffix("epoch-0005.safetensors") == true)
    }

    @Test func aCheckpointRoundTripsNaNMetricsAndCallbackTensors() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        let record = EpochRecord(
            epoch: 0, metrics: ["loss": .nan, "accuracy": 0.25], metricNames: ["loss", "accuracy"],
            trainingSeconds: 1.5, validationSeconds: 0, learningRate: 0.1, sampleCount: 4)
        let checkpoint = TrainingCheckpoint(
            epochsCompleted: 1, modelState: ["w": try Tensor([1, 2], shape: [2])],
            optimizerState: ["stepCount": try Tensor([Int32(3)], shape: [])],
            optimizerName: "Adam", learningRate: 0.001, seed: .max,
            callbackStates: [
                "k": CallbackState(numbers: ["best": 0.5], tensors: ["w": try Tensor([3, 4])])
            ],
            history: HistoryContents(
                epochs: [record], batchLosses: [0.5, .infinity], lossName: "l"))
        let path = directory + "/nested/c.safetensors"
        try checkpoint.write(to: path)
        let loaded = try TrainingCheckpoint.load(from: path)
        #expect(loaded.seed == .max)
        #expect(loaded.learningRate == 0.001)
        #expect(loaded.modelState["w"]?.scalars == [1, 2])
        #expect(loaded.optimizerState["stepCount"]?.dtype == .int32)
        #expect(loaded.callbackStates["k"]?.numbers == ["best": 0.5])
        #expect(loaded.callbackStates["k"]?.tensors["w"]?.scalars == [3, 4])
        #expect(loaded.epochs.first?.metrics["loss"]?.isNaN == true)
        #expect(loaded.history.batchLosses.last == .infinity)
    }

    @Test func foreignFilesAndMismatchedOptimizersAreClearErrors() throws {
        let directory = temporaryDirectory()
        defer { cleanUp(directory) }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        let model = try TrainingFixtures.mlp()
        let modelFile = directory + "/model.safetensors"
        try model.save(to: modelFile)
        #expect(throws: NNError.self) { try TrainingCheckpoint.load(from: modelFile) }
        let garbage = directory + "/garbage.safetensors"
        try Foundation.Data([1, 2, 3]).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: NNError.self) { try TrainingCheckpoint.load(from: garbage) }
        #expect(try TrainingCheckpoint.latest(in: directory + "/none") == nil)

        let data = try TrainingFixtures.blobs(perClass: 4)
        try model.fit(
            data, epochs: 1, optimizer: try Adam(),
            checkpoint: CheckpointPolicy(directory: directory))
        let checkpoint = try #require(try TrainingCheckpoint.latest(in: directory))
        #expect(throws: NNError.self) {
            try model.fit(
                data, epochs: 2, optimizer: try SGD(learningRate: 0.1), resume: checkpoint)
        }
        #expect(throws: NNError.self) {
            try model.fit(data, epochs: 0, optimizer: try Adam(), resume: checkpoint)
        }
        let other = try TrainingFixtures.mlp(hidden: 8)
        #expect(throws: NNError.self) {
            try other.fit(data, epochs: 2, optimizer: try Adam(), resume: checkpoint)
        }
    }
}
