import Foundation

/// How much one parameter matters to the objective, as a share of all parameters' importance.
public struct ParameterImportance: Sendable, Equatable {
    /// The parameter's name.
    public let name: String
    /// Its share, in [0, 1]; the shares of a study sum to 1.
    public let importance: Double
}

/// PED-ANOVA (Watanabe et al., 2023, "PED-ANOVA: Efficiently Quantifying Hyperparameter
/// Importance in Arbitrary Subspaces"), Optuna 5's default importance evaluator: a parameter
/// matters as much as the distribution of its values among the best trials (the top
/// `quantile`) differs from their distribution among all trials, measured by the Pearson
/// divergence Σ p_all(x)·(p_top(x) / p_all(x) − 1)² on a 50-point grid of the parameter's
/// internal range (Gaussian kernels, Scott's bandwidth) or over its options.
public enum PEDANOVA {
    /// The importances of the parameters every complete trial has, largest first.
    ///
    /// - Parameters:
    ///   - history: The study's trials and directions.
    ///   - objective: Which objective to explain (0 for a single-objective study).
    ///   - quantile: The fraction of trials counted as the best (at least two trials).
    public static func importances(
        _ history: StudyHistory, objective: Int = 0, quantile: Double = 0.1
    ) throws(TuneError) -> [ParameterImportance] {
        guard history.directions.indices.contains(objective) else {
            throw .invalidArgument(
                function: "importances",
                message: "objective \(objective) does not exist; the study has "
                    + "\(history.directions.count)")
        }
        let direction = history.directions[objective]
        let trials = history.completeTrials.filter { $0.values.count > objective }
        let space = history.intersectionSearchSpace()
        guard trials.count >= 4, !space.isEmpty else {
            throw .invalidArgument(
                function: "importances",
                message: "needs at least 4 complete trials with a shared parameter; the study "
                    + "has \(trials.count)")
        }
        let sorted = trials.sorted {
            direction.loss($0.values[objective]) < direction.loss($1.values[objective])
        }
        let topCount = max(Int((quantile * Double(trials.count)).rounded(.up)), 2)
        let top = Array(sorted.prefix(topCount))
        var divergences = space.map { name, distribution in
            (
                name,
                divergence(
                    top.compactMap { $0.internalValue(name) },
                    trials.compactMap { $0.internalValue(name) },
                    distribution)
            )
        }
        let total = divergences.reduce(0) { $0 + $1.1 }
        divergences.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return divergences.map {
            ParameterImportance(
                name: $0.0, importance: total > 0 ? $0.1 / total : 1 / Double(space.count))
        }
    }

    static func divergence(_ top: [Double], _ all: [Double], _ distribution: Distribution)
        -> Double
    {
        let pTop = density(top, distribution)
        let pAll = density(all, distribution)
        var sum = 0.0
        for (t, a) in zip(pTop, pAll) {
            let ratio = (t + 1e-12) / (a + 1e-12)
            sum += (a + 1e-12) * (ratio - 1) * (ratio - 1)
        }
        return sum
    }

    /// The distribution of `values` over the grid (or the options), summing to 1.
    static func density(_ values: [Double], _ distribution: Distribution) -> [Double] {
        if case .choice(let options) = distribution {
            let k = options.count
            var counts = [Double](repeating: 1.0 / Double(k), count: k)
            for value in values {
                let index = Int(value)
                if counts.indices.contains(index) { counts[index] += 1 }
            }
            let total = counts.reduce(0, +)
            return counts.map { $0 / total }
        }
        let bounds = distribution.internalBounds
        let width = bounds.upperBound - bounds.lowerBound
        let steps = 50
        let grid = (0..<steps).map {
            bounds.lowerBound + width * (Double($0) + 0.5) / Double(steps)
        }
        let n = Double(max(values.count, 1))
        let mean = values.reduce(0, +) / n
        let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        let bandwidth = max(1.06 * deviation * pow(n, -0.2), width / Double(steps), 1e-12)
        var density = grid.map { x in
            values.reduce(0) { $0 + Gaussian.density(($1 - x) / bandwidth) }
        }
        let total = density.reduce(0, +)
        if total > 0 { density = density.map { $0 / total } }
        return density
    }
}

extension Study {
    /// The parameters' importances by PED-ANOVA, largest first (see `PEDANOVA`).
    ///
    /// ```swift
    /// for item in try study.importances() { print(item.name, item.importance) }
    /// ```
    public func importances(objective: Int = 0) throws(TuneError) -> [ParameterImportance] {
        try PEDANOVA.importances(history, objective: objective)
    }
}
