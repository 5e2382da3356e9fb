import Data
import Foundation
import Testing

@testable import NN
@testable import Tensor

/// Nested Sequentials (a pretrained body under a new head) and freezing.
@Suite struct TransferLearningTests {
    /// A small CNN like the shipped pretrained one: conv, BatchNorm, pooling, two Dense layers.
    static func pretrained(seed: UInt64 = 1) throws -> Sequential {
        try Sequential {
            try Conv2D(1, 4, kernelSize: 3, seed: seed)
            try BatchNorm(4)
            ReLU()
            MaxPool2D(2)
            Flatten()
            try Dense(4 * 3 * 3, 8, activation: .relu, seed: seed + 1)
            try Dense(8, 10, seed: seed + 2)
        }
    }

    /// `Sequential { pretrained.dropLast(); Dense(8, 3) }`.
    static func transferred(seed: UInt64 = 1) throws -> Sequential {
        Sequential([try pretrained(seed: seed).dropLast(), try Dense(8, 3, seed: seed + 10)])
    }

    /// Twelve 8×8 one-channel images in three classes, with a class-dependent pattern.
    static func images(count: Int = 24) throws -> Dataset {
        var generator = RandomGenerator(seed: 7)
        var pixels: [Float] = []
        var labels: [Int32] = []
        for index in 0..<count {
            let label = index % 3
            for position in 0..<64 {
                let pattern: Float = position % 3 == label ? 1 : 0
                pixels.append(pattern + 0.3 * generator.nextUniform())
            }
            labels.append(Int32(label))
        }
        return try Dataset(features: pixels, elementShape: [1, 8, 8], labels: labels)
    }

    /// The bits of every parameter and buffer of `layer`, by name.
    static func bits(of layer: any Layer) -> [String: [UInt32]] {
        layer.stateDict().mapValues { tensor in
            let values = tensor.dtype == .float32 ? tensor : try? tensor.converted(to: .float32)
            return values?.scalars.map(\.bitPattern) ?? []
        }
    }

    // MARK: - Nesting

    /// What PyTorch's `state_dict()` holds, name and shape, for the same model built with
    /// `body = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
    /// nn.Flatten(), nn.Linear(36, 8), nn.ReLU(), nn.Linear(8, 10))` as
    /// `nn.Sequential(body[:-1], nn.Linear(8, 3))` (torch's slice keeps the indices; Trainbook's
    /// Dense with a relu activation is one layer where torch has Linear + ReLU, hence index 5).
    static let pytorchNames: [String: [Int]] = [
        "0.0.weight": [4, 1, 3, 3], "0.0.bias": [4],
        "0.1.weight": [4], "0.1.bias": [4], "0.1.running_mean": [4], "0.1.running_var": [4],
        "0.1.num_batches_tracked": [],
        "0.5.weight": [8, 36], "0.5.bias": [8],
        "1.weight": [3, 8], "1.bias": [3],
    ]

