/// Cuts the learning rate by `factor` when a monitored metric has stopped improving for more
/// than `patience` epochs, following PyTorch's `ReduceLROnPlateau` (relative threshold mode).
///
/// An epoch improves when the metric beats the best so far by more than `threshold` (relative):
/// below best·(1 − threshold) when minimizing, above best·(1 + threshold) when maximizing.
/// After a cut, `cooldown` epochs pass before bad epochs count again; the rate never goes below
/// `minimum`.
///
/// ```swift
/// var schedule = ReduceOnPlateau(patience: 2)
/// schedule.observe(metric: validationLoss)          // after each epoch
/// schedule.apply(to: opt, at: position)
/// ```
public struct ReduceOnPlateau: LearningRateSchedule, Hashable {
    /// Whether lower (a loss) or higher (an accuracy) is better.
    public enum Mode: String, Sendable, Hashable {
        /// Lower is better.
        case minimize
        /// Higher is better.
        case maximize
    }

    /// Whether the metric should go down or up.
    public var mode: Mode
    /// The multiplier at each cut.
    public var factor: Float
    /// The number of epochs without improvement tolerated before a cut.
    public var patience: Int
    /// The relative improvement that counts.
    public var threshold: Float
    /// The epochs after a cut during which no cut happens.
    public var cooldown: Int
    /// The lowest learning rate.
    public var minimum: Float

    /// The product of the cuts so far.
    public private(set) var scale: Float = 1
    /// The best metric so far (nil before the first).
    public private(set) var best: Float?
    /// Epochs since the last improvement.
    public private(set) var badEpochs = 0
    private var cooldownRemaining = 0

    /// A plateau schedule with PyTorch's defaults (factor 0.1, patience 10, threshold 1e-4).
    public init(
        mode: Mode = .minimize, factor: Float = 0.1, patience: Int = 10, threshold: Float = 1e-4,
        cooldown: Int = 0, minimum: Float = 0
    ) {
        self.mode = mode
        self.factor = factor > 0 && factor < 1 ? factor : 0.1
        self.patience = max(patience, 0)
        self.threshold = max(threshold, 0)
        self.cooldown = max(cooldown, 0)
        self.minimum = max(minimum, 0)
    }

    /// η·(product of the cuts), at least `minimum`.
    public func learningRate(at position: TrainingPosition, base: Float) -> Float {
        max(base * scale, minimum)
    }

    /// Records the metric of the epoch just finished and cuts the rate when it has plateaued.
    public mutating func observe(metric: Float) {
        guard !metric.isNaN else {
            badEpochs += 1
            return
        }
        if isImprovement(metric) {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownRemaining > 0 {
            cooldownRemaining -= 1
            badEpochs = 0
        }
        if badEpochs > patience {
            scale *= factor
            cooldownRemaining = cooldown
            badEpochs = 0
        }
    }

    private func isImprovement(_ metric: Float) -> Bool {
        guard let best else { return true }
        switch mode {
        case .minimize: return metric < best * (1 - threshold)
        case .maximize: return metric > best * (1 + threshold)
        }
    }
}
