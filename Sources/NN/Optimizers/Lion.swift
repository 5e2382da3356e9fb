import Tensor

/// The momentum of one parameter for Lion; opaque outside the module.
public struct LionState {
    /// The exponential moving average of gradients.
    var momentum: Tensor
}

/// Lion, "EvoLved Sign Momentum" (Chen et al., 2023, "Symbolic Discovery of Optimization
/// Algorithms", Algorithm 2): every coordinate moves by exactly ±η, in the direction of an
/// interpolation between the momentum and the gradient; weight decay is decoupled.
///
/// ```text
/// p ← p·(1 − η·λ)
/// c ← β₁·m + (1 − β₁)·g
/// p ← p − η·sign(c)
/// m ← β₂·m + (1 − β₂)·g
/// ```
///
/// The paper recommends a learning rate 3–10× smaller than AdamW's and a weight decay 3–10×
/// larger.
///
/// ```swift
/// let opt = try Lion(learningRate: 1e-4, weightDecay: 0.1)
/// ```
public final class Lion: OptimizerBase<LionState> {
    /// β₁, the interpolation weight of the momentum in the update direction.
    public var beta1: Float
    /// β₂, the decay of the momentum.
    public var beta2: Float

    /// Lion with the paper's defaults (η = 1e-4, β = (0.9, 0.99), λ = 0).
    public init(
        learningRate: Float = 1e-4, beta1: Float = 0.9, beta2: Float = 0.99,
        weightDecay: Float = 0
    ) throws {
        try requireHyperparameter(beta1, in: 0...1, "beta1", of: "Lion")
        try requireHyperparameter(beta2, in: 0...1, "beta2", of: "Lion")
        self.beta1 = beta1
        self.beta2 = beta2
        try super.init(name: "Lion", learningRate: learningRate, weightDecay: weightDecay)
    }

    /// Learning rate, weight decay, β₁ and β₂.
    override public var hyperparameters: [(name: String, value: Float)] {
        super.hyperparameters + [("beta1", beta1), ("beta2", beta2)]
    }

    override func makeState(for parameter: Parameter) throws -> LionState {
        LionState(momentum: try Tensor.zeros(like: parameter.value))
    }

    override func step(
        _ value: inout Tensor, gradient: Tensor, state: inout LionState, settings: StepSettings
    ) throws {
        let rate = settings.learningRate
        if settings.weightDecay != 0 { try value.scale(by: 1 - rate * settings.weightDecay) }
        try value.addScaledSign(
            ofLerpFrom: state.momentum, toward: gradient, weight: 1 - beta1, by: -rate)
        try state.momentum.lerp(toward: gradient, weight: 1 - beta2)
    }
}
