import Foundation
import Tensor

/// The tree-structured Parzen estimator (TPE: Bergstra et al., 2011, "Algorithms for
/// Hyper-Parameter Optimization"), multivariate (Falkner et al., 2018, "BOHB"), with the
/// constant liar for running trials and the defaults of Optuna's `TPESampler` as Watanabe (2023,
/// "Tree-Structured Parzen Estimator: Understanding Its Algorithm Components and Their Roles for
/// Better Empirical Performance") analyses them.
///
/// After `startupTrials` random trials, the finished trials are ranked (complete and feasible
/// by value — by non-dominated sorting and crowding distance with several objectives (MO-TPE,
/// Ozaki et al., 2020) — then pruned ones by how far they got, then infeasible ones by their
/// constraint violation, as c-TPE orders them) and split: the best `min(⌈0.1·n⌉, 25)` form l(x)
/// (`⌈0.1·n⌉` with several objectives, all weighted equally, as Optuna 5's MO-TPE), the rest and
/// every running trial (the constant liar: a running trial counts as bad, so
/// parallel or resumed trials do not crowd one spot) form g(x). Each is a Parzen estimator over
/// the space every complete trial shares; `candidates` draws from l(x) are scored by
/// log l(x) − log g(x) and the best is taken: O(n · candidates · d) per trial. Parameters
/// outside that shared space (conditional ones) get the same treatment one at a time.
///
/// ```swift
/// let study = Study(direction: .maximize, sampler: .tpe(seed: 1))
/// ```
public struct TPESampler: Sampler {
    /// The seed every draw derives from.
    public let seed: UInt64
    /// Random trials before the estimators are used.
    public let startupTrials: Int
    /// Draws from l(x) scored per trial.
    public let candidates: Int
    /// The weight of the prior kernel.
    public let priorWeight: Double

    /// A TPE sampler with Optuna's defaults.
    public init(
        seed: UInt64? = nil, startupTrials: Int = 10, candidates: Int = 24,
        priorWeight: Double = 1
    ) {
        self.seed = SamplerRandom.resolve(seed)
        self.startupTrials = max(startupTrials, 1)
        self.candidates = max(candidates, 1)
        self.priorWeight = max(priorWeight, 1e-6)
    }

    /// The shared space, drawn jointly.
    public func startTrial(_ number: Int, history: StudyHistory) throws(TuneError) -> [String:
        Double]
    {
        let space = history.intersectionSearchSpace()
        guard !space.isEmpty, history.completeTrials.count >= startupTrials else { return [:] }
        var generator = SamplerRandom.generator(seed: seed, trial: number, purpose: "tpe")
        guard let x = suggest(space, number: number, history: history, &generator) else {
            return [:]
        }
        return Dictionary(uniqueKeysWithValues: zip(space.map(\.name), x))
    }

    /// A parameter outside the shared space, on its own.
    public func sample(
        _ name: String, _ distribution: Distribution, trial: TrialRecord, history: StudyHistory
    ) throws(TuneError) -> ParameterValue {
        var generator = SamplerRandom.generator(seed: seed, trial: trial.number, purpose: name)
        if history.completeTrials.count >= startupTrials,
            let x = suggest(
                [(name, distribution)], number: trial.number, history: history, &generator)?.first
        {
            return distribution.value(atInternal: x)
        }
        return distribution.value(atInternal: SamplerRandom.draw(distribution, &generator))
    }

    /// The best of `candidates` draws from l(x) by log l − log g, or nil without observations.
    func suggest(
        _ space: [(name: String, distribution: Distribution)], number: Int,
        history: StudyHistory, _ generator: inout RandomGenerator
    ) -> [Double]? {
        let (below, above) = split(history, names: space.map(\.name), excluding: number)
        guard !below.isEmpty else { return nil }
        let l = estimator(space, below, equalWeights: history.directions.count > 1)
        let g = estimator(space, above)
        var best: [Double]?
        var bestScore = -Double.infinity
        for _ in 0..<candidates {
            let x = l.sample(&generator)
            let score = l.logDensity(x) - g.logDensity(x)
            if best == nil || score > bestScore {
                best = x
                bestScore = score
            }
        }
        return best
    }

