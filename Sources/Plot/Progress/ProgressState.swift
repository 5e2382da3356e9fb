/// A snapshot of a long-running job (training, evaluation, a search, a pruning schedule) that
/// the progress displays render: where it is, how fast it goes, its current metrics and, per
/// finished epoch, the history that feeds the live curves.
///
/// The caller owns the clock and fills in `elapsed`; Plot keeps no time of its own.
///
/// ```swift
/// var state = ProgressState(title: "Training", epoch: 1, epochCount: 10, stepCount: 469)
/// state.step = 120
/// state.elapsed = 4.2
/// state.samples = 15_360
/// state.metrics = [ProgressMetric("loss", 0.412), ProgressMetric("accuracy", 0.861)]
/// print(state.line(width: 80))
/// ```
public struct ProgressState: Sendable, Hashable {
    /// What runs, e.g. "Training" or "Evaluating"; nil for none.
    public var title: String?
    /// Whether the job runs, finished, or stopped early.
    public var phase: ProgressPhase
    /// The current epoch, from 1; nil for jobs without epochs.
    public var epoch: Int?
    /// The number of epochs, if known.
    public var epochCount: Int?
    /// Steps done in the current epoch (batches, trials, items).
    public var step: Int
    /// Steps per epoch (or in all, without epochs), if known.
    public var stepCount: Int?
    /// What a step is called in the text: "batch", "trial", ….
    public var stepName: String
    /// Seconds since the job started.
    public var elapsed: Double
    /// Samples processed since the job started, for the samples-per-second rate; 0 for none.
    public var samples: Int
    /// The current values, in display order (running averages of this epoch, and validation
    /// metrics of the last epoch).
    public var metrics: [ProgressMetric]
    /// One value per finished epoch for each metric, in display order: the live curves.
    public var history: [MetricHistory]
    /// Work done at the end of each epoch beyond its steps (validation), as a fraction of the
    /// epoch's steps: 0.1 when it takes a tenth of their time. Feeds the estimate until the
    /// first epoch has been timed whole.
    public var epochEndWork: Double
    /// `elapsed` at the end of each epoch finished in this job.
    public var epochEndTimes: [Double]

    /// Creates a state at the start of a job.
    ///
    /// - Parameters:
    ///   - title: what runs.
    ///   - epoch: the current epoch, from 1, or nil.
    ///   - epochCount: the number of epochs, or nil.
    ///   - stepCount: steps per epoch, or nil when unknown.
    ///   - stepName: what a step is called (default "batch").
    public init(
        title: String? = nil, epoch: Int? = nil, epochCount: Int? = nil, stepCount: Int? = nil,
        stepName: String = "batch"
    ) {
        self.title = title
        self.phase = .running
        self.epoch = epoch
        self.epochCount = epochCount
        self.step = 0
        self.stepCount = stepCount
        self.stepName = stepName
        self.elapsed = 0
        self.samples = 0
        self.metrics = []
        self.history = []
        self.epochEndWork = 0
        self.epochEndTimes = []
    }

    /// The part of the whole job done, 0…1, or nil when the totals are unknown.
    public var fractionDone: Double? {
        guard let stepCount, stepCount > 0 else { return nil }
        let stepFraction = min(max(Double(step) / Double(stepCount), 0), 1)
        guard let epoch, let epochCount, epochCount > 0 else { return stepFraction }
        let epochsDone = Double(min(max(epoch - 1, 0), epochCount))
        return min((epochsDone + stepFraction) / Double(epochCount), 1)
    }

    /// Estimated seconds left; nil before any progress or when unknown.
    ///
    /// Once an epoch has finished, from the measured time of whole epochs (steps, validation
    /// and all): epochs left times the mean epoch, less the time already spent in the current
    /// one. Before that, from the pace of the steps, plus `epochEndWork` for each epoch's end
    /// still to come, so that validation does not make the first estimates too low.
    public var remaining: Double? {
        guard phase == .running, let fraction = fractionDone, fraction > 0, elapsed.isFinite
        else { return nil }
        guard let epoch, let epochCount, epochCount > 0, let stepCount, stepCount > 0 else {
            return max(elapsed * (1 - fraction) / fraction, 0)
        }
        let epochsLeft = Double(max(epochCount - epoch + 1, 0))
        if let lastEnd = epochEndTimes.last, lastEnd > 0 {
            let perEpoch = lastEnd / Double(epochEndTimes.count)
            // Just after an epoch ended, `epoch` still names it: none of it is left.
            let left = step >= stepCount && elapsed <= lastEnd ? epochsLeft - 1 : epochsLeft
            return max(perEpoch * left - max(elapsed - lastEnd, 0), 0)
        }
        // Seconds per epoch's worth of steps, from the steps done so far.
        let epochOfSteps = elapsed / (fraction * Double(epochCount))
        let stepsLeft = Double(epochCount) * (1 - fraction)
        return max(epochOfSteps * (stepsLeft + max(epochEndWork, 0) * epochsLeft), 0)
    }

    /// Samples per second so far, or nil without samples or time.
    public var samplesPerSecond: Double? {
        guard samples > 0, elapsed > 0, elapsed.isFinite else { return nil }
        return Double(samples) / elapsed
    }

    /// Records the end of an epoch: appends each metric's value to its history (creating the
    /// history on first sight, keeping display order).
    ///
    /// - Parameters:
    ///   - values: the epoch's final metrics, e.g. loss, accuracy, val_loss.
    ///   - time: `elapsed` at the end of the epoch, for the estimate of the time left (nil: not
    ///     timed).
    public mutating func finishEpoch(with values: [ProgressMetric], at time: Double? = nil) {
        if let time, time.isFinite { epochEndTimes.append(time) }
        for value in values {
            if let index = history.firstIndex(where: { $0.name == value.name }) {
                history[index].values.append(value.value)
            } else {
                history.append(MetricHistory(name: value.name, values: [value.value]))
            }
        }
    }
}

/// Where a job is.
public enum ProgressPhase: Sendable, Hashable {
    /// Still running.
    case running
    /// Ran to the end.
    case finished
    /// Stopped by the user (an interrupt); the display keeps the last state.
    case interrupted
    /// Stopped by an error, with its one-line message.
    case failed(String)
}

/// A named value shown in a progress display.
public struct ProgressMetric: Sendable, Hashable {
    /// The metric's name, e.g. "loss" or "val_accuracy".
    public var name: String
    /// Its value.
    public var value: Double

    /// Creates a metric value.
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}

/// One metric's value at the end of each finished epoch.
public struct MetricHistory: Sendable, Hashable {
    /// The metric's name.
    public var name: String
    /// One value per epoch, first epoch first.
    public var values: [Double]

    /// Creates a history.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}
