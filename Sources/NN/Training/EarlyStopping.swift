import Tensor

/// Stops training when a monitored metric has stopped improving, and optionally puts back the
/// weights of the best epoch — as Keras's `EarlyStopping` (Prechelt, 1998, "Early Stopping —
/// But When?").
///
/// After each epoch the monitored value is compared with the best so far: it improves when it
/// beats the best by more than `minDelta` in the direction of `mode`. Once `patience`
/// consecutive epochs have not improved (at least one), training stops at the end of that
/// epoch, as Keras counts it. With
/// `restoreBestWeights`, the parameters and buffers of the best epoch are restored when
/// training ends, however it ends: the stop, the last epoch, an interrupt or an error.
///
/// ```swift
/// let stop = EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)
/// try model.fit(data.train, epochs: 100, optimizer: opt, validation: data.test,
///               callbacks: [stop])
/// stop.bestEpoch       // 11
/// stop.stoppedEpoch    // 14
/// ```
public final class EarlyStopping: Callback {
    /// The metric watched ("val_loss", "val_accuracy", "loss", …).
    public let monitor: String
    /// Whether lower or higher is better; `.auto` decides from the name.
    public let mode: MonitorMode
    /// The least change that counts as an improvement.
    public let minDelta: Double
    /// Epochs without improvement tolerated before stopping.
    public let patience: Int
    /// Whether to put back the best epoch's weights at the end.
    public let restoreBestWeights: Bool
    /// A value the metric must beat before patience starts to count down, if any.
    public let baseline: Double?
    /// Epochs (from the start of training) before monitoring starts (a warm-up).
    public let startFromEpoch: Int

    /// The best value seen (nil before the first monitored epoch).
    public private(set) var bestValue: Double?
    /// The epoch (0-based) of the best value.
    public private(set) var bestEpoch: Int?
    /// The epoch after which this callback stopped training (nil if it did not).
    public private(set) var stoppedEpoch: Int?
    /// Consecutive epochs without improvement.
    public private(set) var epochsWithoutImprovement = 0
    /// The epoch whose weights were restored at the end (nil if none were).
    public private(set) var restoredEpoch: Int?
    private var bestWeights: ModelSnapshot?

    /// An early-stopping callback with Keras's defaults.
    ///
    /// - Parameters:
    ///   - monitor: The metric to watch.
    ///   - mode: `.min`, `.max`, or `.auto` (max for accuracies and F1, min otherwise).
    ///   - minDelta: The least change that counts as an improvement (absolute).
    ///   - patience: Epochs without improvement before stopping (0 and 1 stop at the first).
    ///   - restoreBestWeights: Put back the best epoch's weights when training ends.
    ///   - baseline: A value to beat before patience counts down.
    ///   - startFromEpoch: Epochs to wait before monitoring.
    public init(
        monitor: String = "val_loss", mode: MonitorMode = .auto, minDelta: Double = 0,
        patience: Int = 0, restoreBestWeights: Bool = false, baseline: Double? = nil,
        startFromEpoch: Int = 0
    ) {
        self.monitor = monitor
        self.mode = mode.resolved(for: monitor)
        self.minDelta = Swift.abs(minDelta)
        self.patience = Swift.max(patience, 0)
        self.restoreBestWeights = restoreBestWeights
        self.baseline = baseline
        self.startFromEpoch = Swift.max(startFromEpoch, 0)
    }

    /// Checks that the metric exists and forgets any earlier run.
    public func onTrainBegin(_ context: TrainingContext) throws {
        try FitConfiguration.requireMonitored(
            monitor, in: context.metricNames, by: "EarlyStopping")
        bestValue = nil
        bestEpoch = nil
        stoppedEpoch = nil
        epochsWithoutImprovement = 0
        restoredEpoch = nil
        bestWeights = nil
    }

    /// Compares the epoch's value with the best and stops after `patience` epochs without
    /// improvement.
    public func onEpochEnd(_ context: TrainingContext) throws {
        guard let record = context.lastEpoch, record.epoch >= startFromEpoch,
            let value = record.metrics[monitor], !value.isNaN
        else { return }
        epochsWithoutImprovement += 1
        if bestValue.map({ mode.improves(value, on: $0, minDelta: minDelta) }) ?? true {
            bestValue = value
            bestEpoch = record.epoch
            if restoreBestWeights { bestWeights = ModelSnapshot(of: context.model) }
            // Patience restarts only once the baseline is beaten too.
            if baseline.map({ mode.improves(value, on: $0, minDelta: 0) }) ?? true {
                epochsWithoutImprovement = 0
            }
            return
        }
        guard epochsWithoutImprovement >= patience else { return }
        stoppedEpoch = record.epoch
        let best = bestEpoch.map { ", best epoch \($0 + 1)" } ?? ""
        context.requestStop(
            reason: "\(monitor) did not improve for \(epochsWithoutImprovement) "
                + "epoch\(epochsWithoutImprovement == 1 ? "" : "s")\(best)")
    }

    /// The saved best weights by name, for a checkpoint.
    var bestWeightsForCheckpoint: [String: Tensor]? { bestWeights?.stateDict }

    /// Takes back the state of a checkpoint.
    func restoreState(
        bestValue: Double?, bestEpoch: Int?, stoppedEpoch: Int?, epochsWithoutImprovement: Int,
        bestWeights: ModelSnapshot?
    ) {
        self.bestValue = bestValue
        self.bestEpoch = bestEpoch
        self.stoppedEpoch = stoppedEpoch
        self.epochsWithoutImprovement = epochsWithoutImprovement
        self.bestWeights = bestWeights
    }

    /// Restores the best epoch's weights, unless the model already has them.
    public func onTrainEnd(_ context: TrainingContext) throws {
        guard restoreBestWeights, let bestWeights, let bestEpoch else { return }
        let finishedLast = context.history.epochs.last?.epoch == bestEpoch
        let trainedAfter: Bool
        switch context.outcome {
        case .interrupted, .failed: trainedAfter = true
        default: trainedAfter = !finishedLast
        }
        guard trainedAfter else { return }
        try bestWeights.restore()
        restoredEpoch = bestEpoch
    }
}

/// Stops training as soon as a batch's loss is NaN or infinite, as Keras's `TerminateOnNaN`
/// (the model keeps the weights of that batch's update; pair it with early stopping's
/// `restoreBestWeights` to go back further).
///
/// ```swift
/// try model.fit(data, optimizer: opt, callbacks: [TerminateOnNaN()])
/// ```
public final class TerminateOnNaN: Callback {
    /// A callback that stops on a non-finite batch loss.
    public init() {}

    /// Throws `NNError.invalidArgument` naming the batch when its loss is not finite.
    public func onBatchEnd(_ context: TrainingContext) throws {
        guard let progress = context.lastBatch, !progress.batchLoss.isFinite else { return }
        throw NNError.invalidArgument(
            function: "TerminateOnNaN",
            message: "the loss of batch \(progress.batch + 1) in epoch \(progress.epoch + 1) is "
                + "\(progress.batchLoss); lower the learning rate or check the data")
    }
}
