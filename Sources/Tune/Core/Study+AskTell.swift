/// The study driven from outside (Optuna's ask-and-tell interface): for trials that run
/// concurrently elsewhere, each on a cluster rank, while the study, its sampler, its pruner and
/// its journal stay here. The remote trial's questions arrive as `TrialRequest`s.
///
/// ```swift
/// try study.prepareToAsk()
/// let trial = try study.ask(worker: "rank 1")
/// // … the rank's trial asks; each request is answered here:
/// let answer = study.answer(.suggest(trial: trial.number, name: "x", distribution: .float(0...1, log: false)), for: trial)
/// // … until it sends .finish(trial:values:), or its rank dies:
/// try study.tell(trial, failed: "rank 1 died")
/// ```
extension Study {
    /// Checks that the sampler and pruner handle the study's objectives, and forgets an
    /// earlier `stop()`: what `optimize` does before its first trial.
    public func prepareToAsk() throws(TuneError) {
        try sampler.validate(directions: directions)
        try pruner.validate(directions: directions)
        isStopRequested = false
    }

    /// Whether another trial may start: the sampler has something left (a grid) and no
    /// objective called `stop()`.
    public var canAsk: Bool { !sampler.isExhausted(history) && !isStopRequested }

    /// Whether an objective called `stop()` since `prepareToAsk`.
    public var stopRequested: Bool { isStopRequested }

    /// Starts the next trial, run by `worker` (recorded in its record and the journal).
    public func ask(worker: String? = nil) throws(TuneError) -> Trial {
        let trial = try startTrial()
        if let worker {
            trials[trial.number].worker = worker
            try emit(.trialWorker(number: trial.number, worker: worker))
        }
        return trial
    }

    /// Answers a remote trial's request by asking `trial` (this study's own trial of that
    /// number) exactly as an objective in this process would. A `finish` ends the trial as
    /// `optimize` would end it for that return value.
    public func answer(_ request: TrialRequest, for trial: Trial) -> TrialAnswer {
        guard request.trial == trial.number else {
            return .refused("the request is for trial \(request.trial), not \(trial.number)")
        }
        do throws(TuneError) {
            switch request {
            case .suggest(_, let name, let distribution):
                return .value(try trial.suggest(name, distribution))
            case .report(_, let step, let values):
                trial.report(values, step: step)
                return .done
            case .shouldPrune:
                return .prune(trial.shouldPrune)
            case .constrain(_, let values):
                trial.constrain(values)
                return .done
            case .finish(_, let values):
                guard trials[trial.number].state == .running else {
                    return .refused("trial \(trial.number) has already ended")
                }
                try finishReturned(trial, values: values)
                return .done
            }
        } catch {
            return .refused(error.description)
        }
    }

    /// Ends a running trial as failed with `message` (its objective threw, its worker died).
    public func tell(_ trial: Trial, failed message: String) throws(TuneError) {
        guard trials[trial.number].state == .running else { return }
        try finish(trial.number, state: trial.isPruned ? .pruned : .failed(message), values: [])
    }

    /// Ends a running trial as interrupted (the user stopped the study while it ran).
    public func tellInterrupted(_ trial: Trial) throws(TuneError) {
        guard trials[trial.number].state == .running else { return }
        try finish(trial.number, state: .interrupted, values: [])
    }
}
