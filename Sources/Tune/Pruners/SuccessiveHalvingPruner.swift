/// Asynchronous successive halving (ASHA: Li et al., 2020, "A System for Massively Parallel
/// Hyperparameter Tuning"), as Optuna's `SuccessiveHalvingPruner`, and its multi-objective form
/// (MO-ASHA: Schmucker et al., 2021, "Multi-objective Asynchronous Successive Halving").
///
/// Rung k sits at step `minResource · reductionFactor^(k + minEarlyStoppingRate)`. When a trial
/// first reports a step at or past a rung, its value there joins the rung's values (those of
/// every trial that reached the rung, whatever its state now), and it continues only if it is
/// among the best `⌊n / reductionFactor⌋` of the n values (the first trial at a rung always
/// continues). A trial that has reached `maxResource` (when given) has used its whole budget and
/// is never stopped there: a rung at or past it is not judged. With several objectives, "best" is the order of non-dominated sorting with the
/// crowding distance breaking ties in the last front (Schmucker et al. use an ε-net there).
///
/// Worked example (minimize, `minResource: 1, reductionFactor: 3`, rungs at steps 1, 3, 9):
/// five trials reached step 1 with 0.5, 0.4, 0.3, 0.6, 0.7; a sixth reports 0.45 at step 1:
/// of the six values, ⌊6/3⌋ = 2 are promoted (0.3, 0.4), so it stops; with 0.35 it goes on.
///
/// ```swift
/// let study = Study(direction: .maximize, pruner: .successiveHalving(minResource: 1))
/// ```
public struct SuccessiveHalvingPruner: Pruner {
    /// The step of the first rung.
    public let minResource: Int
    /// The fraction (1/η) of trials promoted at each rung.
    public let reductionFactor: Int
    /// Rungs skipped at the start (Hyperband's brackets use 0, 1, 2, …).
    public let minEarlyStoppingRate: Int
    /// The step a trial runs to at most, if known: no rung at or past it is judged, so a trial
    /// that used its whole budget completes instead of being pruned.
    public let maxResource: Int?

    /// A successive-halving pruner.
    ///
    /// - Parameters:
    ///   - minResource: The step (epoch) of the first rung, ≥ 1.
    ///   - reductionFactor: η ≥ 2: 1/η of the trials go on at each rung.
    ///   - minEarlyStoppingRate: Rungs to skip.
    ///   - maxResource: The step (epoch) a trial runs to at most, if known.
    public init(
        minResource: Int = 1, reductionFactor: Int = 3, minEarlyStoppingRate: Int = 0,
        maxResource: Int? = nil
    ) {
        self.minResource = max(minResource, 1)
        self.reductionFactor = max(reductionFactor, 2)
        self.minEarlyStoppingRate = max(minEarlyStoppingRate, 0)
        self.maxResource = maxResource
    }

    /// The step of rung `rung`.
    public func rungStep(_ rung: Int) -> Int {
        var step = minResource
        for _ in 0..<(rung + minEarlyStoppingRate) {
            let (next, overflow) = step.multipliedReportingOverflow(by: reductionFactor)
            if overflow { return .max }
            step = next
        }
        return step
    }

    /// Whether the trial falls out at a rung it has just reached.
    public func shouldPrune(_ trial: TrialRecord, in history: StudyHistory) -> Bool {
        guard let step = trial.lastStep else { return false }
        let others = history.trials.filter { $0.number != trial.number }
        return shouldPrune(trial, at: step, among: others, directions: history.directions)
    }

    /// The decision for `trial` at `step` against `others` (Hyperband passes its bracket).
    func shouldPrune(
        _ trial: TrialRecord, at step: Int, among others: [TrialRecord],
        directions: [StudyDirection]
    ) -> Bool {
        var rung = 0
        while true {
            let rungAt = rungStep(rung)
            guard step >= rungAt, rungAt != .max else { return false }
            // A trial at its full budget has nothing left to save.
            if let maxResource, rungAt >= maxResource { return false }
            rung += 1
            // Only the rung this report reaches is judged; the ones before were passed.
            guard Self.firstStep(of: trial, atRung: rungAt) == step,
                let value = Self.value(of: trial, atRung: rungAt)
            else { continue }
            if value.contains(where: \.isNaN) { return true }
            let losses = zip(directions, value).map { $0.loss($1) }
            let competing = others.compactMap { Self.value(of: $0, atRung: rungAt) }.map {
                zip(directions, $0).map { $0.loss($1) }
            }.filter { $0.count == losses.count && !$0.contains(where: \.isNaN) }
            if !isPromotable(losses, among: competing) { return true }
        }
    }

    /// A trial's values at a rung: those of the first step it reported at or after the rung.
    static func value(of trial: TrialRecord, atRung rungAt: Int) -> [Double]? {
        firstStep(of: trial, atRung: rungAt).flatMap { trial.intermediateValues[$0] }
    }

    /// The first step a trial reported at or after a rung.
    static func firstStep(of trial: TrialRecord, atRung rungAt: Int) -> Int? {
        trial.intermediateValues.keys.filter { $0 >= rungAt }.min()
    }

    /// Whether `losses` is among the best ⌊n/η⌋ (at least 1) of itself and `competing`.
    func isPromotable(_ losses: [Double], among competing: [[Double]]) -> Bool {
        let all = competing + [losses]
        let promoted = max(all.count / reductionFactor, 1)
        if losses.count == 1 {
            let sorted = all.compactMap(\.first).sorted()
            guard let value = losses.first, sorted.indices.contains(promoted - 1) else {
                return true
            }
            return value <= sorted[promoted - 1]
        }
        let rank = ParetoFront.rankedIndices(all)
        guard let position = rank.firstIndex(of: all.count - 1) else { return false }
        return position < promoted
    }
}

extension Pruner where Self == SuccessiveHalvingPruner {
    /// Asynchronous successive halving, multi-objective when the study is (see
    /// `SuccessiveHalvingPruner`).
    ///
    /// - Parameters:
    ///   - minResource: The step (epoch) of the first rung.
    ///   - reductionFactor: η: 1/η of the trials go on at each rung.
    ///   - maxResource: The step a trial runs to at most (its epochs), if known: a trial that
    ///     reaches it completes instead of being judged at a last rung there.
    public static func successiveHalving(
        minResource: Int = 1, reductionFactor: Int = 3, maxResource: Int? = nil
    ) -> SuccessiveHalvingPruner {
        SuccessiveHalvingPruner(
            minResource: minResource, reductionFactor: reductionFactor, maxResource: maxResource)
    }
}
