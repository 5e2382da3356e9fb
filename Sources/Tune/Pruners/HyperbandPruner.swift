import Foundation

/// Hyperband (Li et al., 2018, "Hyperband: A Novel Bandit-Based Approach to Hyperparameter
/// Optimization"), asynchronous as Optuna's `HyperbandPruner`: trials are spread over
/// `⌊log_η(maxResource / minResource)⌋ + 1` brackets, bracket b running successive halving with
/// its first rung at `minResource · η^b`, and a trial competes only with the trials of its own
/// bracket; a trial that reaches `maxResource` has used its whole budget and completes, never
/// pruned there. Brackets get trials in proportion to Hyperband's budgets
/// (`⌈B·η^s / (s + 1)⌉` with s = brackets − 1 − b), assigned by the trial's number, so a
/// reloaded study assigns them again the same way.
///
/// ```swift
/// let study = Study(direction: .maximize, sampler: .tpe(seed: 1),
///                   pruner: .hyperband(minResource: 1, maxResource: 9))
/// ```
public struct HyperbandPruner: Pruner {
    /// The step of the first rung of the most aggressive bracket.
    public let minResource: Int
    /// The step a trial runs to at most (its epochs).
    public let maxResource: Int
    /// η: 1/η of the trials go on at each rung.
    public let reductionFactor: Int

    /// A Hyperband pruner.
    public init(minResource: Int = 1, maxResource: Int, reductionFactor: Int = 3) {
        self.minResource = max(minResource, 1)
        self.maxResource = max(maxResource, self.minResource)
        self.reductionFactor = max(reductionFactor, 2)
    }

    /// The number of brackets.
    public var bracketCount: Int {
        var count = 1
        var resource = minResource
        while resource <= maxResource / reductionFactor {
            resource *= reductionFactor
            count += 1
        }
        return count
    }

    /// The successive-halving rule of bracket `bracket`.
    public func bracketPruner(_ bracket: Int) -> SuccessiveHalvingPruner {
        SuccessiveHalvingPruner(
            minResource: minResource, reductionFactor: reductionFactor,
            minEarlyStoppingRate: bracket, maxResource: maxResource)
    }

    /// The bracket of trial `number`.
    public func bracket(ofTrial number: Int) -> Int {
        let count = bracketCount
        let budgets = (0..<count).map { bracket -> Int in
            let s = count - 1 - bracket
            let budget = Double(count) * pow(Double(reductionFactor), Double(s)) / Double(s + 1)
            return Int(min(budget.rounded(.up), 1e15))
        }
        let total = max(budgets.reduce(0, +), 1)
        var mixed = UInt64(truncatingIfNeeded: number) &+ 0x9e37_79b9_7f4a_7c15
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        var slot = Int((mixed ^ (mixed >> 31)) % UInt64(total))
        for (bracket, budget) in budgets.enumerated() {
            if slot < budget { return bracket }
            slot -= budget
        }
        return count - 1
    }

    /// Successive halving within the trial's bracket.
    public func shouldPrune(_ trial: TrialRecord, in history: StudyHistory) -> Bool {
        guard let step = trial.lastStep else { return false }
        let bracket = bracket(ofTrial: trial.number)
        let others = history.trials.filter {
            $0.number != trial.number && self.bracket(ofTrial: $0.number) == bracket
        }
        return bracketPruner(bracket).shouldPrune(
            trial, at: step, among: others, directions: history.directions)
    }
}

extension Pruner where Self == HyperbandPruner {
    /// Hyperband over successive-halving brackets (see `HyperbandPruner`).
    public static func hyperband(minResource: Int = 1, maxResource: Int, reductionFactor: Int = 3)
        -> HyperbandPruner
    {
        HyperbandPruner(
            minResource: minResource, maxResource: maxResource, reductionFactor: reductionFactor)
    }
}
