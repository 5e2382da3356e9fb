import Data
import NN
import Tensor

/// Training on every layer: `fit` (progress through `TrainingDisplay`, interruptible between
/// batches: the model keeps its weights and `model.history` what was done), `evaluate` (a
/// dictionary `["loss": 0.33, "accuracy": 0.88]`), `predict`, `confusionMatrix`.
enum TrainingBindings {
    static let module = "NN"

    /// Adds the training members to every layer type registered so far.
    static func install(into registry: Registry) {
        MetricBindings.install(into: registry)
        HistoryBindings.install(into: registry)
        CallbackBindings.install(into: registry)
        CheckpointBindings.install(into: registry)
        LearningRateFinderBindings.install(into: registry)
        let records = TrainingRecords()
        for (name, info) in registry.types where info.conformances.contains("Layer") {
            registry.builtinType(name, doc: "") { type in
                installFit(type, records)
                installEvaluate(type)
                LearningRateFinderBindings.installLayerMembers(type)
                type.property(
                    "history", type: "History?",
                    doc: "The History of the model's last `fit`, kept even when it was interrupted."
                ) { [unowned registry] value in
                    try records.history(of: try layer(value)).map {
                        try registry.value(wrapping: $0)
                    }
                        ?? .nilValue
                }
            }
        }
    }

    /// The layer a receiver holds.
    private static func layer(_ value: Value) throws -> any Layer {
        guard let layer = value.hostPayload(as: (any Layer).self) else {
            throw CellError.typeMismatch("expected a layer, not \(value.typeName)")
        }
        return layer
    }

    private static var fitParameters: [Parameter] {
        [
            .positional("data", type: "Dataset"),
            .labelled("epochs", type: "Int", default: .int(1)),
            .labelled("batchSize", type: "Int", default: .int(32)),
            .labelled("optimizer"),
            Parameter(
                label: "loss", name: "loss", type: "((Tensor, Tensor) -> Tensor)?",
                defaultValue: .nilValue, defaultDescription: "softmaxCrossEntropy"),
            .labelled("validation", type: "Dataset?", default: .nilValue),
            .labelled("validationSplit", type: "Double?", default: .nilValue),
            .labelled("validationBatchSize", type: "Int", default: .int(256)),
            .labelled("metrics", default: .nilValue),
            .labelled("callbacks", type: "[Any]", default: .array([])),
            .labelled("shuffle", type: "Bool", default: .bool(true)),
            .labelled("augmentations", type: "[Augmentation]", default: .array([])),
            .labelled("gradientAccumulation", type: "Int", default: .int(1)),
            .labelled("schedule", default: .nilValue),
            .labelled("scheduleMonitor", type: "String?", default: .nilValue),
            .labelled("checkpoint", default: .nilValue),
            .labelled("resume", default: .nilValue),
            .labelled("history", type: "History?", default: .nilValue),
            .labelled("verbose", default: .bool(true)),
        ]
    }

    private static func installFit(_ type: TypeBuilder<Value>, _ records: TrainingRecords) {
        type.method(
            "fit", parameters: fitParameters, returns: "History",
            doc: """
                Trains the model in place and returns the History of per-epoch metrics, \
                showing its progress (`verbose: false` for none, `2` for a line per epoch). \
                Interrupting stops between two batches; the model keeps what it learnt and \
                `model.history` the finished epochs. Options: a learning-rate `schedule` \
                (`CosineAnnealing(period: 10)`), `callbacks` (`EarlyStopping(patience: 3)`, \
                closures), `checkpoint: "dir"` to save each epoch and `resume: "dir"` to go on \
                from the latest checkpoint there.

                ```swift
                let history = model.fit(data.train, epochs: 10, batchSize: 128, optimizer: opt,
                                        loss: softmaxCrossEntropy, validation: data.test)
                ```
                """
        ) { value, arguments in
            try fit(try layer(value), arguments, records)
        }
    }

