/// Stops a trial whose best intermediate value so far is worse than the median of the complete
/// trials' values at the same step, as Optuna's `MedianPruner` (the median stopping rule of
/// Golovin et al., 2017, "Google Vizier: A Service for Black-Box Optimization").
///
/// Worked example (minimize, `warmupSteps: 1, startupTrials: 3`): three complete trials
/// reported 1.0, 2.0 and 3.0 at step 2, median 2.0. A trial that reported 4.0, 3.5, 2.5 at
/// steps 0–2 is stopped at step 2 (its best, 2.5, is worse than 2.0); one whose best is 1.5
/// goes on; at step 0 no trial stops (warm-up).
///
/// ```swift
/// let study = Study(direction: .maximize, pruner: .median(warmupSteps: 2))
/// ```
public struct MedianPruner: Pruner {
    /// Steps during which a trial is never stopped.
    public let warmupSteps: Int
    /// Complete trials needed before any trial is stopped.
    public let startupTrials: Int

    /// A median pruner.
    ///
    /// - Parameters:
    ///   - warmupSteps: No trial stops before reporting a step ≥ this.
    ///   - startupTrials: No trial stops until this many trials are complete.
    public init(warmupSteps: Int = 0, startupTrials: Int = 5) {
        self.warmupSteps = max(warmupSteps, 0)
        self.startupTrials = max(startupTrials, 0)
    }

    /// Single-objective only.
    public func validate(directions: [StudyDirection]) throws(TuneError) {
        guard directions.count == 1 else {
            throw .unsupported(
                component: "median pruner",
                message: "it compares one value; use .successiveHalving for several objectives")
        }
    }

    /// Whether the trial's best value so far is worse than the median at its latest step.
    public func shouldPrune(_ trial: TrialRecord, in history: StudyHistory) -> Bool {
        guard let step = trial.lastStep, step >= warmupSteps,
            let direction = history.directions.first
        else { return false }
        let complete = history.trials.filter { $0.state == .complete && $0.number != trial.number }
        guard complete.count >= max(startupTrials, 1) else { return false }
        let atStep = complete.compactMap { $0.intermediateValues[step]?.first }.filter {
            !$0.isNaN
        }
        guard !atStep.isEmpty else { return false }
        let losses = trial.intermediateValues.values.compactMap(\.first).map(direction.loss)
        guard let best = losses.filter({ !$0.isNaN }).min() else { return true }
        return best > median(atStep.map(direction.loss))
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

extension Pruner where Self == MedianPruner {
    /// The median stopping rule (see `MedianPruner`).
    public static func median(warmupSteps: Int = 0, startupTrials: Int = 5) -> MedianPruner {
        MedianPruner(warmupSteps: warmupSteps, startupTrials: startupTrials)
    }
}
