/// What a `Trial` asks of the study it belongs to: a parameter, a report, whether to stop
/// early. A `Study` answers for the trials it runs itself; a `RemoteTrialBackend` forwards the
/// questions of a trial running in another process (a cluster rank) to the study that owns it,
/// whose sampler and pruner answer them.
protocol TrialBackend: AnyObject {
    /// How many values an objective returns (the study's directions).
    var objectiveCount: Int { get }
    /// The record of trial `number` as it stands.
    func record(_ number: Int) -> TrialRecord
    /// The value of `name` under `distribution` in `trial`.
    func suggest(_ name: String, _ distribution: Distribution, in trial: Trial)
        throws(TuneError) -> ParameterValue
    /// Records intermediate values of `trial` at `step`.
    func report(_ values: [Double], step: Int, in trial: Trial)
    /// Whether the pruner stops `trial` now.
    func shouldPrune(_ trial: Trial) -> Bool
    /// Records constraint values of `trial`.
    func constrain(_ values: [Double], in trial: Trial)
    /// Keeps an object with trial `number`.
    func keep(_ object: Any, for number: Int)
}

extension Study: TrialBackend {
    var objectiveCount: Int { directions.count }

    func shouldPrune(_ trial: Trial) -> Bool {
        pruner.shouldPrune(record(trial.number), in: history)
    }
}
