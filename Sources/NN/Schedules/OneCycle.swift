import Foundation

/// The one-cycle policy (Smith & Topin, 2019, "Super-Convergence: Very Fast Training of Neural
/// Networks Using Large Learning Rates"), following PyTorch's `OneCycleLR` (two phases, cosine
/// annealing), batch by batch over `epochs` epochs:
///
/// ```text
/// warm-up, steps 0 … f·T − 1:   η_max/div → η_max
/// annealing, to step T − 1:      η_max → η_max/(div·finalDiv)
/// ```
///
/// each by η_end + (η_start − η_end)·(1 + cos(π·pct))/2. The peak is `maximum`, or the
/// optimizer's own learning rate when nil. (PyTorch also cycles momentum; this schedule sets
/// only the learning rate.)
///
/// ```swift
/// let schedule = OneCycle(epochs: 5, maximum: 0.1)
/// ```
public struct OneCycle: LearningRateSchedule, Hashable {
    /// The number of epochs the cycle spans.
    public var epochs: Int
    /// η_max, or nil for the optimizer's initial learning rate.
    public var maximum: Float?
    /// f, the fraction of the cycle spent warming up.
    public var warmupFraction: Double
    /// div: the starting rate is η_max/div.
    public var divisionFactor: Float
    /// finalDiv: the final rate is η_max/(div·finalDiv).
    public var finalDivisionFactor: Float

    /// A one-cycle schedule with PyTorch's defaults (f = 0.3, div = 25, finalDiv = 10⁴).
    public init(
        epochs: Int, maximum: Float? = nil, warmupFraction: Double = 0.3,
        divisionFactor: Float = 25, finalDivisionFactor: Float = 10_000
    ) {
        self.epochs = max(epochs, 1)
        self.maximum = maximum
        self.warmupFraction = min(max(warmupFraction, 0), 1)
        self.divisionFactor = divisionFactor > 0 ? divisionFactor : 25
        self.finalDivisionFactor = finalDivisionFactor > 0 ? finalDivisionFactor : 10_000
    }

    /// The rate at `position` (see the type's description).
    public func learningRate(at position: TrainingPosition, base: Float) -> Float {
        let peak = maximum ?? base
        let initial = peak / divisionFactor
        let final = initial / finalDivisionFactor
        let total = Double(epochs * position.stepsPerEpoch)
        let warmupEnd = warmupFraction * total - 1
        let end = total - 1
        let step = Double(min(max(position.globalStep, 0), epochs * position.stepsPerEpoch - 1))
        if step <= warmupEnd {
            return Self.anneal(
                from: initial, to: peak, fraction: warmupEnd > 0 ? step / warmupEnd : 1)
        }
        let span = end - warmupEnd
        return Self.anneal(
            from: peak, to: final, fraction: span > 0 ? (step - warmupEnd) / span : 1)
    }

    /// end + (start − end)·(1 + cos(π·fraction))/2.
    private static func anneal(from start: Float, to end: Float, fraction: Double) -> Float {
        end + (start - end) * Float((1 + Foundation.cos(Double.pi * fraction)) / 2)
    }
}
