/// What samplers and pruners read: the study's directions and every trial so far (running ones
/// included, for the constant liar), in trial order.
public struct StudyHistory: Sendable {
    /// One direction per objective.
    public let directions: [StudyDirection]
    /// The trials, indexed by number.
    public let trials: [TrialRecord]

    /// A history of the given trials.
    public init(directions: [StudyDirection], trials: [TrialRecord]) {
        self.directions = directions
        self.trials = trials
    }

    /// The complete trials.
    public var completeTrials: [TrialRecord] { trials.filter { $0.state == .complete } }

    /// How many trials are complete (without copying them).
    public var completeTrialCount: Int { trials.reduce(0) { $0 + ($1.state == .complete ? 1 : 0) } }

    /// How many trials are complete or pruned: the trials that tell a sampler something, as
    /// Optuna's TPE counts them against its start-up trials.
    public var finishedTrialCount: Int {
        trials.reduce(0) { $0 + ($1.state == .complete || $1.state == .pruned ? 1 : 0) }
    }

    /// The objective values of a trial as losses (smaller is better in every objective).
    public func losses(_ values: [Double]) -> [Double] {
        zip(directions, values).map { $0.loss($1) }
    }

    /// The parameters that every complete trial (and pruned one, with `includingPruned`) has,
    /// with one distribution each: the space a multivariate sampler draws jointly (Optuna's
    /// intersection search space; its TPE includes the pruned trials). Sorted by name.
    public func intersectionSearchSpace(includingPruned: Bool = false) -> [(
        name: String, distribution: Distribution
    )] {
        var space: [(name: String, distribution: Distribution)]?
        for trial in trials
        where trial.state == .complete || (includingPruned && trial.state == .pruned) {
            guard let current = space else {
                space = trial.distributions.filter { !$0.value.isSingle }
                    .sorted { $0.key < $1.key }.map { (name: $0.key, distribution: $0.value) }
                continue
            }
            if current.isEmpty { break }
            // One scan per name; the list is rebuilt only when a trial lacks one.
            if !current.allSatisfy({ trial.distribution(of: $0.name) == $0.distribution }) {
                space = current.filter { trial.distribution(of: $0.name) == $0.distribution }
            }
        }
        return space ?? []
    }
}
