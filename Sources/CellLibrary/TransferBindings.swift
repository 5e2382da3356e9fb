import Cell
import Data
import NN
import Tensor

/// Transfer learning in cells: freezing by name prefix on every layer
/// (`model.freeze(matching: "0.")`), by position on a Sequential (`model.freeze(upTo: 4)`), and
/// `model.fineTune(data, epochs:, freezeEpochs:, baseLearningRate:)` as fastai's `fine_tune`.
enum TransferBindings {
    static let module = "NN"

    /// Adds `freeze(matching:)` and `unfreeze(matching:)` to a layer type (called for every one
    /// by `LayerBindings.installCommonMembers`).
    static func installLayerMembers<L: Layer>(_ type: TypeBuilder<L>) {
        let prefix = Param<String>.labelled("matching")
        type.method(
            "freeze", parameters: [prefix], returns: "Int",
            doc: """
                Freezes the parameters (and BatchNorm statistics) whose dotted name starts with \
                a prefix: `model.freeze(matching: "0.")` freezes the body of `Sequential { body; \
                head }`; returns how many parameters it froze, and fails when none is named so.
                """
        ) { layer, arguments in
            .int(try layer.freeze(matching: try arguments[prefix]))
        }
        type.method(
            "unfreeze", parameters: [prefix], returns: "Int",
            doc: "Unfreezes the parameters whose dotted name starts with a prefix."
        ) { layer, arguments in
            .int(try layer.unfreeze(matching: try arguments[prefix]))
        }
        type.method(
            "unfreezeBatchNorm", parameters: [], returns: "Int",
            doc: """
                Lets the BatchNorm layers of a frozen body train (γ, β and running \
                statistics), as fastai's `train_bn`: `model[0].freeze(); \
                model[0].unfreezeBatchNorm()`; returns how many parameters it unfroze.
                """
        ) { layer, _ in
            .int(layer.unfreezeBatchNorm())
        }
    }

    /// Adds `freeze(upTo:)`, `unfreeze(upTo:)`, `fineTune` and `fineTuningPlan` to Sequential.
    static func install(into registry: Registry, records: TrainingRecords) {
        _ = registry.type(
            Sequential.self, name: "Sequential", kind: .reference, module: module, doc: ""
        ) { type in
            let position = Param<Int>.labelled("upTo")
            type.method(
                "freeze", parameters: [position],
                doc: """
                    Freezes the layers before a position (negative counts from the end): \
                    `model.freeze(upTo: 4)`, `model.freeze(upTo: -1)` (all but the head).
                    """
            ) { model, arguments in
                try model.freeze(upTo: try arguments[position])
                return .void
            }
            type.method(
                "unfreeze", parameters: [position],
                doc: "Unfreezes the layers before a position (negative counts from the end)."
            ) { model, arguments in
                try model.unfreeze(upTo: try arguments[position])
                return .void
            }
            installFineTune(type, records)
        }
    }

    /// `fineTune`'s parameters, declared once (the options it shares with `fit` through
    /// `FitArguments`).
    private struct FineTuneParameters {
        let shared = FitArguments.Parameters()
        let epochs = Param<Int>.labelled("epochs")
        let freezeEpochs = Param<Int>.labelled("freezeEpochs", default: 1)
        let baseLearningRate = Param<Float>.labelled("baseLearningRate", default: 2e-3)
        let multiplier = Param<Float>.labelled("learningRateMultiplier", default: 100)
        let trainBatchNorm = Param<Bool>.labelled("trainBatchNorm", default: false)
        let optimizer = Param<(any Optimizer)?>.labelled(
            "optimizer",
            as: ArgumentKind<any Optimizer>.optimizer.optional.described(type: nil),
            default: .nilValue, shown: "Adam")

        var all: [any ParameterDeclaration] {
            [
                shared.data, epochs, freezeEpochs, baseLearningRate, multiplier, trainBatchNorm,
                shared.batchSize, optimizer, shared.loss, shared.validation, shared.metrics,
                shared.callbacks, shared.augmentations, shared.history, shared.verbose,
            ]
        }
    }

    private static func installFineTune(
        _ type: TypeBuilder<Sequential>, _ records: TrainingRecords
    ) {
        let p = FineTuneParameters()
        type.method(
            "fineTune", parameters: p.all, returns: "History",
            doc: """
                Fine-tunes a pretrained body under a new head, as fastai's `fine_tune`: the \
                head alone with the body frozen for `freezeEpochs` (one cycle peaking at \
                `baseLearningRate`), then everything for `epochs`, with discriminative rates \
                (the head at half the base rate, earlier layers lower, geometrically, down to \
                `learningRateMultiplier` times lower) under one cycle. `trainBatchNorm: true` \
                lets the body's BatchNorm layers learn in the head-only phase (fastai's \
                `train_bn`). Returns the History of both phases; the model ends unfrozen.

                ```swift
                let model = Sequential { loadModel(from: "cnn.safetensors").dropLast(); Dense(64, 10) }
                model.fineTune(digits.train, epochs: 5, freezeEpochs: 1, validation: digits.test)
                ```
                """
        ) { model, arguments in
            let session = arguments.session
            let options = try FitArguments(arguments, p.shared, model: model, records: records)
            let (epochs, freezeEpochs) = (try arguments[p.epochs], try arguments[p.freezeEpochs])
            let (base, multiplier) = (
                try arguments[p.baseLearningRate], try arguments[p.multiplier]
            )
            let (optimizer, trainBatchNorm) = (
                try arguments[p.optimizer], try arguments[p.trainBatchNorm]
            )
            _ = try TrainingBindings.interruptible(session) {
                try model.fineTune(
                    options.data, epochs: epochs, freezeEpochs: freezeEpochs,
                    baseLearningRate: base, learningRateMultiplier: multiplier,
                    trainBatchNorm: trainBatchNorm,
                    batchSize: options.batchSize, optimizer: optimizer, loss: options.loss,
                    validation: options.validation, metrics: options.metrics,
                    callbacks: options.callbacks, augmentations: options.augmentations,
                    history: options.history, observer: options.display,
                    checkInterrupt: { try session.checkInterrupt() })
            }
            return try session.wrap(options.history)
        }
        let slowest = Param<Float>.labelled("slowest")
        let fastest = Param<Float>.labelled("fastest")
        type.method(
            "fineTuningPlan", parameters: [slowest, fastest], returns: "[String: Double]",
            doc: """
                The parameter groups `fineTune` gives their own rates (each layer of the body, \
                then the head) with rates spaced geometrically from `slowest` to `fastest`: \
                `model.fineTuningPlan(slowest: 1e-5, fastest: 1e-3)` → `["0.0": 1e-5, …, "1": 1e-3]`.
                """
        ) { model, arguments in
            let plan = model.fineTuningPlan(
                slowest: try arguments[slowest], fastest: try arguments[fastest])
            var dictionary = DictionaryValue()
            for (prefix, rate) in zip(plan.groupPrefixes, plan.learningRates) {
                dictionary[.string(prefix)] = .float32(rate)
            }
            return .dictionary(dictionary)
        }
    }
}