    /// A Parzen estimator of `trials` over `space`: Optuna's default weights (older trials
    /// less), or all equal (the good group of a multi-objective study).
    func estimator(
        _ space: [(name: String, distribution: Distribution)], _ trials: [TrialRecord],
        equalWeights: Bool = false
    ) -> ParzenEstimator {
        let ordered = trials.sorted { $0.number < $1.number }
        let rows = ordered.map { trial in space.map { trial.internalValue($0.name) ?? .nan } }
        let weights =
            equalWeights ? [Double](repeating: 1, count: rows.count) : Self.weights(rows.count)
        return ParzenEstimator(
            space: space, observations: rows, weights: weights, priorWeight: priorWeight)
    }

    /// Optuna's default weights: 1 for the newest 25 observations, a ramp from 1/n for older
    /// ones (observations in trial order).
    static func weights(_ n: Int) -> [Double] {
        guard n > 25 else { return [Double](repeating: 1, count: n) }
        let ramp = (0..<(n - 25)).map { i in
            n - 25 == 1
                ? 1.0 / Double(n)
                : 1.0 / Double(n) + (1 - 1.0 / Double(n))
                    * Double(i) / Double(n - 26)
        }
        return ramp + [Double](repeating: 1, count: 25)
    }

    /// The trials having every name, split into the good group and the rest (running trials in
    /// the rest: the constant liar). Sorts keys, not records: O(n log n) comparisons of numbers.
    func split(_ history: StudyHistory, names: [String], excluding number: Int) -> (
        below: [TrialRecord], above: [TrialRecord]
    ) {
        let trials = history.trials
        let objectives = history.directions.count
        var feasible: [Int] = []
        var infeasible: [(violation: Double, index: Int)] = []
        var pruned: [(step: Int, loss: Double, index: Int)] = []
        var running: [Int] = []
        for (index, trial) in trials.enumerated() where trial.number != number {
            guard names.allSatisfy({ trial.internalValue($0) != nil }) else { continue }
            switch trial.state {
            case .complete where trial.values.count == objectives:
                if trial.isFeasible {
                    feasible.append(index)
                } else {
                    infeasible.append((trial.constraintViolation, index))
                }
            case .pruned:
                guard let step = trial.lastStep else { continue }
                let loss = history.losses(trial.values).first ?? .infinity
                pruned.append((step, loss.isNaN ? .infinity : loss, index))
            case .running: running.append(index)
            default: continue
            }
        }
        let rankedFeasible: [Int]
        if objectives == 1, let direction = history.directions.first {
            rankedFeasible = feasible.map { (direction.loss(trials[$0].values[0]), $0) }
                .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
        } else {
            let order = ParetoFront.rankedIndices(
                feasible.map { history.losses(trials[$0].values) })
            rankedFeasible = order.map { feasible[$0] }
        }
        let rankedPruned = pruned.sorted {
            $0.step != $1.step
                ? $0.step > $1.step : ($0.loss != $1.loss ? $0.loss < $1.loss : $0.index < $1.index)
        }.map(\.index)
        let rankedInfeasible = infeasible.sorted {
            $0.violation != $1.violation ? $0.violation < $1.violation : $0.index < $1.index
        }.map(\.index)
        let ranked = rankedFeasible + rankedPruned + rankedInfeasible
        // Optuna's gamma: at most 25 with one objective, uncapped with several.
        let tenth = Int((0.1 * Double(ranked.count)).rounded(.up))
        let belowCount = objectives == 1 ? min(tenth, 25) : tenth
        return (
            ranked.prefix(belowCount).map { trials[$0] },
            (ranked.dropFirst(belowCount) + running).map { trials[$0] }
        )
    }
}

extension Sampler where Self == TPESampler {
    /// Multivariate TPE with the constant liar (see `TPESampler`).
    public static func tpe(seed: UInt64? = nil, startupTrials: Int = 10) -> TPESampler {
        TPESampler(seed: seed, startupTrials: startupTrials)
    }
}
