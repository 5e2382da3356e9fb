/// What can go wrong in a study: each case carries what a person needs to fix it, and
/// `description` is the one place its text is written.
public enum TuneError: Error, Equatable, CustomStringConvertible {
    /// A distribution was declared with bounds, a step or options that cannot be sampled.
    case invalidDistribution(name: String, message: String)
    /// A parameter was asked for again with a different distribution than before.
    case conflictingDistribution(name: String, existing: String, requested: String)
    /// An argument (a number of trials, a seed, a reduction factor, …) is out of range.
    case invalidArgument(function: String, message: String)
    /// The objective returned the wrong number of values, or a non-finite one.
    case invalidObjectiveValue(trial: Int, message: String)
    /// The study has no trial in the state asked for (no complete trial for `best`).
    case noCompletedTrials
    /// A sampler or pruner does not support the study's objectives.
    case unsupported(component: String, message: String)
    /// A journal file could not be read, written or understood.
    case journal(path: String, message: String)
    /// A parameter was read from a trial record that does not have it, or with another type.
    case missingParameter(name: String, trial: Int)
    /// The study of a trial running in another process (a cluster rank) refused its request or
    /// could not be reached; the text says why.
    case remote(String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .invalidDistribution(let name, let message):
            return "parameter '\(name)': \(message)"
        case .conflictingDistribution(let name, let existing, let requested):
            return "parameter '\(name)' was declared as \(existing) and is now asked for as "
                + "\(requested); use one distribution per name (or a new name for the new range)"
        case .invalidArgument(let function, let message):
            return "\(function): \(message)"
        case .invalidObjectiveValue(let trial, let message):
            return "trial \(trial): \(message)"
        case .noCompletedTrials:
            return "the study has no completed trial yet; run study.optimize first"
        case .unsupported(let component, let message):
            return "\(component): \(message)"
        case .journal(let path, let message):
            return "journal \(path): \(message)"
        case .missingParameter(let name, let trial):
            return "trial \(trial) has no parameter '\(name)'"
        case .remote(let message):
            return message
        }
    }
}

/// Thrown by an objective to end its trial as pruned (stopped early), as Optuna's
/// `TrialPruned`: `if trial.shouldPrune { throw TrialPruned() }`.
public struct TrialPruned: Error, Equatable {
    /// A pruning signal.
    public init() {}
}
