import Tensor

/// The running averages of one parameter for RMSProp; opaque outside the module.
public struct RMSPropState {
    /// The running mean of squared gradients.
    var squareAverage: Tensor
    /// The running mean of gradients (centered variant; a scalar placeholder otherwise).
    var gradientAverage: Tensor
    /// The momentum buffer (a scalar placeholder without momentum).
    var momentumBuffer: Tensor
    /// Room for v − ḡ² when centered (made on the first step, reused after).
    var centeredSquareAverage = Tensor(0)
    /// Room for the gradient plus coupled weight decay (made on the first decayed step).
    var decayedGradient = Tensor(0)
}

/// RMSProp (Hinton, Srivastava & Swersky, 2012, "Neural Networks for Machine Learning",
/// lecture 6e; the centered variant from Graves, 2013, "Generating Sequences With Recurrent
/// Neural Networks"), following PyTorch's `torch.optim.RMSprop` rule exactly:
///
/// ```text
/// g ← g + λ·p
/// v ← α·v + (1 − α)·g²
/// centered: ḡ ← α·ḡ + (1 − α)·g, d ← √(v − ḡ²) + ε; otherwise d ← √v + ε
/// momentum μ > 0: b ← μ·b + g/d, p ← p − η·b; otherwise p ← p − η·g/d
/// ```
///
/// ```swift
/// let opt = try RMSProp(learningRate: 1e-3)
/// ```
public final class RMSProp: OptimizerBase<RMSPropState> {
    /// α, the decay of the squared-gradient average.
    public var alpha: Float
    /// ε, added to the denominator.
    public var epsilon: Float
    /// μ, the momentum factor.
    public let momentum: Float
    /// Whether to normalize by the variance rather than the second moment.
    public let centered: Bool

    /// RMSProp with PyTorch's defaults (η = 0.01, α = 0.99, ε = 1e-8).
    ///
    /// - Parameters:
    ///   - learningRate: η.
    ///   - alpha: α in [0, 1).
    ///   - epsilon: ε > 0.
    ///   - momentum: μ in [0, 1].
    ///   - centered: Use the centered variant.
    ///   - weightDecay: λ, added to the gradient.
    public init(
        learningRate: Float = 0.01, alpha: Float = 0.99, epsilon: Float = 1e-8,
        momentum: Float = 0, centered: Bool = false, weightDecay: Float = 0
    ) throws {
        try requireHyperparameter(alpha, in: 0...0.999_999_9, "alpha", of: "RMSProp")
        try requireHyperparameter(momentum, in: 0...1, "momentum", of: "RMSProp")
        guard epsilon > 0 else {
            throw NNError.invalidArgument(function: "RMSProp", message: "epsilon must be positive")
        }
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
        try super.init(name: "RMSProp", learningRate: learningRate, weightDecay: weightDecay)
    }

    /// Learning rate, weight decay, α, ε and momentum.
    override public var hyperparameters: [(name: String, value: Float)] {
        super.hyperparameters + [("alpha", alpha), ("epsilon", epsilon), ("momentum", momentum)]
    }

    override func makeState(for parameter: Parameter) throws -> RMSPropState {
        RMSPropState(
            squareAverage: try Tensor.zeros(like: parameter.value),
            gradientAverage: centered ? try Tensor.zeros(like: parameter.value) : Tensor(0),
            momentumBuffer: momentum > 0 ? try Tensor.zeros(like: parameter.value) : Tensor(0))
    }

    override func step(
        _ value: inout Tensor, gradient: Tensor, state: inout RMSPropState,
        settings: StepSettings
    ) throws {
        let g = try coupledDecay(
            gradient, value: value, decay: settings.weightDecay, into: &state.decayedGradient)
        try state.squareAverage.lerpSquared(toward: g, weight: 1 - alpha)
        if centered {
            try state.gradientAverage.lerp(toward: g, weight: 1 - alpha)
            if state.centeredSquareAverage.shape != g.shape {
                state.centeredSquareAverage = try Tensor.zeros(like: g)
            }
            try state.centeredSquareAverage.assign(state.squareAverage)
            try state.centeredSquareAverage.addScaledProduct(
                state.gradientAverage, state.gradientAverage, by: -1)
        }
        let second = centered ? state.centeredSquareAverage : state.squareAverage
        if momentum > 0 {
            try state.momentumBuffer.scale(by: momentum)
            try state.momentumBuffer.addScaledQuotient(
                g, overRootOf: second, by: 1, epsilon: epsilon)
            try value.addScaled(state.momentumBuffer, by: -settings.learningRate)
        } else {
            try value.addScaledQuotient(
                g, overRootOf: second, by: -settings.learningRate, epsilon: epsilon)
        }
    }
}
