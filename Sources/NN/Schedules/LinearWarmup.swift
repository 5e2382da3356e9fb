/// Ramps the learning rate linearly from `startFactor`·η to η over the first `steps` batches,
/// like PyTorch's `LinearLR`, optionally on top of another schedule (whose rate it multiplies).
///
/// ```swift
/// let schedule = LinearWarmup(steps: 500, then: ExponentialDecay(factor: 0.9))
/// ```
public struct LinearWarmup: LearningRateSchedule {
    /// The number of batches of warm-up.
    public var steps: Int
    /// The fraction of the rate at the first batch.
    public var startFactor: Float
    /// The schedule after (and under) the warm-up; nil for a constant rate.
    public var schedule: (any LearningRateSchedule)?

    /// A linear warm-up over `steps` batches from `startFactor`·η.
    public init(
        steps: Int, startFactor: Float = 0, then schedule: (any LearningRateSchedule)? = nil
    ) {
        self.steps = max(steps, 1)
        self.startFactor = startFactor
        self.schedule = schedule
    }

    /// (startFactor + (1 − startFactor)·min(step / steps, 1)) times the inner schedule's rate.
    public func learningRate(at position: TrainingPosition, base: Float) -> Float {
        let progress = min(Float(max(position.globalStep, 0)) / Float(steps), 1)
        let factor = startFactor + (1 - startFactor) * progress
        return factor * (schedule?.learningRate(at: position, base: base) ?? base)
    }

    /// Passes the metric to the inner schedule.
    public mutating func observe(metric: Float) {
        schedule?.observe(metric: metric)
    }
}
