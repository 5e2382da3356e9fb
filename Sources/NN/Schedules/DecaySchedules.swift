import Foundation

/// Multiplies the learning rate by `factor` every `stepSize` epochs, like PyTorch's `StepLR`:
/// η·γ^⌊epoch / stepSize⌋.
///
/// ```swift
/// let schedule = StepDecay(stepSize: 30, factor: 0.1)   // 0.1 → 0.01 at epoch 30 → …
/// ```
public struct StepDecay: LearningRateSchedule, Hashable {
    /// The number of epochs between decays.
    public var stepSize: Int
    /// γ, the multiplier at each decay.
    public var factor: Float

    /// A step decay by `factor` every `stepSize` epochs (at least 1).
    public init(stepSize: Int, factor: Float = 0.1) {
        self.stepSize = max(stepSize, 1)
        self.factor = factor
    }

    /// η·γ^⌊epoch / stepSize⌋.
    public func learningRate(at position: TrainingPosition, base: Float) -> Float {
        base * Float(Foundation.pow(Double(factor), Double(max(position.epoch, 0) / stepSize)))
    }
}

/// Multiplies the learning rate by `factor` at each milestone epoch, like PyTorch's
/// `MultiStepLR`: η·γ^(number of milestones ≤ epoch).
///
/// ```swift
/// let schedule = MultiStepDecay(milestones: [30, 80], factor: 0.1)
/// ```
public struct MultiStepDecay: LearningRateSchedule, Hashable {
    /// The epochs at which the rate drops.
    public var milestones: [Int]
    /// γ, the multiplier at each milestone.
    public var factor: Float

    /// A decay by `factor` at each of `milestones`.
    public init(milestones: [Int], factor: Float = 0.1) {
        self.milestones = milestones.sorted()
        self.factor = factor
    }

    /// η·γ^(milestones passed).
    public func learningRate(at position: TrainingPosition, base: Float) -> Float {
        let passed = milestones.filter { $0 <= position.epoch }.count
        return base * Float(Foundation.pow(Double(factor), Double(passed)))
    }
}

/// Multiplies the learning rate by `factor` every epoch, like PyTorch's `ExponentialLR`:
/// η·γ^epoch.
///
/// ```swift
/// let schedule = ExponentialDecay(factor: 0.95)
/// ```
public struct ExponentialDecay: LearningRateSchedule, Hashable {
    /// γ, the multiplier per epoch.
    public var factor: Float

    /// An exponential decay by `factor` per epoch.
    public init(factor: Float) {
        self.factor = factor
    }

    /// η·γ^epoch.
    public func learningRate(at position: TrainingPosition, base: Float) -> Float {
        base * Float(Foundation.pow(Double(factor), Double(max(position.epoch, 0))))
    }
}
