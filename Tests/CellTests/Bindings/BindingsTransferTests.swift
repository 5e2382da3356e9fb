import Foundation
import Testing

@testable import Cell

/// Transfer learning in cells: a pretrained body inside a new model, freezing, fineTune, and
/// model files with metadata.
@Suite struct BindingsTransferTests {
    /// A trained "pretrained" model and `model = Sequential { pretrained.dropLast(); Dense(8, 3) }`.
    private func harness() -> CellHarness {
        let harness = CellHarness()
        harness.run(
            """
            seed(5)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 40, standardDeviation: 0.6)
            let pretrained = Sequential {
                Dense(2, 16, activation: relu)
                BatchNorm(16)
                Dense(16, 8, activation: relu)
                Dense(8, 3)
            }
            pretrained.fit(data, epochs: 8, batchSize: 20, optimizer: Adam(learningRate: 0.02),
                           verbose: false)
            var model = Sequential {
                pretrained.dropLast()
                Dense(8, 3)
            }
            func bits(_ layer) { layer.stateDict().values.map { $0.sum().scalar } }
            """)
        return harness
    }

    @Test func aSequentialHoldsAPretrainedBodyWithNestedNames() {
        let harness = harness()
        #expect(harness.run("model.count").result == "2")
        #expect(
            harness.run("Array(model.namedParameters().keys)").result
                == "[\"0.0.weight\", \"0.0.bias\", \"0.1.weight\", \"0.1.bias\", \"0.2.weight\", "
                + "\"0.2.bias\", \"1.weight\", \"1.bias\"]")
        #expect(harness.run("model.stateDict()[\"0.1.running_mean\"]!.shape").result == "[16]")
        #expect(harness.run("model(Tensor.ones([4, 2])).shape").result == "[4, 3]")
    }

    @Test func freezingByPrefixAndPositionShowsInTheSummary() throws {
        let harness = harness()
        #expect(harness.run("model.freeze(matching: \"0.\")").result == "6")
        #expect(harness.run("model.trainableParameterCount").result == "27")
        let summary = try #require(harness.run("model.summary()").result)
        #expect(summary.contains("frozen"))
        #expect(summary.contains("(trainable 27, frozen"))
        #expect(harness.run("model.unfreeze(matching: \"0.2\")").result == "2")
        #expect(harness.run("model.trainableParameterCount").result == "163")
        harness.run("model.unfreeze()")
        harness.run("pretrained.freeze(upTo: -1)")
        #expect(harness.run("pretrained[2].isFrozen && !pretrained[3].isFrozen").result == "true")
        let error = try #require(harness.run("model.freeze(matching: \"3\")").error)
        #expect(error.value.contains("3"))
        #expect(harness.run("model.freeze(upTo: 5)").error != nil)
    }

    @Test func aFrozenBodyAndItsBatchNormStatisticsAreUnchangedByFit() {
        let harness = harness()
        harness.run(
            """
            model[0].freeze()
            let before = bits(model[0])
            let head = bits(model[1])
            model.fit(data, epochs: 2, batchSize: 20, optimizer: Adam(learningRate: 0.05),
                      verbose: false)
            """)
        #expect(harness.run("bits(model[0]) == before").result == "true")
        #expect(harness.run("bits(model[1]) == head").result == "false")
        #expect(harness.run("model.evaluate(data)[\"accuracy\"]! > 0.8").result == "true")
    }

    /// fastai's `train_bn` in cells: a frozen body whose BatchNorm still learns, by hand and in
    /// `fineTune`'s head-only phase; `fineTune` reads the options it shares with `fit`.
    @Test func theBatchNormOfAFrozenBodyCanTrainAsFastaisTrainBN() {
        let harness = harness()
        #expect(harness.run("model[0].freeze(); model[0].unfreezeBatchNorm()").result == "2")
        #expect(harness.run("model.trainableParameterCount").result == "59")
        harness.run(
            """
            let weights = model.stateDict()["0.0.weight"]!.sum().scalar
            let mean = model.stateDict()["0.1.running_mean"]!.sum().scalar
            model.fit(data, epochs: 1, batchSize: 20, optimizer: Adam(learningRate: 0.05),
                      verbose: false)
            """)
        #expect(
            harness.run("model.stateDict()[\"0.0.weight\"]!.sum().scalar == weights").result
                == "true")
        #expect(
            harness.run("model.stateDict()[\"0.1.running_mean\"]!.sum().scalar == mean").result
                == "false")
        harness.run(
            """
            model.unfreeze()
            let fine = Sequential { pretrained.dropLast(); Dense(8, 3) }
            let recorded = History()
            let history = fine.fineTune(data, epochs: 1, freezeEpochs: 1, trainBatchNorm: true,
                                        batchSize: 20, metrics: [.accuracy], history: recorded,
                                        verbose: false)
            """)
        #expect(harness.run("history.epochs").result == "2")
        #expect(harness.run("recorded.epochs").result == "2")
        #expect(harness.run("fine.history!.epochs").result == "2")
    }

    @Test func fineTuneRecordsBothPhasesAndEndsUnfrozen() {
        let harness = harness()
        harness.run(
            """
            let before = bits(model[0])
            let history = model.fineTune(data, epochs: 3, freezeEpochs: 1,
                                         baseLearningRate: 0.05, batchSize: 20,
                                         validation: data, verbose: false)
            """)
        #expect(harness.run("history.epochs").result == "4")
        #expect(harness.run("model.history!.epochs").result == "4")
        #expect(harness.run("model.isFrozen || model[0].isFrozen").result == "false")
        #expect(harness.run("bits(model[0]) == before").result == "false")
        #expect(harness.run("history[\"val_accuracy\"].last! > 0.85").result == "true")
        #expect(
            harness.run("Array(model.fineTuningPlan(slowest: 1e-4, fastest: 1e-2).keys)").result
                == "[\"0.0\", \"0.1\", \"0.2\", \"1\"]")
        #expect(harness.run("model.fineTune(data, epochs: 1, baseLearningRate: -1)").error != nil)
    }

    @Test func modelFilesCarryMetadataAndNestedArchitectures() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cell-transfer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested.safetensors").path
        let harness = harness()
        harness.run(
            """
            model.save(to: "\(path)", metadata: ["accuracy": 0.875, "data": "blobs"])
            let again = loadModel(from: "\(path)")
            """)
        #expect(
            harness.run("modelMetadata(from: \"\(path)\")[\"accuracy\"]!").result == "\"0.875\"")
        #expect(harness.run("modelMetadata(from: \"\(path)\")[\"data\"]!").result == "\"blobs\"")
        #expect(harness.run("again[0].count").result == "3")
        #expect(harness.run("again.eval(); model.eval()").error == nil)
        #expect(
            harness.run(
                "(again(Tensor.ones([2, 2])) - model(Tensor.ones([2, 2]))).abs().max().scalar"
            )
            .result == "0.0")
        #expect(harness.run("model.save(to: \"\(path)\", metadata: [1: 2])").error != nil)
    }
}
