import Foundation

/// Cosine annealing with optional linear warm-up and warm restarts (SGDR: Loshchilov & Hutter,
/// 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts"), evaluated at the fractional
/// epoch so the rate changes smoothly batch by batch, as PyTorch's
/// `CosineAnnealingWarmRestarts` does when stepped with `epoch + i/iters`.
///
/// After `warmupEpochs` (a linear ramp from 0, reaching η at the end of the warm-up), with τ the
/// epochs since then and T the current period:
///
/// ```text
/// η(τ) = η_min + (η − η_min)·(1 + cos(π·τ_cur/T_i))/2
/// ```
///
/// Without restarts τ_cur = τ and T_i = `period`, and the rate stays at η_min after it; with
/// restarts the cycle begins again, each period `periodMultiplier` times longer than the last.
///
/// ```swift
/// let schedule = CosineAnnealing(period: 10, minimum: 1e-5, warmupEpochs: 1)
/// let sgdr = CosineAnnealing(period: 5, restarts: true, periodMultiplier: 2)
/// ```
public struct CosineAnnealing: LearningRateSchedule, Hashable {
    /// The length of the (first) cosine cycle, in epochs.
    public var period: Double
    /// η_min, the rate at the bottom of each cycle.
    public var minimum: Float
    /// The epochs of linear warm-up before the first cycle.
    public var warmupEpochs: Double
    /// Whether the cycle restarts at η after each period.
    public var restarts: Bool
    /// T_mult: how much longer each period is than the one before (restarts only).
    public var periodMultiplier: Double

    /// A cosine schedule.
    ///
    /// - Parameters:
    ///   - period: T₀ in epochs (positive).
    ///   - minimum: η_min.
    ///   - warmupEpochs: Epochs of linear warm-up first.
    ///   - restarts: Restart the cycle after each period (SGDR).
    ///   - periodMultiplier: T_mult ≥ 1.
    public init(
        period: Double, minimum: Float = 0, warmupEpochs: Double = 0, restarts: Bool = false,
        periodMultiplier: Double = 1
    ) {
        self.period = period > 0 ? period : 1
        self.minimum = minimum
        self.warmupEpochs = max(warmupEpochs, 0)
        self.restarts = restarts
        self.periodMultiplier = max(periodMultiplier, 1)
    }

    /// The rate at `position` (see the type's description).
    public func learningRate(at position: TrainingPosition, base: Float) -> Float {
        let warmupSteps = warmupEpochs * Double(position.stepsPerEpoch)
        if Double(position.globalStep) < warmupSteps {
            return base * Float(Double(position.globalStep + 1) / warmupSteps)
        }
        let elapsed = max(position.fractionalEpoch - warmupEpochs, 0)
        let (current, length) = cyclePosition(elapsed)
        if !restarts, elapsed >= period { return minimum }
        let cosine = (1 + Foundation.cos(Double.pi * current / length)) / 2
        return minimum + (base - minimum) * Float(cosine)
    }

    /// τ_cur and T_i for `elapsed` epochs after the warm-up.
    private func cyclePosition(_ elapsed: Double) -> (current: Double, length: Double) {
        guard restarts else { return (min(elapsed, period), period) }
        if periodMultiplier == 1 {
            return (elapsed.truncatingRemainder(dividingBy: period), period)
        }
        // The cycle n with start(n) ≤ elapsed < start(n + 1), where start(n) = T₀·(mⁿ − 1)/(m − 1):
        // the closed form, then corrected for rounding in the logarithms.
        func start(_ cycle: Double) -> Double {
            period * (Foundation.pow(periodMultiplier, cycle) - 1) / (periodMultiplier - 1)
        }
        var cycle = Foundation.floor(
            Foundation.log(elapsed / period * (periodMultiplier - 1) + 1)
                / Foundation.log(periodMultiplier))
        if start(cycle + 1) <= elapsed { cycle += 1 }
        if cycle > 0, start(cycle) > elapsed { cycle -= 1 }
        return (elapsed - start(cycle), period * Foundation.pow(periodMultiplier, cycle))
    }
}
