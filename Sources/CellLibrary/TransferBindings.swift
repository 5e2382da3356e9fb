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

    /// `fineTune`'s parameters, declared once.
    private struct FineTuneParameters {
        let data = Param<Dataset>.positional("data")
        let epochs = Param<Int>.labelled("epochs")
        let freezeEpochs = Param<Int>.labelled("freezeEpochs", default: 1)
        let baseLearningRate = Param<Float>.labelled("baseLearningRate", default: 2e-3)
        let multiplier = Param<Float>.labelled("learningRateMultiplier", default: 100)
        let batchSize = Param<Int>.labelled("batchSize", default: 32)
        let optimizer = Param<(any Optimizer)?>.labelled(
            "optimizer",
            as: ArgumentKind<any Optimizer>.optimizer.optional.described(type: nil),
            default: .nilValue, shown: "Adam")
        let loss = Param<Value?>.labelled(
            "loss", as: Value?.argumentKind.described(type: "((Tensor, Tensor) -> Tensor)?"),
            default: .nilValue, shown: "softmaxCrossEntropy")
        let validation = Param<Dataset?>.optional("validation")
        let metrics = Param<Value>.labelled("metrics", default: .nilValue)
        let callbacks = Param<Value>.labelled(
            "callbacks", as: Value.argumentKind.described(type: "[Any]"), default: .array([]))
        let augmentations = Param<[Value]>.labelled(
            "augmentations", as: [Value].argumentKind.described(type: "[Augmentation]"),
            default: .array([]))
        let history = Param<History?>.optional("history")
        let verbose = Param<Value>.labelled("verbose", default: .bool(true))

        var all: [any ParameterDeclaration] {
            [
                data, epochs, freezeEpochs, baseLearningRate, multiplier, batchSize, optimizer,
                loss, validation, metrics, callbacks, augmentations, history, verbose,
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
                `learningRateMultiplier` times lower) under one cycle. Returns the History of \
                both phases; the model ends unfrozen.

                ```swift
                let model = Sequential { loadModel(from: "cnn.safetensors").dropLast(); Dense(64, 10) }
                model.fineTune(digits.train, epochs: 5, freezeEpochs: 1, validation: digits.test)
                ```
                """
        ) { model, arguments in
            let session = arguments.session
            let data = try arguments[p.data]
            let loss =
                try arguments[p.loss].map { try LossBindings.loss(from: $0, session: session) }
                ?? (data.isClassification ? .softmaxCrossEntropy() : .meanSquaredError)
            let history = try arguments[p.history] ?? History()
            records.record(history, for: model)
            let callbacks = try CallbackBindings.callbacks(
                from: arguments[p.callbacks], session: session)
            let display = try TrainingDisplays.make(for: session, verbose: arguments[p.verbose])
            let metrics = try MetricBindings.metrics(from: arguments[p.metrics], session: session)
            let augmentations = try DatasetBindings.augmentations(
                from: arguments[p.augmentations])
            let (epochs, freezeEpochs) = (try arguments[p.epochs], try arguments[p.freezeEpochs])
            let (base, multiplier) = (
                try arguments[p.baseLearningRate], try arguments[p.multiplier]
            )
            let (batchSize, optimizer) = (try arguments[p.batchSize], try arguments[p.optimizer])
            let validation = try arguments[p.validation]
            _ = try TrainingBindings.interruptible(session) {
                try model.fineTune(
                    data, epochs: epochs, freezeEpochs: freezeEpochs, baseLearningRate: base,
                    learningRateMultiplier: multiplier, batchSize: batchSize,
                    optimizer: optimizer, loss: loss, validation: validation, metrics: metrics,
                    callbacks: callbacks, augmentations: augmentations, history: history,
                    observer: display, checkInterrupt: { try session.checkInterrupt() })
            }
            return try session.wrap(history)
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
