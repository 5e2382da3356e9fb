import Foundation
import Tensor

/// The moment estimates of one parameter for Adam and AdamW; opaque outside the module.
public struct AdamState {
    /// The number of steps taken for this parameter.
    var step: Int
    /// The first moment m (a running mean of gradients).
    var firstMoment: Tensor
    /// The second moment v (a running mean of squared gradients).
    var secondMoment: Tensor
    /// The largest second moment so far (AMSGrad only; a scalar placeholder otherwise).
    var maximumSecondMoment: Tensor
    /// Room for the gradient plus coupled weight decay (made on the first decayed step).
    var decayedGradient = Tensor(0)
}

/// Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization"), with the AMSGrad
/// variant (Reddi et al., 2018, "On the Convergence of Adam and Beyond"), following PyTorch's
/// `torch.optim.Adam` rule exactly:
///
/// ```text
/// g ← g + λ·p                          (weight decay λ, coupled: an L2 penalty)
/// m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²
/// v̂ ← max(v̂, v) with AMSGrad, else v
/// p ← p − η/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
/// ```
///
/// ```swift
/// let opt = try Adam(learningRate: 1e-3)
/// ```
public final class Adam: OptimizerBase<AdamState> {
    /// β₁, the decay of the first moment.
    public var beta1: Float
    /// β₂, the decay of the second moment.
    public var beta2: Float
    /// ε, added to the denominator for numerical stability.
    public var epsilon: Float
    /// Whether to use the AMSGrad variant.
    public let amsgrad: Bool

    /// Adam with PyTorch's defaults (η = 1e-3, β = (0.9, 0.999), ε = 1e-8).
    ///
    /// - Parameters:
    ///   - learningRate: η.
    ///   - beta1: β₁ in [0, 1).
    ///   - beta2: β₂ in [0, 1).
    ///   - epsilon: ε > 0.
    ///   - weightDecay: λ, added to the gradient (use `AdamW` for decoupled decay).
    ///   - amsgrad: Use the maximum of past second moments.
    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0, amsgrad: Bool = false
    ) throws {
        try checkAdamHyperparameters(beta1, beta2, epsilon, "Adam")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        try super.init(name: "Adam", learningRate: learningRate, weightDecay: weightDecay)
    }

    /// Learning rate, weight decay, β₁, β₂ and ε.
    override public var hyperparameters: [(name: String, value: Float)] {
        super.hyperparameters + [("beta1", beta1), ("beta2", beta2), ("epsilon", epsilon)]
    }

    override func makeState(for parameter: Parameter) throws -> AdamState {
        try makeAdamState(for: parameter, amsgrad: amsgrad)
    }

    override func step(
        _ value: inout Tensor, gradient: Tensor, state: inout AdamState, settings: StepSettings
    ) throws {
        let decayed = try coupledDecay(
            gradient, value: value, decay: settings.weightDecay, into: &state.decayedGradient)
        try adamStep(
            &value, gradient: decayed, state: &state, learningRate: settings.learningRate,
            beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad)
    }
}

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019, "Decoupled Weight
/// Decay Regularization"), following PyTorch's `torch.optim.AdamW`: the parameter first
/// shrinks by p ← p·(1 − η·λ), then takes the Adam step without any decay in the gradient, so
/// the decay is not rescaled by the adaptive denominator.
///
/// ```swift
/// let opt = try AdamW(learningRate: 1e-3, weightDecay: 0.01)
/// ```
public final class AdamW: OptimizerBase<AdamState> {
    /// β₁, the decay of the first moment.
    public var beta1: Float
    /// β₂, the decay of the second moment.
    public var beta2: Float
    /// ε, added to the denominator for numerical stability.
    public var epsilon: Float
    /// Whether to use the AMSGrad variant.
    public let amsgrad: Bool

    /// AdamW with PyTorch's defaults (η = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0.01).
    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0.01, amsgrad: Bool = false
    ) throws {
        try checkAdamHyperparameters(beta1, beta2, epsilon, "AdamW")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        try super.init(name: "AdamW", learningRate: learningRate, weightDecay: weightDecay)
    }

    /// Learning rate, weight decay, β₁, β₂ and ε.
    override public var hyperparameters: [(name: String, value: Float)] {
        super.hyperparameters + [("beta1", beta1), ("beta2", beta2), ("epsilon", epsilon)]
    }

    override func makeState(for parameter: Parameter) throws -> AdamState {
        try makeAdamState(for: parameter, amsgrad: amsgrad)
    }

    override func step(
        _ value: inout Tensor, gradient: Tensor, state: inout AdamState, settings: StepSettings
    ) throws {
        if settings.weightDecay != 0 {
            try value.scale(by: 1 - settings.learningRate * settings.weightDecay)
        }
        try adamStep(
            &value, gradient: gradient, state: &state, learningRate: settings.learningRate,
            beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad)
    }
}

// MARK: - The shared rule

private func checkAdamHyperparameters(
    _ beta1: Float, _ beta2: Float, _ epsilon: Float, _ name: String
) throws {
    try requireHyperparameter(beta1, in: 0...0.999_999_9, "beta1", of: name)
    try requireHyperparameter(beta2, in: 0...0.999_999_9, "beta2", of: name)
    guard epsilon > 0 else {
        throw NNError.invalidArgument(function: name, message: "epsilon must be positive")
    }
}

private func makeAdamState(for parameter: Parameter, amsgrad: Bool) throws -> AdamState {
    AdamState(
        step: 0, firstMoment: try Tensor.zeros(like: parameter.value),
        secondMoment: try Tensor.zeros(like: parameter.value),
        maximumSecondMoment: amsgrad ? try Tensor.zeros(like: parameter.value) : Tensor(0))
}

/// One Adam step on `value` (the gradient already includes any coupled weight decay), in one
/// fused pass and no allocation (four passes with AMSGrad). The bias corrections fold into the
/// scale and ε: η/c₁ · m / (√v / √c₂ + ε) = (η·√c₂/c₁) · m / (√v + ε·√c₂).
private func adamStep(
    _ value: inout Tensor, gradient: Tensor, state: inout AdamState, learningRate: Float,
    beta1: Float, beta2: Float, epsilon: Float, amsgrad: Bool
) throws {
    state.step += 1
    let step = Double(state.step)
    let correction1 = Float(1 - Foundation.pow(Double(beta1), step))
    let correction2Root = Float((1 - Foundation.pow(Double(beta2), step)).squareRoot())
    let scale = -learningRate * correction2Root / correction1
    guard amsgrad else {
        try value.addAdamStep(
            gradient: gradient, firstMoment: &state.firstMoment,
            secondMoment: &state.secondMoment, firstWeight: 1 - beta1, secondWeight: 1 - beta2,
            scale: scale, epsilon: epsilon * correction2Root)
        return
    }
    try state.firstMoment.lerp(toward: gradient, weight: 1 - beta1)
    try state.secondMoment.lerpSquared(toward: gradient, weight: 1 - beta2)
    try state.maximumSecondMoment.formMaximum(with: state.secondMoment)
    try value.addScaledQuotient(
        state.firstMoment, overRootOf: state.maximumSecondMoment, by: scale,
        epsilon: epsilon * correction2Root)
}
