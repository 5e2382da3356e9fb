import Tensor

/// The accumulated squared gradients of one parameter for Adagrad; opaque outside the module.
public struct AdagradState {
    /// The number of steps taken for this parameter.
    var step: Int
    /// Σ g², starting at the initial accumulator value.
    var sum: Tensor
    /// Room for the gradient plus coupled weight decay (made on the first decayed step).
    var decayedGradient = Tensor(0)
}

/// Adagrad (Duchi, Hazan & Singer, 2011, "Adaptive Subgradient Methods for Online Learning and
/// Stochastic Optimization"), following PyTorch's `torch.optim.Adagrad` rule exactly:
///
/// ```text
/// η_t ← η / (1 + (t − 1)·decay)
/// g ← g + λ·p
/// s ← s + g²
/// p ← p − η_t · g / (√s + ε)
/// ```
///
/// ```swift
/// let opt = try Adagrad(learningRate: 0.01)
/// ```
public final class Adagrad: OptimizerBase<AdagradState> {
    /// The learning-rate decay per step.
    public var learningRateDecay: Float
    /// ε, added to the denominator.
    public var epsilon: Float
    /// The starting value of the accumulator.
    public let initialAccumulatorValue: Float

    /// Adagrad with PyTorch's defaults (η = 0.01, no decay, ε = 1e-10, accumulator 0).
    public init(
        learningRate: Float = 0.01, learningRateDecay: Float = 0, epsilon: Float = 1e-10,
        initialAccumulatorValue: Float = 0, weightDecay: Float = 0
    ) throws {
        guard learningRateDecay >= 0, initialAccumulatorValue >= 0, epsilon > 0 else {
            throw NNError.invalidArgument(
                function: "Adagrad",
                message: "learningRateDecay and initialAccumulatorValue must be >= 0 and "
                    + "epsilon > 0")
        }
        self.learningRateDecay = learningRateDecay
        self.epsilon = epsilon
        self.initialAccumulatorValue = initialAccumulatorValue
        try super.init(name: "Adagrad", learningRate: learningRate, weightDecay: weightDecay)
    }

    /// Learning rate, weight decay, decay and ε.
    override public var hyperparameters: [(name: String, value: Float)] {
        super.hyperparameters + [("learningRateDecay", learningRateDecay), ("epsilon", epsilon)]
    }

    override func makeState(for parameter: Parameter) throws -> AdagradState {
        AdagradState(
            step: 0,
            sum: try Tensor.full(parameter.shape, value: initialAccumulatorValue))
    }

    override func step(
        _ value: inout Tensor, gradient: Tensor, state: inout AdagradState,
        settings: StepSettings
    ) throws {
        state.step += 1
        let rate = settings.learningRate / (1 + Float(state.step - 1) * learningRateDecay)
        let g = try coupledDecay(
            gradient, value: value, decay: settings.weightDecay, into: &state.decayedGradient)
        try state.sum.addScaledProduct(g, g, by: 1)
        try value.addScaledQuotient(g, overRootOf: state.sum, by: -rate, epsilon: epsilon)
    }
}
