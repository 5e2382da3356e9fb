import Tensor

/// One update's averaging of the gradients over the ranks (`DataParallel.beginStep`): the
/// training loop lets `backwardObserver` watch the backward pass, then calls `finish` before
/// the optimizer step, whether the allreduces overlap backward
/// (`OverlappedGradientReduction`) or run after it (`GradientReductionAfterBackward`).
///
/// ```swift
/// let reduction = try parallel.beginStep(of: model, batchesPerUpdate: 1, interrupted: stop)
/// var (loss, grads) = try valueWithGradient(
///     of: model, observer: reduction.backwardObserver) { … }
/// try reduction.finish(&grads, interrupted: stop)
/// ```
protocol GradientReduction: AnyObject {
    /// What watches the step's backward pass (nil: nothing happens before `finish`).
    var backwardObserver: (any BackwardObserver)? { get }

    /// Replaces every gradient in `gradients` by its mean over the ranks.
    func finish(_ gradients: inout Gradients, interrupted: () -> Bool) throws
}

/// The reduction of an update whose allreduces run after the backward pass
/// (`DataParallel.averageGradients`): without overlap, or with gradient accumulation, whose
/// gradients are complete only after the group's last batch.
final class GradientReductionAfterBackward: GradientReduction {
    private let parallel: DataParallel

    /// The averaging of `parallel`'s ranks.
    init(parallel: DataParallel) { self.parallel = parallel }

    /// Nothing watches backward.
    var backwardObserver: (any BackwardObserver)? { nil }

    /// Averages the gradients, bucket by bucket.
    func finish(_ gradients: inout Gradients, interrupted: () -> Bool) throws {
        try parallel.averageGradients(&gradients, interrupted: interrupted)
    }
}
