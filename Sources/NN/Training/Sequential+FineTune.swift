import Data
import Foundation
import Tensor

// Fine-tuning a pretrained body under a new head, as fastai's `Learner.fine_tune` (Howard &
// Gugger, 2020, "Fastai: A Layered API for Deep Learning"; discriminative rates and gradual
// unfreezing from Howard & Ruder, 2018, "Universal Language Model Fine-tuning for Text
// Classification"): first the head alone with the body frozen, then everything with smaller
// rates for the earlier layers, each phase under a one-cycle schedule.

/// The learning-rate plan of `fineTune`: which parameters form each group, in model order, and
/// the rate each group gets in the unfrozen phase.
public struct FineTuningPlan: Sendable, Equatable {
    /// The name prefix of each group ("0.0", "0.3", …, "1" for the head), earliest first.
    public let groupPrefixes: [String]
    /// The peak learning rate of each group in the unfrozen phase: from
    /// `base / 2 / multiplier` for the first to `base / 2` for the head, spaced geometrically.
    public let learningRates: [Float]
}

extension Sequential {
    /// The parameter groups `fineTune` gives discriminative rates: each layer with parameters
    /// in the body (the layers before the last, looking one level into a nested Sequential,
    /// so `Sequential { body; Dense(64, 10) }` gives one group per layer of `body`), then the
    /// head, with peak rates spaced geometrically from `slowest` to `fastest`.
    ///
    /// ```swift
    /// let plan = model.fineTuningPlan(slowest: 1e-5, fastest: 1e-3)
    /// plan.groupPrefixes       // ["0.0", "0.4", "0.8", "1"]
    /// ```
    public func fineTuningPlan(slowest: Float, fastest: Float) -> FineTuningPlan {
        var prefixes: [String] = []
        for (index, layer) in layers.enumerated() {
            let name = String(index)
            if index < layers.count - 1, let body = layer as? Sequential {
                for (childIndex, child) in body.layers.enumerated() where child.parameterCount > 0 {
                    prefixes.append("\(name).\(childIndex)")
                }
            } else if layer.parameterCount > 0 {
                prefixes.append(name)
            }
        }
        let count = prefixes.count
        let rates = prefixes.indices.map { index -> Float in
            guard count > 1, slowest > 0 else { return fastest }
            let fraction = Float(index) / Float(count - 1)
            return Float(
                Double(slowest) * Foundation.pow(Double(fastest / slowest), Double(fraction)))
        }
        return FineTuningPlan(groupPrefixes: prefixes, learningRates: rates)
    }

