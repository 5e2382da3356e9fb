import Data
import Foundation
import Testing

@testable import NN
@testable import Tensor

/// An SGD without momentum that records, for every update, the learning rate each parameter
/// was given (resolved through `parameterGroups` as every optimizer does).
final class RecordingOptimizer: Optimizer {
    let name = "Recording"
    var learningRate: Float
    let initialLearningRate: Float
    var weightDecay: Float = 0
    var parameterGroups: [ParameterGroup] = []
    var clipping: GradientClipping?
    private(set) var stepCount = 0
    var hyperparameters: [(name: String, value: Float)] { [("learningRate", learningRate)] }
    /// One dictionary per update: parameter name → the rate it was stepped with.
    private(set) var updates: [[String: Float]] = []

    init(learningRate: Float) {
        self.learningRate = learningRate
        self.initialLearningRate = learningRate
    }

    func update(_ model: any Layer, along gradients: Gradients) throws {
        stepCount += 1
        var rates: [String: Float] = [:]
        for entry in gradients.entries where !entry.parameter.isFrozen {
            let rate = learningRate(forParameterNamed: entry.name, entry.parameter)
            rates[entry.name] = rate
            try entry.parameter.assign(entry.parameter.value - rate * entry.gradient)
        }
        updates.append(rates)
    }

    func resetState() { stepCount = 0 }

    func stateDict(for model: any Layer) throws -> [String: Tensor] { [:] }

    func load(stateDict: [String: Tensor], for model: any Layer) throws {}
}

/// Keeps the model's bits at the end of each fit (each phase of `fineTune`).
final class SnapshotCallback: Callback {
    private(set) var snapshots: [[String: [UInt32]]] = []

    func onTrainEnd(_ context: TrainingContext) throws {
        snapshots.append(TransferLearningTests.bits(of: context.model))
    }
}

@Suite struct FineTuneTests {
    @Test func thePlanHasOneGroupPerBodyLayerWithGeometricRates() throws {
        let model = try TransferLearningTests.transferred()
        let plan = model.fineTuningPlan(slowest: 1e-5, fastest: 1e-3)
        #expect(plan.groupPrefixes == ["0.0", "0.1", "0.5", "1"])
        let rates = plan.learningRates.map(Double.init)
        let expected = [1e-5, 1e-5 * pow(100, 1.0 / 3), 1e-5 * pow(100, 2.0 / 3), 1e-3]
        for (rate, want) in zip(rates, expected) { #expect(abs(rate - want) < want * 1e-5) }
        let flat = try TransferLearningTests.pretrained()
        #expect(
            flat.fineTuningPlan(slowest: 1, fastest: 4).groupPrefixes == ["0", "1", "5", "6"])
    }

