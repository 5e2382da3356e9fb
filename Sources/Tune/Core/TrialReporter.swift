import NN

/// A `fit` callback that reports a metric to a trial after every epoch and, when the study's
/// pruner says so, stops training at the end of that epoch and marks the trial pruned — the
/// link between `fit` and trial pruning, as Optuna's Keras and Lightning pruning callbacks.
///
/// Epoch e (0-based) is reported as step e + 1, the epochs used so far, so that
/// `.hyperband(minResource: 1, maxResource: 9)` means "at least one epoch, at most nine".
/// The objective then returns normally; its trial ends pruned whatever it returns.
///
/// ```swift
/// try study.optimize(trials: 40) { trial in
///     let history = try model.fit(train, epochs: 9, optimizer: Adam(learningRate: rate),
///                                 validation: valid,
///                                 callbacks: [trial.reporting("val_accuracy")])
///     return history["val_accuracy"].last ?? 0
/// }
/// ```
public final class TrialReporter: Callback {
    /// The trial reported to.
    public let trial: Trial
    /// The metrics reported, one per objective.
    public let metrics: [String]
    /// The epoch after which training was stopped (nil if it was not).
    public private(set) var prunedEpoch: Int?

    /// A reporter of `metrics` (one per objective of the study) to `trial`.
    public init(trial: Trial, metrics: [String]) {
        self.trial = trial
        self.metrics = metrics
    }

    /// Checks that the metrics exist and match the study's objectives.
    public func onTrainBegin(_ context: TrainingContext) throws {
        let objectives = trial.objectiveCount
        guard metrics.count == objectives else {
            throw TuneError.invalidArgument(
                function: "trial.reporting",
                message: "report one metric per objective: \(objectives), not \(metrics.count)")
        }
        for metric in metrics where !context.metricNames.contains(metric) {
            throw TuneError.invalidArgument(
                function: "trial.reporting",
                message: "fit has no metric '\(metric)'; it has "
                    + context.metricNames.joined(separator: ", "))
        }
    }

    /// Reports the epoch's metrics and stops training when the trial should be pruned.
    public func onEpochEnd(_ context: TrainingContext) throws {
        guard let record = context.lastEpoch else { return }
        let values = metrics.map { record.metrics[$0] ?? .nan }
        trial.report(values, step: record.epoch + 1)
        if trial.shouldPrune {
            prunedEpoch = record.epoch
            context.requestStop(reason: "trial \(trial.number) pruned (stopped early)")
        }
    }
}

extension Trial {
    /// A `fit` callback reporting `metric` each epoch and stopping the trial early when the
    /// study's pruner says so (see `TrialReporter`).
    public func reporting(_ metric: String) -> TrialReporter {
        TrialReporter(trial: self, metrics: [metric])
    }

    /// A `fit` callback reporting one metric per objective (multi-objective trial pruning).
    public func reporting(_ metrics: [String]) -> TrialReporter {
        TrialReporter(trial: self, metrics: metrics)
    }
}
