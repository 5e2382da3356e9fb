/// What a study knows about one trial: its parameters, values, reports and state. A value type:
/// `study.trials` hands out copies.
///
/// ```swift
/// for record in study.trials where record.state == .pruned {
///     print(record.number, record.lastStep ?? 0, record.parameters)
/// }
/// ```
public struct TrialRecord: Sendable, Equatable {
    /// The trial's number in the study, from 0.
    public let number: Int
    /// Where the trial is.
    public internal(set) var state: TrialState
    /// The objective values (one per direction) of a complete trial; the last reported values of
    /// a pruned one; empty otherwise.
    public internal(set) var values: [Double]
    /// The parameters by name.
    public internal(set) var parameters: [String: ParameterValue]
    /// The distributions the parameters were drawn from.
    public internal(set) var distributions: [String: Distribution]
    /// The parameter names in the order the objective asked for them.
    public internal(set) var parameterOrder: [String]
    /// Intermediate values by step (one value per direction), from `trial.report`.
    public internal(set) var intermediateValues: [Int: [Double]]
    /// The constraint values given by `trial.constrain` (≤ 0 is feasible), empty if none.
    public internal(set) var constraints: [Double]
    /// The wall-clock seconds from the trial's start to its end (nil while it runs, and for
    /// trials of a journal written before durations were recorded).
    public internal(set) var seconds: Double?
    /// Where the trial ran when not in the study's own process: "rank 1" for a trial of
    /// `study.optimize(trials:on: cluster)`; nil otherwise.
    public internal(set) var worker: String?
    /// The distribution and internal coordinate of each parameter, in `parameterOrder`: what
    /// samplers read for every trial, found without hashing the names.
    var orderedDistributions: [Distribution]
    var coordinates: [Double?]

    /// Two records are equal when they describe the same trial — number, state, values,
    /// parameters, reports and constraints; their wall-clock durations are not compared, so a
    /// study repeated with the same seed has equal trials.
    public static func == (a: TrialRecord, b: TrialRecord) -> Bool {
        a.number == b.number && a.state == b.state && a.values == b.values
            && a.parameters == b.parameters && a.distributions == b.distributions
            && a.parameterOrder == b.parameterOrder && a.intermediateValues == b.intermediateValues
            && a.constraints == b.constraints && a.worker == b.worker
    }

    init(number: Int) {
        self.number = number
        state = .running
        values = []
        parameters = [:]
        distributions = [:]
        parameterOrder = []
        intermediateValues = [:]
        constraints = []
        seconds = nil
        worker = nil
        orderedDistributions = []
        coordinates = []
    }

    /// Records a parameter (asked once per trial).
    mutating func setParameter(
        _ name: String, _ value: ParameterValue, _ distribution: Distribution
    ) {
        distributions[name] = distribution
        parameters[name] = value
        parameterOrder.append(name)
        orderedDistributions.append(distribution)
        coordinates.append(distribution.internalValue(of: value))
    }

    /// The position of `name` in `parameterOrder`, by comparing names (a few parameters: no
    /// hashing), or nil.
    func position(of name: String) -> Int? {
        guard coordinates.count == parameterOrder.count else { return nil }
        return parameterOrder.firstIndex(of: name)
    }

    /// The distribution a parameter was drawn from, if the trial has it.
    func distribution(of name: String) -> Distribution? {
        position(of: name).map { orderedDistributions[$0] } ?? distributions[name]
    }

    /// The single objective value (the first, for multi-objective studies), if any.
    public var value: Double? { values.first }

    /// Whether every constraint is ≤ 0 (true without constraints).
    public var isFeasible: Bool { constraints.allSatisfy { $0 <= 0 } }

    /// The summed violation of the constraints (0 when feasible).
    public var constraintViolation: Double { constraints.reduce(0) { $0 + max($1, 0) } }

    /// The reported steps in increasing order.
    public var steps: [Int] { intermediateValues.keys.sorted() }

    /// The last step reported, if any.
    public var lastStep: Int? { intermediateValues.keys.max() }

    /// How many steps (epochs) the trial reported: its cost in the study's budget.
    public var stepCount: Int { intermediateValues.count }

    /// The internal coordinate of a parameter (see `Distribution`), if the trial has it.
    func internalValue(_ name: String) -> Double? {
        if let position = position(of: name) { return coordinates[position] }
        guard let value = parameters[name], let distribution = distributions[name] else {
            return nil
        }
        return distribution.internalValue(of: value)
    }
}
