/// One run of the objective: the handle through which it asks for parameters, reports
/// intermediate values and learns whether to stop early.
///
/// Asking for a name a second time in the same trial returns the same value; asking with a
/// different distribution than any earlier trial used for that name is an error
/// (`TuneError.conflictingDistribution`). A parameter asked only in some branches (a
/// conditional parameter) is simply absent from the other trials.
///
/// ```swift
/// try study.optimize(trials: 40) { trial in
///     let rate = try trial.logUniform("learningRate", 1e-4...1e-1)
///     let layers = try trial.int("layers", 1...3)
///     for epoch in 0..<9 {
///         let accuracy = train(rate, layers, epoch)
///         trial.report(accuracy, step: epoch)
///         if trial.shouldPrune { throw TrialPruned() }
///     }
///     return accuracy
/// }
/// ```
public final class Trial {
    /// The trial's number in the study, from 0.
    public let number: Int
    /// Where the trial's questions go: its study, or a study in another process (a cluster
    /// rank's trial asks the kernel's study, see `RemoteTrialBackend`).
    let backend: any TrialBackend
    /// Values chosen jointly by the sampler when the trial started (internal coordinates).
    let relativeValues: [String: Double]
    /// Set once `shouldPrune` answered true: the trial ends as pruned however the objective ends.
    public private(set) var isPruned = false

    init(number: Int, backend: any TrialBackend, relativeValues: [String: Double]) {
        self.number = number
        self.backend = backend
        self.relativeValues = relativeValues
    }

    /// The study the trial belongs to, when it runs in the study's own process.
    var study: Study? { backend as? Study }

    /// The trial's record as it stands.
    public var record: TrialRecord { backend.record(number) }

    /// How many values the objective returns (the study's directions).
    public var objectiveCount: Int { backend.objectiveCount }

    /// The parameters asked for so far.
    public var parameters: [String: ParameterValue] { record.parameters }

    // MARK: - Parameters

    /// A float drawn uniformly from `range`.
    public func uniform(_ name: String, _ range: ClosedRange<Double>) throws(TuneError) -> Double {
        try suggest(name, .float(range, log: false)).doubleValue ?? range.lowerBound
    }

    /// A float drawn log-uniformly from `range` (a positive range): each decade is as likely.
    public func logUniform(_ name: String, _ range: ClosedRange<Double>) throws(TuneError)
        -> Double
    {
        try suggest(name, .float(range, log: true)).doubleValue ?? range.lowerBound
    }

    /// An integer from `range`, on the grid `low, low + step, …` (`step` > 1), or log-uniform
    /// (`log`, step 1).
    ///
    /// ```swift
    /// let units = try trial.int("units", 32...256, step: 32)   // 32, 64, …, 256
    /// ```
    public func int(_ name: String, _ range: ClosedRange<Int>, step: Int = 1, log: Bool = false)
        throws(TuneError) -> Int
    {
        try suggest(name, .int(range, step: step, log: log)).intValue ?? range.lowerBound
    }

    /// One of `options` (numbers, strings or booleans), every option equally likely a priori.
    ///
    /// ```swift
    /// let units = try trial.choice("units", [32, 64, 128])
    /// let activation = try trial.choice("activation", ["relu", "gelu"])
    /// ```
    public func choice<Option: ParameterOption>(_ name: String, _ options: [Option])
        throws(TuneError) -> Option
    {
        let value = try suggest(name, .choice(options.map(\.parameterValue)))
        guard let option = Option(parameterValue: value) else {
            throw .missingParameter(name: name, trial: number)
        }
        return option
    }

    /// The value of `name` under `distribution`: the one already chosen in this trial, or a
    /// new one from the study's sampler.
    public func suggest(_ name: String, _ distribution: Distribution) throws(TuneError)
        -> ParameterValue
    {
        try backend.suggest(name, distribution, in: self)
    }

    // MARK: - Intermediate values and trial pruning

    /// Records an intermediate value (a validation metric after an epoch) at `step`.
    public func report(_ value: Double, step: Int) {
        backend.report([value], step: step, in: self)
    }

    /// Records one intermediate value per objective at `step` (multi-objective pruning).
    public func report(_ values: [Double], step: Int) {
        backend.report(values, step: step, in: self)
    }

    /// Whether the study's pruner would stop this trial now, given its reports so far. Once
    /// true, the trial ends as pruned whatever the objective then returns (returning early or
    /// throwing `TrialPruned` both work).
    public var shouldPrune: Bool {
        if isPruned { return true }
        isPruned = backend.shouldPrune(self)
        return isPruned
    }

    // MARK: - Constraints and results

    /// Records constraint values: each ≤ 0 means satisfied. Samplers that honour constraints
    /// (TPE, GP, NSGA-II) steer towards feasible trials; `best` prefers feasible ones.
    public func constrain(_ values: Double...) { constrain(values) }

    /// Records constraint values from an array.
    public func constrain(_ values: [Double]) { backend.constrain(values, in: self) }

    /// Keeps an object (the trained model) with the trial: `study.best.model` returns it.
    /// Objects stay in memory only; they are not written to the journal.
    public func keep(_ object: Any) { backend.keep(object, for: number) }
}

/// A type `choice` can offer: Double, Int, String, Bool or `ParameterValue`.
public protocol ParameterOption {
    /// The option as a parameter value.
    var parameterValue: ParameterValue { get }
    /// The option back from a parameter value, nil if it has another type.
    init?(parameterValue: ParameterValue)
}

extension Double: ParameterOption {
    /// The double.
    public var parameterValue: ParameterValue { .double(self) }
    /// The number as a double.
    public init?(parameterValue: ParameterValue) {
        guard let value = parameterValue.doubleValue else { return nil }
        self = value
    }
}

extension Int: ParameterOption {
    /// The integer.
    public var parameterValue: ParameterValue { .int(self) }
    /// The integer, if the value is one.
    public init?(parameterValue: ParameterValue) {
        guard let value = parameterValue.intValue else { return nil }
        self = value
    }
}

extension String: ParameterOption {
    /// The string.
    public var parameterValue: ParameterValue { .string(self) }
    /// The string, if the value is one.
    public init?(parameterValue: ParameterValue) {
        guard let value = parameterValue.stringValue else { return nil }
        self = value
    }
}

extension Bool: ParameterOption {
    /// The boolean.
    public var parameterValue: ParameterValue { .bool(self) }
    /// The boolean, if the value is one.
    public init?(parameterValue: ParameterValue) {
        guard let value = parameterValue.boolValue else { return nil }
        self = value
    }
}

extension ParameterValue: ParameterOption {
    /// Itself.
    public var parameterValue: ParameterValue { self }
    /// Itself.
    public init?(parameterValue: ParameterValue) { self = parameterValue }
}
