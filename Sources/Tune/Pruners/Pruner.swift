/// Decides whether a running trial should stop early ("trial pruning", as Optuna calls it)
/// from its intermediate values and those of the other trials.
///
/// Like samplers, pruners keep no state: the decision is a function of the history, so a study
/// reloaded from its journal decides as before.
public protocol Pruner: Sendable {
    /// Throws when the pruner cannot handle these objectives.
    func validate(directions: [StudyDirection]) throws(TuneError)
    /// Whether `trial` (running, with its latest report) should stop now.
    func shouldPrune(_ trial: TrialRecord, in history: StudyHistory) -> Bool
}

// MARK: - Default implementations

extension Pruner {
    /// Accepts any number of objectives.
    public func validate(directions: [StudyDirection]) throws(TuneError) {}
}

/// Never stops a trial early.
public struct NoPruner: Pruner {
    /// A pruner that never prunes.
    public init() {}

    /// Never.
    public func shouldPrune(_ trial: TrialRecord, in history: StudyHistory) -> Bool { false }
}

extension Pruner where Self == NoPruner {
    /// No trial pruning.
    public static var none: NoPruner { NoPruner() }
}
