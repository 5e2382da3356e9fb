/// Tries every combination of the given values exactly once, in a fixed order: parameter names
/// sorted alphabetically, the first name varying slowest and the last fastest (as nested loops
/// in name order), each name's values in the order given. The study ends when the grid is
/// exhausted. A failed or interrupted trial's combination is tried again by the next trial.
///
/// ```swift
/// let study = Study(sampler: .grid(["units": [64, 128], "dropout": [0.0, 0.5]]))
/// // trials: dropout 0.0/units 64, 0.0/128, 0.5/64, 0.5/128
/// ```
public struct GridSampler: Sampler {
    /// The values of each parameter.
    public let grid: [String: [ParameterValue]]
    /// The names in grid order.
    public let names: [String]

    /// A grid over the given values.
    public init(_ grid: [String: [ParameterValue]]) {
        self.grid = grid
        names = grid.keys.sorted()
    }

    /// The number of combinations.
    public var size: Int {
        names.reduce(1) { total, name in
            let (product, overflow) = total.multipliedReportingOverflow(by: grid[name]?.count ?? 0)
            return overflow ? .max : product
        }
    }

    /// The values of combination `index`, by name.
    public func combination(_ index: Int) -> [String: ParameterValue] {
        var remainder = index
        var result: [String: ParameterValue] = [:]
        for name in names.reversed() {
            guard let values = grid[name], !values.isEmpty else { continue }
            result[name] = values[remainder % values.count]
            remainder /= values.count
        }
        return result
    }

    /// Checks that every name has at least one value.
    public func validate(directions: [StudyDirection]) throws(TuneError) {
        for name in names where grid[name]?.isEmpty ?? true {
            throw .invalidArgument(function: "grid", message: "'\(name)' has no values")
        }
    }

    /// The value of `name` in the trial's combination.
    public func sample(
        _ name: String, _ distribution: Distribution, trial: TrialRecord, history: StudyHistory
    ) throws(TuneError) -> ParameterValue {
        let index = combinationIndex(of: trial.number, history: history)
        guard let value = combination(index)[name] else {
            throw .invalidArgument(
                function: "grid",
                message: "the objective asks for '\(name)', which the grid does not have "
                    + "(it has \(names.joined(separator: ", ")))")
        }
        guard distribution.contains(value) else {
            throw .invalidDistribution(
                name: name, message: "the grid value \(value) is outside \(distribution)")
        }
        return value
    }

    /// Whether every combination was taken by a complete, pruned or running trial.
    public func isExhausted(_ history: StudyHistory) -> Bool {
        takenCount(history.trials) >= size
    }

    /// A trial's combination: the number of earlier trials that took one (failed and
    /// interrupted ones give theirs back).
    func combinationIndex(of number: Int, history: StudyHistory) -> Int {
        takenCount(history.trials.prefix(number)) % max(size, 1)
    }

    private func takenCount(_ trials: some Sequence<TrialRecord>) -> Int {
        trials.reduce(0) { count, trial in
            switch trial.state {
            case .complete, .pruned, .running: return count + 1
            case .failed, .interrupted: return count
            }
        }
    }
}

extension Sampler where Self == GridSampler {
    /// Grid search over the given values (see `GridSampler` for the order).
    public static func grid(_ grid: [String: [ParameterValue]]) -> GridSampler {
        GridSampler(grid)
    }
}