    private static func fit(_ model: any Layer, _ arguments: Arguments, _ records: TrainingRecords)
        throws -> Value
    {
        let session = arguments.session
        let data = try arguments.host(Dataset.self, 0)
        guard let optimizer = arguments[3].hostPayload(as: (any Optimizer).self) else {
            throw arguments.mismatch(3, expected: "an optimizer such as Adam(learningRate: 1e-3)")
        }
        let loss =
            try arguments.optional(4).map { try LossBindings.loss(from: $0, session: session) }
            ?? (data.isClassification ? .softmaxCrossEntropy() : .meanSquaredError)
        let history =
            try arguments.optional(17).map { _ in try arguments.host(History.self, 17) }
            ?? History()
        records.record(history, for: model)
        let callbacks = try CallbackBindings.callbacks(from: arguments[9], session: session)
        let display = try TrainingDisplays.make(for: session, verbose: arguments[18])
        let validation = try arguments.optional(5).map { _ in try arguments.host(Dataset.self, 5) }
        let split = try arguments.optional(6).map { _ in try arguments.double(6) }
        let metrics = try MetricBindings.metrics(from: arguments[8], session: session)
        let augmentations = try DatasetBindings.augmentations(arguments, 11)
        let schedule = try arguments.optional(13).map(ScheduleBindings.schedule(from:))
        let monitor = try arguments.optional(14).map { _ in try arguments.string(14) }
        let checkpoint = try CheckpointBindings.policy(from: arguments[15])
        let resume = try CheckpointBindings.checkpoint(from: arguments[16])
        let (epochs, batchSize) = (try arguments.int(1), try arguments.int(2))
        let (validationBatchSize, shuffle) = (try arguments.int(7), try arguments.bool(10))
        let accumulation = try arguments.int(12)
        try interruptible(session) {
            try model.fit(
                data, epochs: epochs, batchSize: batchSize, optimizer: optimizer, loss: loss,
                validation: validation, validationSplit: split,
                validationBatchSize: validationBatchSize, metrics: metrics, callbacks: callbacks,
                shuffle: shuffle, augmentations: augmentations, gradientAccumulation: accumulation,
                schedule: schedule, scheduleMonitor: monitor, checkpoint: checkpoint,
                resume: resume, history: history, observer: display,
                checkInterrupt: { try session.checkInterrupt() })
        }
        return try session.wrap(history)
    }

