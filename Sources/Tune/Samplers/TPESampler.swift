import Foundation
import Tensor

/// The tree-structured Parzen estimator (TPE: Bergstra et al., 2011, "Algorithms for
/// Hyper-Parameter Optimization"), multivariate (Falkner et al., 2018, "BOHB"), with the
/// constant liar for running trials and the defaults of Optuna's `TPESampler` as Watanabe (2023,
/// "Tree-Structured Parzen Estimator: Understanding Its Algorithm Components and Their Roles for
/// Better Empirical Performance") analyses them.
///
/// After `startupTrials` finished trials (complete or pruned, as Optuna counts them) drawn at
/// random, the finished trials are ranked (complete and feasible
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
        // Pruned trials count, as in Optuna: with a pruner most trials end pruned, and TPE
        // learns from how far they got.
        guard history.finishedTrialCount >= startupTrials else { return [:] }
        let space = history.intersectionSearchSpace(includingPruned: true)
        guard !space.isEmpty else { return [:] }
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
        if history.finishedTrialCount >= startupTrials,
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
        let groups = split(history, names: space.map(\.name), excluding: number)
        guard groups.belowCount > 0 else { return nil }
        let l = estimator(
            space, groups.below, count: groups.belowCount,
            equalWeights: history.directions.count > 1)
        let g = estimator(space, groups.above, count: groups.aboveCount)
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

    /// A Parzen estimator of `count` observations (kernel-major, in trial order) over `space`:
    /// Optuna's default weights (older trials less), or all equal (the good group of a
    /// multi-objective study).
    func estimator(
        _ space: [(name: String, distribution: Distribution)], _ rows: [Double], count: Int,
        equalWeights: Bool = false
    ) -> ParzenEstimator {
        let weights = equalWeights ? [Double](repeating: 1, count: count) : Self.weights(count)
        return ParzenEstimator(
            space: space, flatObservations: rows, kernelCount: count, weights: weights,
            priorWeight: priorWeight)
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

    /// The two groups of `split`: each group's observations kernel-major in trial order.
    struct Groups {
        var below: [Double] = []
        var belowCount = 0
        var above: [Double] = []
        var aboveCount = 0
        /// The trial numbers of each group, in order.
        var belowNumbers: [Int] = []
        var aboveNumbers: [Int] = []
    }

    /// The trials having every name, split into the good group and the rest (running trials in
    /// the rest: the constant liar), each group's internal coordinates read once per trial and
    /// kept in trial order. Sorts keys, not records: O(n log n) comparisons of numbers.
    func split(_ history: StudyHistory, names: [String], excluding number: Int) -> Groups {
        let trials = history.trials
        let objectives = history.directions.count
        var feasible: [Int] = []
        var infeasible: [(violation: Double, index: Int)] = []
        var pruned: [(step: Int, loss: Double, index: Int)] = []
        // Each usable trial's row of internal coordinates, at rowStart[index] in `rows`.
        var rows: [Double] = []
        rows.reserveCapacity(trials.count * names.count)
        var rowStart = [Int](repeating: -1, count: trials.count)
        var row = [Double](repeating: 0, count: names.count)
        for (index, trial) in trials.enumerated() where trial.number != number {
            switch trial.state {
            case .complete, .pruned, .running: break
            default: continue
            }
            var complete = true
            for (position, name) in names.enumerated() {
                guard let x = trial.internalValue(name) else {
                    complete = false
                    break
                }
                row[position] = x
            }
            guard complete else { continue }
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
            case .running: break
            default: continue
            }
            rowStart[index] = rows.count
            rows.append(contentsOf: row)
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
        var isBelow = [Bool](repeating: false, count: trials.count)
        for index in ranked.prefix(belowCount) { isBelow[index] = true }
        // Both groups in trial order, as Optuna orders them (the weights ramp by age).
        var groups = Groups()
        groups.below.reserveCapacity(belowCount * names.count)
        groups.above.reserveCapacity(rows.count)
        for index in trials.indices where rowStart[index] >= 0 {
            let start = rowStart[index]
            if isBelow[index] {
                groups.below.append(contentsOf: rows[start..<(start + names.count)])
                groups.belowCount += 1
                groups.belowNumbers.append(trials[index].number)
            } else {
                groups.above.append(contentsOf: rows[start..<(start + names.count)])
                groups.aboveCount += 1
                groups.aboveNumbers.append(trials[index].number)
            }
        }
        return groups
    }
}

extension Sampler where Self == TPESampler {
    /// Multivariate TPE with the constant liar (see `TPESampler`).
    public static func tpe(seed: UInt64? = nil, startupTrials: Int = 10) -> TPESampler {
        TPESampler(seed: seed, startupTrials: startupTrials)
    }
}
