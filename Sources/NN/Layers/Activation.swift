import Tensor

/// An elementwise (or, for softmax, row-wise) nonlinearity: the `activation:` argument of
/// `Dense` and `Conv2D`, and the function behind the activation layers (`ReLU()`, …).
///
/// ```swift
/// let hidden = try Dense(784, 128, activation: .relu)
/// let y = try Activation.gelu(x)
/// ```
public enum Activation: Sendable, Hashable {
    /// No nonlinearity.
    case identity
    /// max(x, 0).
    case relu
    /// x for x > 0, `slope`·x otherwise.
    case leakyRelu(slope: Float)
    /// x for x > 0, `alpha`·(eˣ − 1) otherwise.
    case elu(alpha: Float)
    /// The logistic function.
    case sigmoid
    /// The hyperbolic tangent.
    case tanh
    /// The exact (erf) Gaussian error linear unit, PyTorch's default GELU.
    case gelu
    /// log(1 + eˣ).
    case softplus
    /// Softmax along the last axis.
    case softmax

    /// Applies the activation.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        switch self {
        case .identity: return x
        case .relu: return try x.relu()
        case .leakyRelu(let slope): return try x.leakyRelu(slope: slope)
        case .elu(let alpha): return try x.elu(alpha: alpha)
        case .sigmoid: return try x.sigmoid()
        case .tanh: return try x.tanh()
        case .gelu: return try x.gelu()
        case .softplus: return try x.softplus()
        case .softmax: return try x.softmax(alongAxis: -1)
        }
    }

    /// The same activation as one `Tensor.linear` and `conv2d` can fuse into their output (applied in place,
    /// its derivative read off the output), or nil when it cannot.
    public var fusedActivation: FusedActivation? {
        switch self {
        case .identity: return .identity
        case .relu: return .relu
        case .leakyRelu(let slope): return slope > 0 ? .leakyRelu(slope: slope) : nil
        case .tanh: return .tanh
        case .sigmoid: return .sigmoid
        case .elu, .gelu, .softplus, .softmax: return nil
        }
    }

    /// The name used in summaries and architectures ("relu", "leakyRelu(0.2)").
    public var name: String {
        switch self {
        case .identity: return "identity"
        case .relu: return "relu"
        case .leakyRelu(let slope): return "leakyRelu(\(slope))"
        case .elu(let alpha): return "elu(\(alpha))"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .gelu: return "gelu"
        case .softplus: return "softplus"
        case .softmax: return "softmax"
        }
    }

    /// The activation named `name` (as `name` spells it), or nil.
    ///
    /// ```swift
    /// Activation(named: "leakyRelu(0.2)")   // .leakyRelu(slope: 0.2)
    /// ```
    public init?(named name: String) {
        let simple: [String: Activation] = [
            "identity": .identity, "linear": .identity, "relu": .relu, "sigmoid": .sigmoid,
            "tanh": .tanh, "gelu": .gelu, "softplus": .softplus, "softmax": .softmax,
            "leakyRelu": .leakyRelu(slope: 0.01), "elu": .elu(alpha: 1),
        ]
        if let activation = simple[name] {
            self = activation
            return
        }
        for (prefix, make) in [
            ("leakyRelu(", { Activation.leakyRelu(slope: $0) }),
            ("elu(", { Activation.elu(alpha: $0) }),
        ] as [(String, (Float) -> Activation)]
        where name.hasPrefix(prefix) && name.hasSuffix(")") {
            guard let value = Float(name.dropFirst(prefix.count).dropLast()) else { return nil }
            self = make(value)
            return
        }
        return nil
    }
}