    private static func installEvaluate(_ type: TypeBuilder<Value>) {
        let common: [Parameter] = [
            .labelled("batchSize", type: "Int", default: .int(256)),
            Parameter(
                label: "loss", name: "loss", type: "((Tensor, Tensor) -> Tensor)?",
                defaultValue: .nilValue, defaultDescription: "softmaxCrossEntropy"),
            .labelled("metrics", default: .nilValue),
        ]
        type.method(
            "evaluate", parameters: [.positional("data", type: "Dataset")] + common,
            returns: "[String: Double]",
            doc: """
                The loss and metrics on a data set, in evaluation mode without the tape: \
                `model.evaluate(data.test)` → `["loss": 0.33, "accuracy": 0.88]`.
                """
        ) { value, arguments in
            let model = try layer(value)
            let session = arguments.session
            let data = try arguments.host(Dataset.self, 0)
            let metrics = try MetricBindings.metrics(from: arguments[3], session: session)
            let batchSize = try arguments.int(1)
            let loss = try loss(arguments, 2, classification: data.isClassification)
            let ticker = ProgressTicker(
                session: session, title: "Evaluating", steps: data.count, batchSize: batchSize)
            let results = try interruptible(session) {
                try ticker.run { check in
                    try model.evaluate(
                        data, batchSize: batchSize, loss: loss, metrics: metrics,
                        checkInterrupt: check)
                }
            }
            return ordered(results, metrics: metrics ?? (data.isClassification ? [.accuracy] : []))
        }
        type.method(
            "evaluate", parameters: [.labelled("x"), .labelled("y")] + common,
            returns: "[String: Double]",
            doc: "The loss and metrics on tensors: `model.evaluate(x: images, y: labels)`."
        ) { value, arguments in
            let model = try layer(value)
            let session = arguments.session
            let metrics =
                try MetricBindings.metrics(from: arguments[4], session: session) ?? [.accuracy]
            let results = try interruptible(session) {
                try model.evaluate(
                    x: try arguments.floatTensor(0), y: try arguments.tensor(1),
                    batchSize: try arguments.int(2),
                    loss: try loss(arguments, 3, classification: true),
                    metrics: metrics, checkInterrupt: { try session.checkInterrupt() })
            }
            return ordered(results, metrics: metrics)
        }
        type.method(
            "predict",
            parameters: [
                .positional("data"), .labelled("batchSize", type: "Int", default: .int(256)),
            ],
            returns: "Tensor",
            doc: """
                The model's outputs for a data set or a tensor of inputs, in evaluation mode: \
                `model.predict(data.test).argmax(alongAxis: 1)`.
                """
        ) { value, arguments in
            let model = try layer(value)
            let session = arguments.session
            let batchSize = try arguments.int(1)
            let check = { try session.checkInterrupt() }
            if let data = arguments[0].hostPayload(as: Dataset.self) {
                let ticker = ProgressTicker(
                    session: session, title: "Predicting", steps: data.count, batchSize: batchSize)
                return try session.wrap(
                    try interruptible(session) {
                        try ticker.run { check in
                            try model.predict(data, batchSize: batchSize, checkInterrupt: check)
                        }
                    })
            }
            let inputs = try arguments.floatTensor(0)
            return try session.wrap(
                try interruptible(session) {
                    try model.predict(inputs, batchSize: batchSize, checkInterrupt: check)
                })
        }
        type.method(
            "confusionMatrix", parameters: [.positional("data", type: "Dataset")],
            returns: "ConfusionMatrix",
            doc: "Counts of predicted against actual classes on a data set."
        ) { value, arguments in
            let model = try layer(value)
            let session = arguments.session
            let data = try arguments.host(Dataset.self, 0)
            let ticker = ProgressTicker(
                session: session, title: "Predicting", steps: data.count, batchSize: 256)
            return try session.wrap(
                try interruptible(session) {
                    try ticker.run { check in try model.confusionMatrix(data, checkInterrupt: check)
                    }
                })
        }
    }

    /// Runs library training code that may call back into cell code: an interrupt that reaches
    /// it inside a batch (from a user layer, a closure loss or a callback) comes out wrapped in
    /// a library error naming the batch; it is reported as the interrupt it is.
    static func interruptible<Result>(_ session: Session, _ body: () throws -> Result) throws
        -> Result
    {
        do {
            return try body()
        } catch {
            if session.interruptFlag.isRaised { throw CellError.interrupted }
            throw error
        }
    }

    /// The loss at parameter `index`, or the default for the kind of data.
    private static func loss(_ arguments: Arguments, _ index: Int, classification: Bool) throws
        -> Loss
    {
        try arguments.optional(index).map {
            try LossBindings.loss(from: $0, session: arguments.session)
        } ?? (classification ? .softmaxCrossEntropy() : .meanSquaredError)
    }

    /// Results as a dictionary: the loss first, then the metrics in the order asked, then any
    /// others by name.
    static func ordered(_ results: [String: Double], metrics: [Metric]) -> Value {
        var dictionary = DictionaryValue()
        var names = ["loss"] + metrics.map(\.name)
        names += results.keys.filter { !names.contains($0) }.sorted()
        for name in names {
            if let value = results[name] { dictionary[.string(name)] = .double(value) }
        }
        return .dictionary(dictionary)
    }
}

/// The History of each model's last fit, so `model.history` survives an interrupted fit (whose
/// result never reaches the cell).
final class TrainingRecords {
    private struct Entry {
        weak var model: AnyObject?
        let history: History
    }

    private var entries: [ObjectIdentifier: Entry] = [:]

    /// Remembers `history` as the last of `model`.
    func record(_ history: History, for model: any Layer) {
        entries = entries.filter { $0.value.model != nil }
        entries[ObjectIdentifier(model)] = Entry(model: model, history: history)
    }

    /// The last History of `model`, if it was trained.
    func history(of model: any Layer) -> History? {
        guard let entry = entries[ObjectIdentifier(model)], entry.model === model else {
            return nil
        }
        return entry.history
    }
}
