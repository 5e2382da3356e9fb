import Cell
import Data
import NN

/// The training options `fit` and `fineTune` share, read from a call's arguments in one place:
/// the data, batch size, loss (the data's default when omitted), validation set, metrics,
/// callbacks, augmentations, the History (recorded as the model's before training starts, so
/// `model.history` survives an interrupt) and the progress display.
///
/// ```swift
/// let shared = FitArguments.Parameters()
/// type.method("fit", parameters: [shared.data, epochs, shared.batchSize, …]) { model, arguments in
///     let options = try FitArguments(arguments, shared, model: model, records: records)
///     try model.fit(options.data, epochs: …, batchSize: options.batchSize, loss: options.loss, …)
/// }
/// ```
struct FitArguments {
    /// The declarations of the shared options; each binding lists them in its own signature
    /// order, between its own parameters.
    struct Parameters {
        let data = Param<Dataset>.positional("data")
        let batchSize = Param<Int>.labelled("batchSize", default: 32)
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
    }

    /// The training examples.
    let data: Dataset
    /// Examples per batch.
    let batchSize: Int
    /// The loss named by `loss:`, or softmax cross-entropy for classification and mean squared
    /// error for regression.
    let loss: Loss
    /// Data measured after each epoch.
    let validation: Dataset?
    /// The metrics asked for; nil for the library's default.
    let metrics: [Metric]?
    /// Run at batch and epoch boundaries.
    let callbacks: [any NN.Callback]
    /// Random transforms of every training batch.
    let augmentations: [Augmentation]
    /// The History to record into, already recorded as `model`'s.
    let history: History
    /// The progress display, nil when `verbose: false`.
    let display: (any TrainingDisplay)?

    /// Reads the shared options of a call on `model` and records its History in `records`.
    init(
        _ arguments: Arguments, _ p: Parameters, model: any Layer, records: TrainingRecords
    ) throws {
        let session = arguments.session
        data = try arguments[p.data]
        batchSize = try arguments[p.batchSize]
        loss =
            try arguments[p.loss].map { try LossBindings.loss(from: $0, session: session) }
            ?? (data.isClassification ? .softmaxCrossEntropy() : .meanSquaredError)
        validation = try arguments[p.validation]
        metrics = try MetricBindings.metrics(from: arguments[p.metrics], session: session)
        callbacks = try CallbackBindings.callbacks(from: arguments[p.callbacks], session: session)
        augmentations = try DatasetBindings.augmentations(from: arguments[p.augmentations])
        history = try arguments[p.history] ?? History()
        display = try TrainingDisplays.make(for: session, verbose: arguments[p.verbose])
        records.record(history, for: model)
    }
}
