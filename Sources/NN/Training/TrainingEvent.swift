/// What `fit` tells its observer as it goes: the display layer turns these into a progress bar
/// with an ETA and a live metric curve (or a text bar for plain-text front ends).
///
/// Events arrive on the thread running `fit`, in order: `began`, then per epoch `epochBegan`,
/// one `batchEnded` per batch, `epochEnded`; and `ended` however training ends (even after an
/// interrupt or an error). An observer that draws should throttle `batchEnded` itself.
public enum TrainingEvent: Sendable {
    /// Training starts with this plan.
    case began(TrainingPlan)
    /// Epoch `epoch` (0-based) starts.
    case epochBegan(epoch: Int)
    /// A batch finished; the progress holds the epoch's running metrics.
    case batchEnded(BatchProgress)
    /// An epoch finished, with its training and validation metrics.
    case epochEnded(EpochRecord)
    /// Training ended.
    case ended(TrainingOutcome)
}

/// Receives `fit`'s progress events (see `TrainingEvent`).
///
/// ```swift
/// final class Printer: TrainingObserver {
///     func observe(_ event: TrainingEvent) {
///         if case .epochEnded(let record) = event { print(record.metrics) }
///     }
/// }
/// ```
public protocol TrainingObserver: AnyObject {
    /// Handles one event; called on the training thread, so it should return quickly.
    func observe(_ event: TrainingEvent)
}

/// What a `fit` is about to do: enough for a progress display to size its bar and its ETA.
public struct TrainingPlan: Sendable, Equatable {
    /// The total number of epochs (the last epoch index + 1).
    public let epochs: Int
    /// The first epoch to run (0, or later when resuming).
    public let startEpoch: Int
    /// Batches per epoch.
    public let batchesPerEpoch: Int
    /// Optimizer updates per epoch (fewer than batches with gradient accumulation).
    public let updatesPerEpoch: Int
    /// Training examples per epoch.
    public let samplesPerEpoch: Int
    /// Validation examples per epoch (0 without validation).
    public let validationSamples: Int
    /// Examples per batch.
    public let batchSize: Int
    /// The names the epoch records will carry, in display order.
    public let metricNames: [String]
    /// The loss function's name.
    public let lossName: String
    /// The optimizer's name.
    public let optimizerName: String
}

/// The state of an epoch after one of its batches: what a progress bar shows.
public struct BatchProgress: Sendable {
    /// The epoch, from 0.
    public let epoch: Int
    /// The batch just finished, from 0.
    public let batch: Int
    /// The number of batches in the epoch.
    public let batchCount: Int
    /// The examples seen so far in this epoch.
    public let samplesSeen: Int
    /// Seconds since the epoch started.
    public let elapsedSeconds: Double
    /// This batch's loss.
    public let batchLoss: Float
    /// The optimizer's learning rate.
    public let learningRate: Float
    let accumulator: MetricAccumulator

    /// The mean loss over the epoch's batches so far.
    public var runningLoss: Double { accumulator.meanLoss }

    /// The running loss and metrics by name ("loss", "accuracy", …).
    public var metrics: [String: Double] { accumulator.dictionary() }

    /// Training throughput so far.
    public var samplesPerSecond: Double {
        elapsedSeconds > 0 ? Double(samplesSeen) / elapsedSeconds : 0
    }

    /// The estimated seconds left in this epoch at the current throughput.
    public var epochSecondsRemaining: Double {
        let done = batch + 1
        guard done > 0, batchCount > done else { return 0 }
        return elapsedSeconds / Double(done) * Double(batchCount - done)
    }
}
