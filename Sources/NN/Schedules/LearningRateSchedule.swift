import Tensor

/// Where training is: the epoch, the batch within it and the number of batches per epoch —
/// what a learning-rate schedule is a function of.
public struct TrainingPosition: Sendable, Hashable {
    /// The epoch, from 0.
    public var epoch: Int
    /// The batch within the epoch, from 0.
    public var step: Int
    /// The number of batches per epoch (at least 1).
    public var stepsPerEpoch: Int

    /// A position; `stepsPerEpoch` below 1 counts as 1.
    public init(epoch: Int, step: Int = 0, stepsPerEpoch: Int = 1) {
        self.epoch = epoch
        self.step = step
        self.stepsPerEpoch = max(stepsPerEpoch, 1)
    }

    /// The number of batches since the start of training.
    public var globalStep: Int { epoch * stepsPerEpoch + step }

    /// The epoch with the batches done as a fraction (2.5 halfway through the third epoch).
    public var fractionalEpoch: Double { Double(epoch) + Double(step) / Double(stepsPerEpoch) }
}

/// A learning rate as a function of the training position (a value type), or one that reacts
/// to a monitored metric (`ReduceOnPlateau`). The training loop sets the optimizer's rate
/// before each batch with `apply(to:at:)` and reports the validation metric after each epoch
/// with `observe(metric:)`.
///
/// ```swift
/// let schedule = CosineAnnealing(period: 10, warmupEpochs: 1)
/// schedule.apply(to: opt, at: TrainingPosition(epoch: 3, step: 20, stepsPerEpoch: 469))
/// ```
public protocol LearningRateSchedule: Sendable {
    /// The learning rate at `position` for an optimizer whose initial rate is `base`.
    func learningRate(at position: TrainingPosition, base: Float) -> Float

    /// Takes in the metric monitored at the end of an epoch (only `ReduceOnPlateau` uses it).
    mutating func observe(metric: Float)
}

// MARK: - Default implementations

extension LearningRateSchedule {
    /// Ignores the metric.
    public mutating func observe(metric: Float) {}

    /// Sets `optimizer.learningRate` to this schedule's rate at `position`, relative to the
    /// optimizer's initial learning rate (parameter groups follow proportionally).
    public func apply(to optimizer: any Optimizer, at position: TrainingPosition) {
        optimizer.learningRate = learningRate(at: position, base: optimizer.initialLearningRate)
    }

    /// The rate at every batch of `epochs` epochs, for plotting the schedule.
    ///
    /// ```swift
    /// let curve = OneCycle(epochs: 5).learningRates(base: 0.1, epochs: 5, stepsPerEpoch: 100)
    /// ```
    public func learningRates(base: Float, epochs: Int, stepsPerEpoch: Int = 1) -> [Float] {
        var rates: [Float] = []
        for epoch in 0..<max(epochs, 0) {
            for step in 0..<max(stepsPerEpoch, 1) {
                rates.append(
                    learningRate(
                        at: TrainingPosition(
                            epoch: epoch, step: step, stepsPerEpoch: stepsPerEpoch),
                        base: base))
            }
        }
        return rates
    }
}
