extension Study {
    /// The best feasible value among the complete trials up to and including each trial (nil
    /// before the first): the optimisation-history chart's line. The first objective's, for a
    /// multi-objective study.
    ///
    /// ```swift
    /// study.bestValues    // [nil, 0.71, 0.71, 0.84, …]
    /// ```
    public var bestValues: [Double?] {
        var best: Double?
        return trials.map { trial in
            if trial.state == .complete, trial.isFeasible, let value = trial.value {
                best = best.map { direction.isBetter(value, than: $0) ? value : $0 } ?? value
            }
            return best
        }
    }
}
