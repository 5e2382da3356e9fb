/// Code that runs at fixed points of `fit`: when training begins and ends, and at the
/// beginning and end of every epoch and batch, as Keras callbacks do. Every hook defaults to
/// doing nothing, so a callback writes only the ones it needs.
///
/// A callback reads the model, the optimizer, the History and the latest metrics through the
/// `TrainingContext`, and may stop training after the current epoch with
/// `context.requestStop(reason:)`. `onTrainEnd` runs however training ends — all epochs done,
/// a stop request, an interrupt or an error — so a callback can always clean up (early stopping
/// restores the best weights there).
///
/// ```swift
/// final class StopAtAccuracy: Callback {
///     func onEpochEnd(_ context: TrainingContext) throws {
///         if context.lastEpoch?.metrics["val_accuracy"] ?? 0 > 0.9 {
///             context.requestStop(reason: "reached 0.9")
///         }
///     }
/// }
/// ```
public protocol Callback: AnyObject {
    /// Training is about to start (after a resumed History is loaded).
    func onTrainBegin(_ context: TrainingContext) throws
    /// Epoch `context.epoch` is about to start.
    func onEpochBegin(_ context: TrainingContext) throws
    /// Batch `context.batch` of the epoch is about to be trained on.
    func onBatchBegin(_ context: TrainingContext) throws
    /// Batch `context.batch` was trained on; `context.lastBatch` holds the running metrics.
    func onBatchEnd(_ context: TrainingContext) throws
    /// Epoch `context.epoch` finished; `context.lastEpoch` holds its metrics.
    func onEpochEnd(_ context: TrainingContext) throws
    /// Training ended; `context.outcome` says how.
    func onTrainEnd(_ context: TrainingContext) throws
}

// MARK: - Default implementations

extension Callback {
    /// Does nothing.
    public func onTrainBegin(_ context: TrainingContext) throws {}
    /// Does nothing.
    public func onEpochBegin(_ context: TrainingContext) throws {}
    /// Does nothing.
    public func onBatchBegin(_ context: TrainingContext) throws {}
    /// Does nothing.
    public func onBatchEnd(_ context: TrainingContext) throws {}
    /// Does nothing.
    public func onEpochEnd(_ context: TrainingContext) throws {}
    /// Does nothing.
    public func onTrainEnd(_ context: TrainingContext) throws {}
}

/// Where a `fit` is and what it has done, as seen by callbacks; the one place a callback can
/// ask training to stop.
public final class TrainingContext {
    /// The model being trained.
    public let model: any Layer
    /// The optimizer updating it.
    public let optimizer: any Optimizer
    /// The History being filled.
    public let history: History
    /// The total number of epochs.
    public let epochs: Int
    /// Batches per epoch.
    public let batchesPerEpoch: Int
    /// The names of the metrics each epoch reports ("loss", "accuracy", "val_loss", …).
    public internal(set) var metricNames: [String] = []
    /// The current epoch, from 0.
    public internal(set) var epoch = 0
    /// The current batch within the epoch, from 0.
    public internal(set) var batch = 0
    /// The progress after the latest batch (nil before the first).
    public internal(set) var lastBatch: BatchProgress?
    /// The latest finished epoch (nil before the first).
    public internal(set) var lastEpoch: EpochRecord?
    /// How training ended (`.running` until `onTrainEnd`).
    public internal(set) var outcome: TrainingOutcome = .running
    /// The path of the latest checkpoint written by this fit, if any.
    public internal(set) var lastCheckpointPath: String?
    /// The reason given by the first callback that asked to stop, if any.
    public private(set) var stopReason: String?

    init(
        model: any Layer, optimizer: any Optimizer, history: History, epochs: Int,
        batchesPerEpoch: Int
    ) {
        self.model = model
        self.optimizer = optimizer
        self.history = history
        self.epochs = epochs
        self.batchesPerEpoch = batchesPerEpoch
    }

    /// Asks training to stop at the end of the current epoch (the first reason given is kept).
    public func requestStop(reason: String) {
        if stopReason == nil { stopReason = reason }
    }

    /// Whether a callback asked to stop.
    public var isStopRequested: Bool { stopReason != nil }
}
