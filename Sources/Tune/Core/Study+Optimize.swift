/// The outcome of a whole `optimize` call.
public enum OptimizeOutcome: Sendable, Equatable {
    /// Every trial asked for ran.
    case finished
    /// The sampler had nothing left to try (a grid was exhausted).
    case exhausted
    /// `study.stop()` was called from an objective.
    case stopped
}

extension Study {
    /// Runs `trials` more trials of `objective`, one after the other.
    ///
    /// An objective that throws marks its trial failed with the error's text and the study goes
    /// on (`catch: false` rethrows instead). An interrupt (see `interruptHandling`: its check
    /// throws before a trial, or the objective throws an error it recognizes) marks the running
    /// trial interrupted and is rethrown: the finished trials stay, and a later `optimize`
    /// continues the study. Returning NaN fails the trial, as in Optuna.
    ///
    /// - Parameters:
    ///   - trials: How many trials to run (a grid may end the study sooner).
    ///   - catch: Whether an objective's error only fails its trial (true) or ends the study.
    ///   - objective: Asks the trial for parameters and returns the value(s) to optimize.
    @discardableResult
    public func optimize<Value: ObjectiveValue>(
        trials count: Int, catch catchErrors: Bool = true, _ objective: (Trial) throws -> Value
    ) throws -> OptimizeOutcome {
        guard count >= 0 else {
            throw TuneError.invalidArgument(
                function: "optimize", message: "trials must be ≥ 0, not \(count)")
        }
        try sampler.validate(directions: directions)
        try pruner.validate(directions: directions)
        isStopRequested = false
        for _ in 0..<count {
            try interruptHandling.check?()
            if sampler.isExhausted(history) { return .exhausted }
            let trial = try startTrial()
            let values: [Double]
            do {
                values = try objective(trial).objectiveValues
            } catch is TrialPruned {
                try finish(trial.number, state: .pruned, values: lastReported(trial.number))
                if isStopRequested { return .stopped }
                continue
            } catch {
                if interruptHandling.recognizes(error) {
                    try finish(trial.number, state: .interrupted, values: [])
                    throw error
                }
                try finish(trial.number, state: .failed("\(error)"), values: [])
                if !catchErrors { throw error }
                if isStopRequested { return .stopped }
                continue
            }
            try finishReturned(trial, values: values)
            if isStopRequested { return .stopped }
        }
        return .finished
    }

    /// Starts trial number `trials.count`, with the sampler's joint draw.
    func startTrial() throws(TuneError) -> Trial {
        let number = trials.count
        trials.append(TrialRecord(number: number))
        startTimes[number] = .now
        try emit(.trialStarted(number: number))
        do {
            let relative = try sampler.startTrial(number, history: history)
            return Trial(number: number, backend: self, relativeValues: relative)
        } catch {
            // A sampler's failure ends the trial it was starting; it never stays running.
            try finish(number, state: .failed(error.description), values: [])
            throw error
        }
    }

    func finishReturned(_ trial: Trial, values: [Double]) throws(TuneError) {
        if trial.isPruned {
            try finish(trial.number, state: .pruned, values: lastReported(trial.number))
            return
        }
        guard values.count == directions.count else {
            let message =
                "the objective returned \(values.count) value\(values.count == 1 ? "" : "s") "
                + "for a study with \(directions.count) direction\(directions.count == 1 ? "" : "s")"
            try finish(trial.number, state: .failed(message), values: [])
            throw .invalidObjectiveValue(trial: trial.number, message: message)
        }
        if let bad = values.first(where: { !$0.isFinite }) {
            try finish(trial.number, state: .failed("the objective returned \(bad)"), values: [])
            return
        }
        try finish(trial.number, state: .complete, values: values)
    }

    func finish(_ number: Int, state: TrialState, values: [Double]) throws(TuneError) {
        if let start = startTimes.removeValue(forKey: number) {
            let elapsed = (ContinuousClock.now - start).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
            trials[number].seconds = seconds
            try emit(.trialTimed(number: number, seconds: seconds))
        }
        trials[number].state = state
        trials[number].values = values
        try emit(.trialFinished(number: number, state: state, values: values))
    }

    /// The wall-clock seconds of every finished trial together (those whose duration is known):
    /// what the study has cost so far.
    public var seconds: Double { trials.compactMap(\.seconds).reduce(0, +) }

    func lastReported(_ number: Int) -> [Double] {
        let record = trials[number]
        return record.lastStep.flatMap { record.intermediateValues[$0] } ?? []
    }

    // MARK: - What a Trial forwards

    func suggest(_ name: String, _ distribution: Distribution, in trial: Trial)
        throws(TuneError) -> ParameterValue
    {
        let number = trial.number
        guard trials[number].state == .running else {
            throw .invalidArgument(
                function: "trial.\(name)",
                message: "trial \(number) has ended (\(trials[number].state.name)); ask for "
                    + "parameters inside the objective")
        }
        if let existing = trials[number].distributions[name] {
            guard existing == distribution else {
                throw .conflictingDistribution(
                    name: name, existing: existing.description,
                    requested: distribution.description)
            }
            if let value = trials[number].parameters[name] { return value }
        }
        try distribution.validate(name: name)
        if let earlier = declared[name], earlier != distribution {
            throw .conflictingDistribution(
                name: name, existing: earlier.description, requested: distribution.description)
        }
        let value: ParameterValue
        if let x = trial.relativeValues[name] {
            value = distribution.value(atInternal: x)
        } else if distribution.isSingle, let only = distribution.allValues?.first {
            value = only
        } else {
            value = try sampler.sample(name, distribution, trial: trials[number], history: history)
        }
        guard distribution.contains(value) else {
            throw .invalidDistribution(
                name: name, message: "the sampler chose \(value), outside \(distribution)")
        }
        setParameter(name, value, distribution, trial: number)
        try emit(
            .parameterSet(number: number, name: name, distribution: distribution, value: value))
        return value
    }

    func setParameter(
        _ name: String, _ value: ParameterValue, _ distribution: Distribution, trial number: Int
    ) {
        declared[name] = declared[name] ?? distribution
        trials[number].setParameter(name, value, distribution)
    }

    func report(_ values: [Double], step: Int, in trial: Trial) {
        guard trials[trial.number].state == .running else {
            warnings.append(
                "trial \(trial.number) has ended; its report at step \(step) is ignored")
            return
        }
        trials[trial.number].intermediateValues[step] = values
        do {
            try emit(.reported(number: trial.number, step: step, values: values))
        } catch {
            warnings.append("\(error)")
        }
    }

    func constrain(_ values: [Double], in trial: Trial) {
        guard trials[trial.number].state == .running else {
            warnings.append("trial \(trial.number) has ended; its constraints are ignored")
            return
        }
        trials[trial.number].constraints = values
        do {
            try emit(.constrained(number: trial.number, values: values))
        } catch {
            warnings.append("\(error)")
        }
    }

    func keep(_ object: Any, for number: Int) { kept[number] = object }

    /// Tells the observer and appends to the journal.
    func emit(_ event: StudyEvent) throws(TuneError) {
        observer?.observe(event, in: self)
        try storage?.append(event)
    }
}
