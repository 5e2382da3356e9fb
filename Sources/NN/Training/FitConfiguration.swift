import Data
import Tensor

/// Everything a `fit` call was asked to do, checked once before training starts.
struct FitConfiguration {
    var epochs: Int
    var batchSize: Int
    var optimizer: any Optimizer
    var loss: Loss
    var validation: Dataset?
    var validationSplit: Double?
    var validationBatchSize: Int
    /// nil: accuracy for a classification set, nothing else for regression.
    var metrics: [Metric]?
    var callbacks: [any Callback]
    var shuffle: Bool
    var augmentations: [Augmentation]
    var gradientAccumulation: Int
    var schedule: (any LearningRateSchedule)?
    /// The metric a plateau schedule watches; nil: "val_loss" with validation, else "loss".
    var scheduleMonitor: String?
    var checkpoint: CheckpointPolicy?
    var resume: TrainingCheckpoint?
    var generator: RandomGenerator?
    var observer: (any TrainingObserver)?
    var checkInterrupt: (() throws -> Void)?
    /// The model distilled into the one trained (evaluation mode, no tape, never changed).
    var teacher: (any Layer)? = nil
    /// The distillation loss's settings; nil with a teacher: `.hinton()`.
    var distillation: Distillation? = nil
    /// Data-parallel training over the ranks of a cluster; nil trains this process alone.
    var distributed: DataParallel?

    /// Throws `invalidArgument` naming the first argument `fit` cannot take.
    func validate(for data: Dataset) throws {
        func fail(_ message: String) -> NNError {
            NNError.invalidArgument(function: "fit", message: message)
        }
        guard epochs >= 0 else { throw fail("epochs must be >= 0, got \(epochs)") }
        guard batchSize >= 1 else { throw fail("batchSize must be >= 1, got \(batchSize)") }
        guard validationBatchSize >= 1 else {
            throw fail("validationBatchSize must be >= 1, got \(validationBatchSize)")
        }
        guard gradientAccumulation >= 1 else {
            throw fail("gradientAccumulation must be >= 1, got \(gradientAccumulation)")
        }
        if let validationSplit {
            guard validation == nil else {
                throw fail("give either validation data or a validationSplit, not both")
            }
            guard validationSplit > 0, validationSplit < 1 else {
                throw fail(
                    "validationSplit must lie strictly between 0 and 1, got \(validationSplit)")
            }
        }
        if let resume, resume.epochsCompleted > epochs {
            throw fail(
                "the checkpoint has \(resume.epochsCompleted) finished epochs, more than the "
                    + "\(epochs) asked for (epochs counts from the start of the run)")
        }
        guard data.count > 0 else { throw fail("the training data set \(data.name) is empty") }
        for metric in resolvedMetrics(for: data) {
            try metric.validate()
            if metric.isClassification, !data.isClassification {
                throw fail(
                    "\(metric.name) needs a classification data set; \(data.name) is a regression set"
                )
            }
        }
    }

    /// Throws unless `name` is among the metrics the run reports.
    static func requireMonitored(_ name: String, in names: [String], by user: String) throws {
        guard names.contains(name) else {
            throw NNError.invalidArgument(
                function: user,
                message: "there is no metric '\(name)' to monitor (this fit reports "
                    + names.joined(separator: ", ") + ")")
        }
    }

    /// The metrics to measure on `data`.
    func resolvedMetrics(for data: Dataset) -> [Metric] {
        metrics ?? (data.isClassification ? [.accuracy] : [])
    }
}