    @Test func nestedStateDictNamesAreThoseOfPyTorch() throws {
        let model = try Self.transferred()
        #expect(model.stateDict().mapValues(\.shape) == Self.pytorchNames)
        #expect(
            model.namedLayers().map(\.name).prefix(4) == ["", "0", "0.0", "0.1"])
        let output = try model(try sample([2, 1, 8, 8], seed: 3))
        #expect(output.shape == [2, 3])
    }

    @Test func nestedModelsRoundTripThroughAFile() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("transfer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested.safetensors").path
        let model = try Self.transferred()
        _ = try model(try sample([4, 1, 8, 8], seed: 4))  // moves the running statistics
        try model.save(to: path)
        let loaded = try #require(try loadModel(from: path) as? Sequential)
        #expect(try loaded.architecture() == model.architecture())
        #expect(try loaded[0] is Sequential)
        #expect(Self.bits(of: loaded) == Self.bits(of: model))
        model.eval()
        loaded.eval()
        let x = try sample([2, 1, 8, 8], seed: 5)
        #expect(try loaded(x).scalars == model(x).scalars)
    }

    // MARK: - Freezing

    @Test func freezingByNamePrefixCoversWholeLayersOnly() throws {
        let model = try Self.transferred()
        #expect(try model.freeze(matching: "0.") == 6)
        #expect(try model[0].isFrozen)
        #expect(try !model[1].isFrozen)
        model.unfreeze()
        #expect(try model.freeze(matching: "0.5") == 2)
        #expect(try (model[0] as? Sequential)?[5].isFrozen == true)
        #expect(try (model[0] as? Sequential)?[0].isFrozen == false)
        #expect(try model.unfreeze(matching: "0") == 6)
        #expect(model.trainableParameterCount == model.parameterCount)
        #expect(try model.freeze(matching: "1.weight") == 1)
        #expect(throws: NNError.self) { try model.freeze(matching: "2") }
        #expect(throws: NNError.self) { try model.freeze(matching: "0.50") }
    }

    @Test func freezingUpToAPositionCountsFromEitherEnd() throws {
        let model = try Self.pretrained()
        try model.freeze(upTo: 2)
        #expect(try model[0].isFrozen && model[1].isFrozen)
        #expect(try !model[5].isFrozen)
        #expect(try (model[1] as? BatchNorm)?.isStateFrozen == true)
        try model.unfreeze(upTo: 7)
        try model.freeze(upTo: -1)
        #expect(try model[5].isFrozen && !model[6].isFrozen)
        #expect(model.trainableParameterCount == 8 * 10 + 10)
        #expect(throws: NNError.self) { try model.freeze(upTo: 8) }
        #expect(throws: NNError.self) { try model.freeze(upTo: -8) }
        let summary = try model.summary(inputShape: [1, 1, 8, 8])
        #expect(summary.trainableParameterCount == 90)
        #expect(summary.rows.map(\.trainableState)[0] == .frozen)
        #expect(summary.description.contains("trainable 90, frozen"))
    }

    @Test func aFrozenBatchNormUsesAndKeepsItsRunningStatisticsInTrainingMode() throws {
        let norm = try BatchNorm(3)
        let x = try sample([8, 3], seed: 2)
        _ = try norm(x)  // training mode: the statistics move
        norm.freeze()
        let before = Self.bits(of: norm)
        norm.train()
        let training = try norm(x)
        #expect(Self.bits(of: norm) == before)
        let evaluation = try norm.evaluating { try norm(x) }
        #expect(training.scalars == evaluation.scalars)
        norm.unfreeze()
        _ = try norm(x)
        #expect(Self.bits(of: norm) != before)
    }

    @Test func frozenBodyIsUnchangedBitForBitAfterFit() throws {
        let model = try Self.transferred()
        let data = try Self.images()
        _ = try model(try sample([4, 1, 8, 8], seed: 4))  // non-trivial running statistics
        let body = try model[0]
        let head = try model[1]
        body.freeze()
        let bodyBefore = Self.bits(of: body)
        let headBefore = Self.bits(of: head)
        let optimizer = try AdamW(learningRate: 1e-2, weightDecay: 0.1)
        try model.fit(
            data, epochs: 3, batchSize: 8, optimizer: optimizer,
            generator: RandomGenerator(seed: 1))
        #expect(Self.bits(of: body) == bodyBefore)
        #expect(Self.bits(of: head) != headBefore)
        for parameter in body.parameters {
            #expect(!optimizer.hasState(for: parameter))
            #expect(parameter.gradient == nil)
        }
        for parameter in head.parameters {
            #expect(optimizer.hasState(for: parameter))
            #expect(parameter.gradient != nil)
        }
    }

    @Test func freezingDropsAGradientTakenBefore() throws {
        let model = try Self.transferred()
        let x = try sample([2, 1, 8, 8], seed: 6)
        _ = try valueWithGradient(of: model) { m in try m(x).sum() }
        let weight = try #require(model.namedParameters().first?.parameter)
        #expect(weight.gradient != nil)
        try model.freeze(upTo: 1)
        _ = try valueWithGradient(of: model) { m in try m(x).sum() }
        #expect(weight.gradient == nil)
    }
}
