import Foundation
import NN

/// Gradual magnitude pruning during `fit` on the cubic schedule of Zhu & Gupta (2017, "To
/// prune, or not to prune: exploring the efficacy of pruning for model compression"): the
/// sparsity rises from `initial` to `target` as
///
/// ```text
/// s(t) = s_f + (s_i − s_f) · (1 − (t − t₀) / (t₁ − t₀))³     for t₀ ≤ t ≤ t₁
/// ```
///
/// pruning fast while there are many redundant weights and slowly near the target. Here t counts
/// the training steps (batches) completed since the fit began, t₀ = `start` × batches per epoch
/// and t₁ = `end` × batches per epoch: pruning begins after `start` epochs and the target is
/// reached after `end` epochs. The masks are updated every `frequency` steps from t₀ (and at t₁),
/// by `prune(_:sparsity:scope:)`, which keeps earlier masks, so the sparsity never falls.
///
/// ```swift
/// try model.fit(data, epochs: 8, optimizer: opt,
///               callbacks: [try PruningSchedule(target: 0.9, start: 1, end: 6, frequency: 100)])
/// model.sparsity                       // 0.9
/// ```
public final class PruningSchedule: Callback {
    /// The final sparsity s_f.
    public let target: Double
    /// The sparsity s_i at the first pruning step.
    public let initial: Double
    /// The epochs completed before pruning begins.
    public let start: Int
    /// The epochs completed when the target is reached.
    public let end: Int
    /// The number of steps between mask updates.
    public let frequency: Int
    /// Per-layer or global magnitude ranking.
    public let scope: PruningScope

    /// A cubic pruning schedule.
    ///
    /// - Parameters:
    ///   - target: The final sparsity s_f, in 0...1.
    ///   - initial: The starting sparsity s_i, in 0...target (0 by default).
    ///   - start: Epochs to train before pruning (≥ 0).
    ///   - end: Epochs after which the target is reached (> start).
    ///   - frequency: Steps between mask updates (≥ 1); Zhu & Gupta used 100–1000.
    ///   - scope: `.layer` (the paper's choice, each weight tensor to the same sparsity) or
    ///     `.global`.
    public init(
        target: Double, initial: Double = 0, start: Int = 0, end: Int, frequency: Int = 100,
        scope: PruningScope = .layer
    ) throws {
        guard target.isFinite, (0...1).contains(target) else {
            throw CompressError.invalidArgument(
                function: "PruningSchedule", message: "target must be in 0...1, got \(target)")
        }
        guard initial.isFinite, (0...target).contains(initial) else {
            throw CompressError.invalidArgument(
                function: "PruningSchedule",
                message: "initial must be in 0...target (\(target)), got \(initial)")
        }
        guard start >= 0, end > start else {
            throw CompressError.invalidArgument(
                function: "PruningSchedule",
                message: "need 0 ≤ start < end (in epochs), got start \(start), end \(end)")
        }
        guard frequency >= 1 else {
            throw CompressError.invalidArgument(
                function: "PruningSchedule",
                message: "frequency must be at least 1 step, got \(frequency)")
        }
        self.target = target
        self.initial = initial
        self.start = start
        self.end = end
        self.frequency = frequency
        self.scope = scope
    }

    /// The sparsity the masks hold after `step` completed training steps, with
    /// `batchesPerEpoch` steps per epoch: 0 before t₀, the formula at the latest mask update
    /// in between, `target` from t₁ on.
    ///
    /// ```swift
    /// let s = try PruningSchedule(target: 0.9, start: 0, end: 1, frequency: 1)
    /// s.sparsity(afterStep: 50, batchesPerEpoch: 100)   // 0.9 + (0 − 0.9)·0.5³ = 0.7875
    /// ```
    public func sparsity(afterStep step: Int, batchesPerEpoch: Int) -> Double {
        let (first, last) = (start * batchesPerEpoch, end * batchesPerEpoch)
        guard step >= first, last > first else { return step >= last ? target : 0 }
        guard step < last else { return target }
        let updated = first + (step - first) / frequency * frequency
        let progress = Double(updated - first) / Double(last - first)
        return target + (initial - target) * Foundation.pow(1 - progress, 3)
    }

    /// Whether the masks are updated after `step` completed steps.
    func isUpdate(afterStep step: Int, batchesPerEpoch: Int) -> Bool {
        let (first, last) = (start * batchesPerEpoch, end * batchesPerEpoch)
        guard step >= first, step <= last else { return false }
        return step == last || (step - first) % frequency == 0
    }

    /// Updates the masks when the step just completed is a pruning step.
    public func onBatchEnd(_ context: TrainingContext) throws {
        let step = context.epoch * context.batchesPerEpoch + context.batch + 1
        guard isUpdate(afterStep: step, batchesPerEpoch: context.batchesPerEpoch) else { return }
        let level = sparsity(afterStep: step, batchesPerEpoch: context.batchesPerEpoch)
        guard level > 0 else { return }
        try prune(context.model, sparsity: level, scope: scope)
    }
}