    @Test func theFrozenPhaseTrainsOnlyTheHeadThenGroupsGetDiscriminativeRates() throws {
        let model = try TransferLearningTests.transferred()
        let data = try TransferLearningTests.images(count: 24)
        _ = try model(try sample([4, 1, 8, 8], seed: 4))  // non-trivial running statistics
        let before = TransferLearningTests.bits(of: model)
        let body = try model[0]
        let bodyBefore = TransferLearningTests.bits(of: body)
        let optimizer = RecordingOptimizer(learningRate: 0.5)
        let snapshots = SnapshotCallback()
        let base: Float = 0.02
        let history = try model.fineTune(
            data, epochs: 2, freezeEpochs: 1, baseLearningRate: base, learningRateMultiplier: 100,
            batchSize: 8, optimizer: optimizer, callbacks: [snapshots],
            generator: RandomGenerator(seed: 3))

        // 24 examples in batches of 8: 3 updates per epoch, 3 frozen then 6 unfrozen.
        #expect(optimizer.updates.count == 9)
        let frozenPhase = optimizer.updates.prefix(3)
        for rates in frozenPhase { #expect(Set(rates.keys) == ["1.weight", "1.bias"]) }
        let headRates = frozenPhase.compactMap { $0["1.weight"] }
        #expect(headRates.max() ?? 0 <= base)
        #expect(headRates.max() ?? 0 > base / 4)

        // After the frozen phase the body (weights and BatchNorm statistics) is unchanged bit
        // for bit, and the head has moved.
        #expect(snapshots.snapshots.count == 2)
        let snapshot = try #require(snapshots.snapshots.first)
        for (name, bits) in bodyBefore { #expect(snapshot["0." + name] == bits, "\(name)") }
        #expect(snapshot["1.weight"] != before["1.weight"])

        // The unfrozen phase: every parameter, each group at its own rate, spaced
        // geometrically from the head's down to 1/100 of it, all following one cycle.
        let plan = model.fineTuningPlan(slowest: base / 2 / 100, fastest: base / 2)
        let unfrozenPhase = Array(optimizer.updates.suffix(6))
        for rates in unfrozenPhase {
            #expect(rates.count == model.parameters.count)
            let head = try #require(rates["1.weight"])
            for (prefix, planned) in zip(plan.groupPrefixes, plan.learningRates) {
                let rate = try #require(rates[prefix + ".weight"])
                #expect(abs(rate / head - planned / (base / 2)) < 1e-4, "\(prefix)")
                #expect(rates[prefix + ".bias"] == rate)
            }
            #expect(abs(rates["0.0.weight", default: 0] / head - 0.01) < 1e-5)
        }
        let headCurve = unfrozenPhase.compactMap { $0["1.weight"] }
        #expect(headCurve.max() ?? 0 <= base / 2 * 1.0001)
        #expect(headCurve.first ?? 0 < headCurve.max() ?? 0)
        #expect(headCurve.last ?? 0 < headCurve.max() ?? 0)

        // The model ends unfrozen, the optimizer as it was, the History numbered in sequence.
        #expect(model.trainableParameterCount == model.parameterCount)
        #expect(try (body as? Sequential)?[1] is BatchNorm)
        #expect(try ((body as? Sequential)?[1] as? BatchNorm)?.isStateFrozen == false)
        #expect(optimizer.learningRate == 0.5)
        #expect(optimizer.parameterGroups.isEmpty)
        #expect(history.epochs.map(\.epoch) == [0, 1, 2])
    }

    @Test func fineTuningWithAdamChangesEveryParameterInTheSecondPhase() throws {
        let model = try TransferLearningTests.transferred()
        let data = try TransferLearningTests.images(count: 24)
        let before = TransferLearningTests.bits(of: model)
        try model.fineTune(
            data, epochs: 1, freezeEpochs: 0, batchSize: 8, generator: RandomGenerator(seed: 5))
        let after = TransferLearningTests.bits(of: model)
        for (name, _) in model.namedParameters() { #expect(after[name] != before[name], "\(name)") }
    }

    @Test func fineTuneRejectsWhatItCannotDo() throws {
        let data = try TransferLearningTests.images(count: 6)
        let single = Sequential([Flatten()])
        #expect(throws: NNError.self) { try single.fineTune(data, epochs: 1) }
        let model = try TransferLearningTests.transferred()
        #expect(throws: NNError.self) { try model.fineTune(data, epochs: -1) }
        #expect(throws: NNError.self) { try model.fineTune(data, epochs: 1, baseLearningRate: 0) }
        #expect(throws: NNError.self) {
            try model.fineTune(data, epochs: 1, learningRateMultiplier: 0.5)
        }
    }

    /// fastai's `train_bn`: in the head-only phase the body's BatchNorm learns (γ, β and its
    /// running statistics) while every other body parameter stays bit for bit.
    @Test func trainBatchNormLetsTheBodysBatchNormLearnInTheFrozenPhase() throws {
        let model = try TransferLearningTests.transferred()
        let data = try TransferLearningTests.images(count: 24)
        let before = TransferLearningTests.bits(of: model)
        let optimizer = RecordingOptimizer(learningRate: 0.5)
        let snapshots = SnapshotCallback()
        try model.fineTune(
            data, epochs: 1, freezeEpochs: 1, baseLearningRate: 0.02, trainBatchNorm: true,
            batchSize: 8, optimizer: optimizer, callbacks: [snapshots],
            generator: RandomGenerator(seed: 3))
        let frozenPhase = optimizer.updates.prefix(3)
        for rates in frozenPhase {
            #expect(Set(rates.keys) == ["0.1.weight", "0.1.bias", "1.weight", "1.bias"])
        }
        let snapshot = try #require(snapshots.snapshots.first)
        for name in ["0.0.weight", "0.0.bias", "0.5.weight", "0.5.bias"] {
            #expect(snapshot[name] == before[name], "\(name)")
        }
        for name in ["0.1.weight", "0.1.bias", "0.1.running_mean", "0.1.running_var"] {
            #expect(snapshot[name] != before[name], "\(name)")
        }
        #expect(model.trainableParameterCount == model.parameterCount)
    }

    @Test func unfreezeBatchNormUnfreezesOnlyTheBatchNormLayers() throws {
        let model = try TransferLearningTests.transferred()
        try model[0].freeze()
        #expect(try model[0].unfreezeBatchNorm() == 2)
        let trainable = model.namedParameters().filter { !$0.parameter.isFrozen }.map(\.name)
        #expect(trainable == ["0.1.weight", "0.1.bias", "1.weight", "1.bias"])
        let batchNorm = try #require(try (model[0] as? Sequential)?[1] as? BatchNorm)
        #expect(!batchNorm.isStateFrozen)
        #expect(try model[0].unfreezeBatchNorm() == 0)
    }
}
