import Cell
import Data
import NN
import Tensor

/// Training on every layer: `fit` (progress through `TrainingDisplay`, interruptible between
/// batches: the model keeps its weights and `model.history` what was done), `evaluate` (a
/// dictionary `["loss": 0.33, "accuracy": 0.88]`), `predict`, `confusionMatrix`.
enum TrainingBindings {
    static let module = "NN"

    /// Adds the training members to every layer type registered so far; with a communicator
    /// (a cluster rank), `fit(…, distributed: .dataParallel)` trains with the other ranks.
    static func install(into registry: Registry, communicator: (any Communicator)? = nil) {
        DistributionBindings.install(into: registry, communicator: communicator)
        MetricBindings.install(into: registry)
        HistoryBindings.install(into: registry)
        CallbackBindings.install(into: registry)
        CheckpointBindings.install(into: registry)
        LearningRateFinderBindings.install(into: registry)
        let records = TrainingRecords()
        TransferBindings.install(into: registry, records: records)
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

    /// `fit`'s parameters, declared once: the signature lists them, the body reads them (the
    /// options it shares with `fineTune` through `FitArguments`).
    private struct FitParameters {
        let shared = FitArguments.Parameters()
        let epochs = Param<Int>.labelled("epochs", default: 1)
        let optimizer = Param<any Optimizer>.labelled("optimizer", as: .optimizer)
        let validationSplit = Param<Double?>.optional("validationSplit")
        let validationBatchSize = Param<Int>.labelled("validationBatchSize", default: 256)
        let shuffle = Param<Bool>.labelled("shuffle", default: true)
        let gradientAccumulation = Param<Int>.labelled("gradientAccumulation", default: 1)
        let schedule = Param<Value?>.optional("schedule")
        let scheduleMonitor = Param<String?>.optional("scheduleMonitor")
        let checkpoint = Param<Value>.labelled("checkpoint", default: .nilValue)
        let resume = Param<Value>.labelled("resume", default: .nilValue)
        let teacher = Param<(any Layer)?>.labelled(
            "teacher", as: ArgumentKind<any Layer>.layer.optional, default: .nilValue)
        let distillation = Param<Distillation?>.optional("distillation")
        let distributed = Param<DataParallel?>.labelled(
            "distributed", as: DataParallel.argumentKind.optional, default: .nilValue)

        var all: [any ParameterDeclaration] {
            [
                shared.data, epochs, shared.batchSize, optimizer, shared.loss, shared.validation,
                validationSplit, validationBatchSize, shared.metrics, shared.callbacks, shuffle,
                shared.augmentations, gradientAccumulation, schedule, scheduleMonitor,
                checkpoint, resume, shared.history, shared.verbose, teacher, distillation,
                distributed,
            ]
        }
    }

    private static func installFit(_ type: TypeBuilder<Value>, _ records: TrainingRecords) {
        let parameters = FitParameters()
        type.method(
            "fit", parameters: parameters.all, returns: "History",
            doc: """
                Trains the model in place and returns the History of per-epoch metrics, \
                showing its progress (`verbose: false` for none, `2` for a line per epoch). \
                Interrupting stops between two batches; the model keeps what it learnt and \
                `model.history` the finished epochs. Options: a learning-rate `schedule` \
                (`CosineAnnealing(period: 10)`), `callbacks` (`EarlyStopping(patience: 3)`, \
                closures), `checkpoint: "dir"` to save each epoch and `resume: "dir"` to go on \
                from the latest checkpoint there. Knowledge distillation: `teacher: big, \
                distillation: .hinton(temperature: 4, alpha: 0.9)` trains on α·T²·KL(teacher ‖ \
                student) + (1 − α)·loss, the teacher in evaluation mode and unchanged; the \
                History adds `distillation_loss` and `student_loss`.

                ```swift
                let history = model.fit(data.train, epochs: 10, batchSize: 128, optimizer: opt,
                                        loss: softmaxCrossEntropy, validation: data.test)
                ```
                """
        ) { value, arguments in
            try fit(try layer(value), arguments, parameters, records)
        }
    }

    private static func fit(
        _ model: any Layer, _ arguments: Arguments, _ p: FitParameters,
        _ records: TrainingRecords
    ) throws -> Value {
        let session = arguments.session
        let optimizer = try arguments[p.optimizer]
        let options = try FitArguments(arguments, p.shared, model: model, records: records)
        let split = try arguments[p.validationSplit]
        let schedule = try arguments[p.schedule].map(ScheduleBindings.schedule(from:))
        let monitor = try arguments[p.scheduleMonitor]
        let checkpoint = try CheckpointBindings.policy(from: arguments[p.checkpoint])
        let resume = try CheckpointBindings.checkpoint(from: arguments[p.resume])
        let epochs = try arguments[p.epochs]
        let (validationBatchSize, shuffle) = (
            try arguments[p.validationBatchSize], try arguments[p.shuffle]
        )
        let accumulation = try arguments[p.gradientAccumulation]
        let (teacher, distillation) = (try arguments[p.teacher], try arguments[p.distillation])
        let distributed = try arguments[p.distributed]
        _ = try interruptible(session) {
            try model.fit(
                options.data, epochs: epochs, batchSize: options.batchSize,
                optimizer: optimizer, loss: options.loss, validation: options.validation,
                validationSplit: split, validationBatchSize: validationBatchSize,
                metrics: options.metrics, callbacks: options.callbacks, shuffle: shuffle,
                augmentations: options.augmentations, gradientAccumulation: accumulation,
                schedule: schedule, scheduleMonitor: monitor, checkpoint: checkpoint,
                resume: resume, history: options.history, observer: options.display,
                checkInterrupt: { try session.checkInterrupt() }, teacher: teacher,
                distillation: distillation, distributed: distributed)
        }
        return try session.wrap(options.history)
    }

    private static func installEvaluate(_ type: TypeBuilder<Value>) {
        let batchSize = Param<Int>.labelled("batchSize", default: 256)
        let lossFunction = Param<Value?>.labelled(
            "loss", as: Value?.argumentKind.described(type: "((Tensor, Tensor) -> Tensor)?"),
            default: .nilValue, shown: "softmaxCrossEntropy")
        let metricsList = Param<Value>.labelled("metrics", default: .nilValue)
        let common: [any ParameterDeclaration] = [batchSize, lossFunction, metricsList]
        let data = Param<Dataset>.positional("data")
        type.method(
            "evaluate", parameters: [data] + common,
            returns: "[String: Double]",
            doc: """
                The loss and metrics on a data set, in evaluation mode without the tape: \
                `model.evaluate(data.test)` → `["loss": 0.33, "accuracy": 0.88]`.
                """
        ) { value, arguments in
            let model = try layer(value)
            let session = arguments.session
            let data = try arguments[data]
            let metrics = try MetricBindings.metrics(from: arguments[metricsList], session: session)
            let batchSize = try arguments[batchSize]
            let loss = try loss(
                arguments[lossFunction], session, classification: data.isClassification)
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
        let x = Param<Tensor>.labelled("x", as: .floatTensor)
        let y = Param<Tensor>.labelled("y", as: .tensor)
        type.method(
            "evaluate", parameters: [x, y] + common,
            returns: "[String: Double]",
            doc: "The loss and metrics on tensors: `model.evaluate(x: images, y: labels)`."
        ) { value, arguments in
            let model = try layer(value)
            let session = arguments.session
            let metrics =
                try MetricBindings.metrics(from: arguments[metricsList], session: session)
                ?? [.accuracy]
            let results = try interruptible(session) {
                try model.evaluate(
                    x: try arguments[x], y: try arguments[y], batchSize: try arguments[batchSize],
                    loss: try loss(arguments[lossFunction], session, classification: true),
                    metrics: metrics, checkInterrupt: { try session.checkInterrupt() })
            }
            return ordered(results, metrics: metrics)
        }
        let inputs = Param<Value>.positional("data")
        // The same parameter read as a tensor, when it is not a data set.
        let tensorInputs = Param<Tensor>.positional("data", as: .floatTensor)
        type.method(
            "predict", parameters: [inputs, batchSize],
            returns: "Tensor",
            doc: """
                The model's outputs for a data set or a tensor of inputs, in evaluation mode: \
                `model.predict(data.test).argmax(alongAxis: 1)`.
                """
        ) { value, arguments in
            let model = try layer(value)
            let session = arguments.session
            let batchSize = try arguments[batchSize]
            let check = { try session.checkInterrupt() }
            let given = try arguments[inputs]
            if let data = given.hostPayload(as: Dataset.self) {
                let ticker = ProgressTicker(
                    session: session, title: "Predicting", steps: data.count, batchSize: batchSize)
                return try session.wrap(
                    try interruptible(session) {
                        try ticker.run { check in
                            try model.predict(data, batchSize: batchSize, checkInterrupt: check)
                        }
                    })
            }
            let inputs = try arguments[tensorInputs]
            return try session.wrap(
                try interruptible(session) {
                    try model.predict(inputs, batchSize: batchSize, checkInterrupt: check)
                })
        }
        type.method(
            "confusionMatrix", parameters: [data],
            returns: "ConfusionMatrix",
            doc: "Counts of predicted against actual classes on a data set."
        ) { value, arguments in
            let model = try layer(value)
            let session = arguments.session
            let data = try arguments[data]
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

    /// The loss a `loss:` argument names, or the default for the kind of data.
    private static func loss(_ value: Value?, _ session: Session, classification: Bool) throws
        -> Loss
    {
        try value.map { try LossBindings.loss(from: $0, session: session) }
            ?? (classification ? .softmaxCrossEntropy() : .meanSquaredError)
    }

    /// Results as a dictionary: the loss first, then the metrics in the order asked, then any
    /// others by name.
    static func ordered(_ results: [String: Double], metrics: [Metric]) -> Value {
        var dictionary = DictionaryValue()
        var names = ["loss"] + metrics.map(\.name)
        names += results.keys.filter { !names.contains($0) }.sorted()
        for name in names {
            if let value = results[name] { dictionary[.string(name)] = .metric(value) }
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
