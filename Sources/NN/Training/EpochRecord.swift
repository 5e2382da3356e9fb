/// What one epoch of `fit` produced: its metrics for the training data and, prefixed `val_`,
/// for the validation data, how long its two phases took and the learning rate it ended with.
///
/// ```swift
/// let last = history.epochs.last
/// last?.metrics["val_accuracy"]       // 0.874
/// last?.trainingSeconds               // 0.41
/// ```
public struct EpochRecord: Sendable, Equatable, Codable {
    /// The epoch's index, from 0 (displays show it 1-based).
    public let epoch: Int
    /// The metrics by name: "loss", "accuracy", …, "val_loss", "val_accuracy", ….
    public let metrics: [String: Double]
    /// The metric names in display order (training first, then validation).
    public let metricNames: [String]
    /// Seconds spent training (forward, backward and updates over every batch).
    public let trainingSeconds: Double
    /// Seconds spent on the validation pass (0 without validation data).
    public let validationSeconds: Double
    /// The optimizer's learning rate at the end of the epoch.
    public let learningRate: Float
    /// The number of training examples seen.
    public let sampleCount: Int

    /// A record of the given values.
    public init(
        epoch: Int, metrics: [String: Double], metricNames: [String], trainingSeconds: Double,
        validationSeconds: Double, learningRate: Float, sampleCount: Int
    ) {
        self.epoch = epoch
        self.metrics = metrics
        self.metricNames = metricNames
        self.trainingSeconds = trainingSeconds
        self.validationSeconds = validationSeconds
        self.learningRate = learningRate
        self.sampleCount = sampleCount
    }

    /// Training plus validation seconds.
    public var seconds: Double { trainingSeconds + validationSeconds }

    /// The training throughput in examples per second.
    public var samplesPerSecond: Double {
        trainingSeconds > 0 ? Double(sampleCount) / trainingSeconds : 0
    }
}

/// How a `fit` ended, or that it is still running.
public enum TrainingOutcome: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Training is in progress.
    case running
    /// Every epoch asked for ran.
    case completed
    /// A callback (early stopping, for example) stopped training after `epoch` (0-based).
    case stopped(epoch: Int, reason: String)
    /// The interrupt check threw between two batches of `epoch`, before batch `batch` (both
    /// 0-based); the model keeps the updates made so far.
    case interrupted(epoch: Int, batch: Int)
    /// An error ended training during `epoch` (0-based); `message` is the error's text.
    case failed(epoch: Int, message: String)

    /// One line for displays: "completed", "stopped after epoch 7: …", "interrupted in epoch 3".
    public var description: String {
        switch self {
        case .running: return "running"
        case .completed: return "completed"
        case .stopped(let epoch, let reason): return "stopped after epoch \(epoch + 1): \(reason)"
        case .interrupted(let epoch, let batch):
            return "interrupted in epoch \(epoch + 1) before batch \(batch + 1)"
        case .failed(let epoch, let message): return "failed in epoch \(epoch + 1): \(message)"
        }
    }
}
