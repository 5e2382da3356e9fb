/// The best trial of a study with what its objective kept (`trial.keep(model)`).
///
/// ```swift
/// let best = try study.best
/// best.value, best.number, best.parameters["units"], best.model
/// ```
public struct BestTrial {
    /// The trial's record.
    public let record: TrialRecord
    /// The object the objective kept with `trial.keep`, if any.
    public let model: Any?

    /// The trial's number.
    public var number: Int { record.number }
    /// The objective value.
    public var value: Double { record.value ?? .nan }
    /// The objective values.
    public var values: [Double] { record.values }
    /// The parameters by name.
    public var parameters: [String: ParameterValue] { record.parameters }
}

/// How many steps (epochs) the study's trials used, against what they would have used had
/// none been stopped early.
public struct BudgetUsage: Sendable, Equatable, CustomStringConvertible {
    /// Steps reported by every trial.
    public let used: Int
    /// Steps the same trials would have reported without trial pruning: each pruned trial
    /// counted as long as the longest complete trial.
    public let withoutPruning: Int

    /// `used / withoutPruning` (1 without pruning, 0 for an empty study).
    public var fraction: Double { withoutPruning > 0 ? Double(used) / Double(withoutPruning) : 0 }

    /// "27 of 81 steps (33%)".
    public var description: String {
        "\(used) of \(withoutPruning) steps (\(Int((fraction * 100).rounded()))%)"
    }
}

extension Study {
    /// The best complete trial: feasible before infeasible, then by value. Single-objective
    /// only; a multi-objective study has a `paretoFront` instead.
    public var best: BestTrial {
        get throws(TuneError) {
            guard directions.count == 1 else {
                throw .unsupported(
                    component: "best",
                    message: "a study with \(directions.count) objectives has no single best "
                        + "trial; use paretoFront")
            }
            let direction = self.direction
            let complete = trials.filter { $0.state == .complete }
            let ranked = complete.min { a, b in
                if a.isFeasible != b.isFeasible { return a.isFeasible }
                if !a.isFeasible { return a.constraintViolation < b.constraintViolation }
                return direction.isBetter(a.value ?? .nan, than: b.value ?? .nan)
            }
            guard let record = ranked else { throw .noCompletedTrials }
            return BestTrial(record: record, model: kept[record.number])
        }
    }

    /// The complete feasible trials no other complete feasible trial dominates (better or equal
    /// in every objective and better in one), in trial order.
    public var paretoFront: [TrialRecord] {
        let candidates = trials.filter { $0.state == .complete && $0.isFeasible }
        let losses = candidates.map { history.losses($0.values) }
        return ParetoFront.nonDominatedIndices(losses).map { candidates[$0] }
    }

    /// The steps used against the cost without trial pruning.
    public var budgetUsed: BudgetUsage {
        let used = trials.reduce(0) { $0 + $1.stepCount }
        let longest = trials.filter { $0.state == .complete }.map(\.stepCount).max() ?? 0
        let without = trials.reduce(0) { total, trial in
            total + (trial.state == .pruned ? max(trial.stepCount, longest) : trial.stepCount)
        }
        return BudgetUsage(used: used, withoutPruning: without)
    }
}