    /// Fine-tunes a pretrained body under a new head, as fastai's `fine_tune`: trains the head
    /// (the last layer) with everything before it frozen for `freezeEpochs` epochs under a
    /// one-cycle schedule peaking at `baseLearningRate`; then unfreezes the whole model and
    /// trains it for `epochs` epochs under a one-cycle schedule (warm-up 30 %, starting at a
    /// fifth of the peak) with discriminative learning rates: the head at
    /// `baseLearningRate / 2`, each earlier group (`fineTuningPlan`) lower, down to
    /// `baseLearningRate / 2 / learningRateMultiplier` for the first, spaced geometrically.
    ///
    /// Frozen BatchNorm layers keep their running statistics during the first phase (see
    /// `freeze()`), unless `trainBatchNorm` lets them learn with the head (fastai's
    /// `train_bn`: their γ, β and running statistics adapt to the new data). The model ends unfrozen. The optimizer's `learningRate` and
    /// `parameterGroups` are replaced during the run and restored afterwards; its state carries
    /// over between the phases. The History holds both phases' epochs, numbered in sequence.
    ///
    /// ```swift
    /// guard let pretrained = try loadModel(from: "cnn.safetensors") as? Sequential else { return }
    /// let model = Sequential([try pretrained.dropLast(2), try Dense(1568, 10)])
    /// try model.fineTune(digits.train, epochs: 5, freezeEpochs: 1, baseLearningRate: 2e-3,
    ///                    validation: digits.test)
    /// ```
    ///
    /// - Parameters:
    ///   - data: The training examples.
    ///   - epochs: Epochs of the unfrozen phase.
    ///   - freezeEpochs: Epochs of the head-only phase (0 skips it).
    ///   - baseLearningRate: The peak rate of the head-only phase; the unfrozen phase peaks at
    ///     half of it for the head.
    ///   - learningRateMultiplier: How many times lower the first group's rate is than the
    ///     head's in the unfrozen phase (fastai's `lr_mult`, 100).
    ///   - trainBatchNorm: Whether the body's BatchNorm layers train in the head-only phase
    ///     (fastai's `train_bn`, see `unfreezeBatchNorm()`); false keeps them frozen, as Keras.
    ///   - batchSize: Examples per batch.
    ///   - optimizer: The optimizer (nil: Adam); its own learning rate is not used.
    ///   - loss: The loss to minimize.
    ///   - validation: Data measured after each epoch.
    ///   - metrics: Measured besides the loss; nil means accuracy on a classification set.
    ///   - callbacks: Run at batch and epoch boundaries of both phases.
    ///   - augmentations: Random transforms applied to every training batch.
    ///   - generator: The source of both phases' seeds; nil draws from the default generator.
    ///   - history: The History to record into.
    ///   - observer: Receives both phases' progress events.
    ///   - checkInterrupt: Called between batches; throwing stops training cleanly.
    @discardableResult
    public func fineTune(
        _ data: Dataset, epochs: Int, freezeEpochs: Int = 1, baseLearningRate: Float = 2e-3,
        learningRateMultiplier: Float = 100, trainBatchNorm: Bool = false, batchSize: Int = 32,
        optimizer: (any Optimizer)? = nil, loss: Loss = .softmaxCrossEntropy(),
        validation: Dataset? = nil, metrics: [Metric]? = nil, callbacks: [any Callback] = [],
        augmentations: [Augmentation] = [], generator: RandomGenerator? = nil,
        history: History = History(), observer: (any TrainingObserver)? = nil,
        checkInterrupt: (() throws -> Void)? = nil
    ) throws -> History {
        try validateFineTuning(
            epochs: epochs, freezeEpochs: freezeEpochs, baseLearningRate: baseLearningRate,
            learningRateMultiplier: learningRateMultiplier)
        let optimizer = try optimizer ?? Adam(learningRate: baseLearningRate)
        let savedRate = optimizer.learningRate
        let savedGroups = optimizer.parameterGroups
        var seeds = generator ?? RandomGenerator.withDefault { $0.split() }
        defer {
            optimizer.learningRate = savedRate
            optimizer.parameterGroups = savedGroups
            history.numberEpochsInSequence()
        }
        func phase(epochs: Int, schedule: OneCycle, groups: [ParameterGroup]) throws {
            optimizer.parameterGroups = groups
            try fit(
                data, epochs: epochs, batchSize: batchSize, optimizer: optimizer, loss: loss,
                validation: validation, metrics: metrics, callbacks: callbacks,
                augmentations: augmentations, schedule: schedule,
                generator: RandomGenerator(seed: seeds.next()), history: history,
                observer: observer, checkInterrupt: checkInterrupt)
        }
        if freezeEpochs > 0 {
            try freeze(upTo: -1)
            if trainBatchNorm { unfreezeBatchNorm() }
            try phase(
                epochs: freezeEpochs,
                schedule: OneCycle(epochs: freezeEpochs, warmupFraction: 0.99),
                groups: [ParameterGroup(prefix: "", learningRate: baseLearningRate)])
        }
        unfreeze()
        guard epochs > 0 else { return history }
        let peak = baseLearningRate / 2
        let plan = fineTuningPlan(slowest: peak / learningRateMultiplier, fastest: peak)
        let groups = zip(plan.groupPrefixes, plan.learningRates).map {
            ParameterGroup(prefix: $0, learningRate: $1)
        }
        try phase(
            epochs: epochs, schedule: OneCycle(epochs: epochs, divisionFactor: 5), groups: groups)
        return history
    }

    private func validateFineTuning(
        epochs: Int, freezeEpochs: Int, baseLearningRate: Float, learningRateMultiplier: Float
    ) throws {
        func fail(_ message: String) -> NNError {
            NNError.invalidArgument(function: "fineTune", message: message)
        }
        guard count >= 2 else {
            throw fail(
                "the model needs a body and a head (at least two layers), it has \(count)")
        }
        guard epochs >= 0, freezeEpochs >= 0 else {
            throw fail("epochs and freezeEpochs must be >= 0, got \(epochs) and \(freezeEpochs)")
        }
        guard baseLearningRate > 0, baseLearningRate.isFinite else {
            throw fail("baseLearningRate must be > 0, got \(baseLearningRate)")
        }
        guard learningRateMultiplier >= 1, learningRateMultiplier.isFinite else {
            throw fail("learningRateMultiplier must be >= 1, got \(learningRateMultiplier)")
        }
    }
}
