import Tensor

/// The running averages of one parameter for Adadelta; opaque outside the module.
public struct AdadeltaState {
    /// The running mean of squared gradients.
    var squareAverage: Tensor
    /// The running mean of squared updates.
    var deltaAverage: Tensor
    /// Room for this step's update (made on the first step, reused after).
    var delta = Tensor(0)
    /// Room for the gradient plus coupled weight decay (made on the first decayed step).
    var decayedGradient = Tensor(0)
}

/// Adadelta (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method"), following PyTorch's
/// `torch.optim.Adadelta` rule exactly:
///
/// ```text
/// g ← g + λ·p
/// v ← ρ·v + (1 − ρ)·g²
/// Δ ← √(u + ε) / √(v + ε) · g
/// u ← ρ·u + (1 − ρ)·Δ²
/// p ← p − η·Δ
/// ```
///
/// ```swift
/// let opt = try Adadelta()
/// ```
public final class Adadelta: OptimizerBase<AdadeltaState> {
    /// ρ, the decay of both running averages.
    public var rho: Float
    /// ε, inside both square roots.
    public var epsilon: Float

    /// Adadelta with PyTorch's defaults (η = 1, ρ = 0.9, ε = 1e-6).
    public init(
        learningRate: Float = 1, rho: Float = 0.9, epsilon: Float = 1e-6, weightDecay: Float = 0
    ) throws {
        try requireHyperparameter(rho, in: 0...1, "rho", of: "Adadelta")
        guard epsilon > 0 else {
            throw NNError.invalidArgument(function: "Adadelta", message: "epsilon must be > 0")
        }
        self.rho = rho
        self.epsilon = epsilon
        try super.init(name: "Adadelta", learningRate: learningRate, weightDecay: weightDecay)
    }

    /// Learning rate, weight decay, ρ and ε.
    override public var hyperparameters: [(name: String, value: Float)] {
        super.hyperparameters + [("rho", rho), ("epsilon", epsilon)]
    }

    override func makeState(for parameter: Parameter) throws -> AdadeltaState {
        AdadeltaState(
            squareAverage: try Tensor.zeros(like: parameter.value),
            deltaAverage: try Tensor.zeros(like: parameter.value))
    }

    override func step(
        _ value: inout Tensor, gradient: Tensor, state: inout AdadeltaState,
        settings: StepSettings
    ) throws {
        let g = try coupledDecay(
            gradient, value: value, decay: settings.weightDecay, into: &state.decayedGradient)
        try state.squareAverage.lerpSquared(toward: g, weight: 1 - rho)
        if state.delta.shape != g.shape { state.delta = try Tensor.zeros(like: g) }
        try state.delta.assign(g)
        try state.delta.multiplyByRootRatio(
            of: state.deltaAverage, over: state.squareAverage, epsilon: epsilon)
        try state.deltaAverage.lerpSquared(toward: state.delta, weight: 1 - rho)
        try value.addScaled(state.delta, by: -settings.learningRate)
    }
}
