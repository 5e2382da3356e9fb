import Cell
import NN
import Plot

/// `fit`'s progress in a cell: a bar with the epoch and batch, elapsed time and ETA, samples per
/// second and the running metrics, plus the metric curves from the second epoch on, drawn in
/// the session's `%progress` style and throttled to a few redraws a second.
///
/// Per batch it reads the clock once; only a batch that is due builds a `ProgressState`.
final class ProgressTrainingDisplay: TrainingDisplay {
    private let display: ProgressDisplay
    private var state = ProgressState(title: "Training")
    /// Metric names in display order, training ones first ("loss", "accuracy", "val_loss").
    private var metricNames: [String] = []
    /// The last finished epoch's metrics (validation values stay shown during the next epoch).
    private var lastEpoch: [String: Double] = [:]
    /// Training samples of the epochs finished in this call.
    private var finishedSamples = 0

    init(session: Session, verbosity: ProgressVerbosity) {
        display = ProgressDisplay(session: session, verbosity: verbosity)
    }

    /// Whether the display draws nothing at all (then `fit` needs no observer).
    var isSilent: Bool { display.isSilent }

    func observe(_ event: TrainingEvent) {
        switch event {
        case .began(let plan):
            metricNames = plan.metricNames
            state = ProgressState(
                title: "Training", epoch: plan.startEpoch + 1, epochCount: plan.epochs,
                stepCount: plan.batchesPerEpoch)
            state.epochEndWork = Self.validationWork(of: plan)
            display.report(state, event: .step, at: display.now())
        case .epochBegan(let epoch):
            state.epoch = epoch + 1
            state.step = 0
        case .batchEnded(let progress):
            guard let time = display.dueTime() else { return }
            state.step = progress.batch + 1
            state.stepCount = progress.batchCount
            state.elapsed = time
            state.samples = finishedSamples + progress.samplesSeen
            state.metrics = currentMetrics(running: progress.metrics)
            display.report(state, event: .step, at: time)
        case .epochEnded(let record):
            let time = display.now()
            lastEpoch = record.metrics
            finishedSamples += record.sampleCount
            let values = record.metricNames.compactMap { name in
                record.metrics[name].map { ProgressMetric(name, $0) }
            }
            state.finishEpoch(with: values, at: time)
            state.step = state.stepCount ?? state.step
            state.elapsed = time
            state.samples = finishedSamples
            state.metrics = values
            display.report(state, event: .epochEnded, at: time)
        case .ended(let outcome):
            state.elapsed = display.now()
            state.phase = Self.phase(of: outcome)
            display.report(state, event: .finished, at: state.elapsed)
        }
    }

    /// The running training metrics of this epoch, then the last epoch's validation metrics.
    private func currentMetrics(running: [String: Double]) -> [ProgressMetric] {
        metricNames.compactMap { name in
            let value = name.hasPrefix("val_") ? lastEpoch[name] : running[name]
            return value.map { ProgressMetric(name, $0) }
        }
    }

    /// Validation's share of an epoch's work, for the first estimates of the time left: a
    /// forward pass over each validation example, about a third of a training step's forward
    /// and backward pass per example.
    static func validationWork(of plan: TrainingPlan) -> Double {
        guard plan.validationSamples > 0, plan.samplesPerEpoch > 0 else { return 0 }
        return Double(plan.validationSamples) / Double(plan.samplesPerEpoch) / 3
    }

    /// How a display shows the way training ended.
    static func phase(of outcome: TrainingOutcome) -> ProgressPhase {
        switch outcome {
        case .running, .completed, .stopped: return .finished
        case .interrupted: return .interrupted
        case .failed(_, let message): return .failed(message)
        }
    }
}
