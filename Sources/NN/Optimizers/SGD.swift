import Tensor

/// The momentum buffer of one parameter (a scalar placeholder until momentum is used); opaque
/// outside the module.
public struct MomentumState {
    /// The velocity; of the parameter's shape once the first momentum step has run.
    var buffer: Tensor
    /// Whether `buffer` holds a velocity (PyTorch starts it at the first gradient).
    var isStarted: Bool
}

/// Stochastic gradient descent (Robbins & Monro, 1951, "A Stochastic Approximation Method")
/// with optional momentum (Polyak, 1964), dampening and Nesterov momentum (Sutskever et al.,
/// 2013, "On the importance of initialization and momentum in deep learning"), following
/// PyTorch's `torch.optim.SGD` rule exactly:
///
/// ```text
/// g ← g + λ·p                                  (weight decay λ, coupled)
/// b ← g at the first step, else μ·b + (1 − τ)·g  (momentum μ, dampening τ)
/// g ← g + μ·b with Nesterov, else b
/// p ← p − η·g
/// ```
///
/// ```swift
/// let opt = try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
/// ```
public final class SGD: OptimizerBase<MomentumState> {
    /// The momentum factor μ (0 for plain SGD).
    public var momentum: Float
    /// The dampening τ of the gradient added to the momentum buffer.
    public var dampening: Float
    /// Whether to use Nesterov momentum.
    public var nesterov: Bool

    /// SGD with the given hyperparameters.
    ///
    /// - Parameters:
    ///   - learningRate: η.
    ///   - momentum: μ in [0, 1].
    ///   - dampening: τ in [0, 1].
    ///   - nesterov: Nesterov momentum (needs momentum > 0 and no dampening).
    ///   - weightDecay: λ, added to the gradient as λ·p (L2, as PyTorch's SGD does).
    public init(
        learningRate: Float = 0.01, momentum: Float = 0, dampening: Float = 0,
        nesterov: Bool = false, weightDecay: Float = 0
    ) throws {
        try requireHyperparameter(momentum, in: 0...1, "momentum", of: "SGD")
        try requireHyperparameter(dampening, in: 0...1, "dampening", of: "SGD")
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw NNError.invalidArgument(
                function: "SGD", message: "Nesterov momentum needs momentum > 0 and no dampening")
        }
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        try super.init(name: "SGD", learningRate: learningRate, weightDecay: weightDecay)
    }

    /// Learning rate, weight decay, momentum and dampening.
    override public var hyperparameters: [(name: String, value: Float)] {
        super.hyperparameters + [("momentum", momentum), ("dampening", dampening)]
    }

    override func makeState(for parameter: Parameter) throws -> MomentumState {
        MomentumState(buffer: Tensor(0), isStarted: false)
    }

    override func step(
        _ value: inout Tensor, gradient: Tensor, state: inout MomentumState,
        settings: StepSettings
    ) throws {
        let (rate, decay) = (settings.learningRate, settings.weightDecay)
        guard momentum != 0 else {
            if decay != 0 { try value.scale(by: 1 - rate * decay) }
            try value.addScaled(gradient, by: -rate)
            return
        }
        if state.isStarted, state.buffer.shape == value.shape {
            try state.buffer.scale(by: momentum)
            try state.buffer.addScaled(gradient, by: 1 - dampening)
            if decay != 0 { try state.buffer.addScaled(value, by: (1 - dampening) * decay) }
        } else {
            state.buffer = try Tensor.zeros(like: value)
            try state.buffer.assign(gradient)
            if decay != 0 { try state.buffer.addScaled(value, by: decay) }
            state.isStarted = true
        }
        if nesterov {
            if decay != 0 { try value.scale(by: 1 - rate * decay) }
            try value.addScaled(gradient, by: -rate)
            try value.addScaled(state.buffer, by: -rate * momentum)
        } else {
            try value.addScaled(state.buffer, by: -rate)
        }
    }
}
