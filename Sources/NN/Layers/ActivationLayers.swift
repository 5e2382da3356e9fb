import Tensor

/// A layer that applies an `Activation` and has no parameters; the concrete activation layers
/// (`ReLU()`, `Sigmoid()`, `Tanh()`, `GELU()`, `LeakyReLU()`, `Softmax()`) are its subclasses,
/// named like their `torch.nn` counterparts.
///
/// ```swift
/// let model = try Sequential { Flatten(); try Dense(784, 128); ReLU(); try Dense(128, 10) }
/// ```
public class ActivationLayer: Layer {
    /// The function applied.
    public let activation: Activation
    /// Unused: activations behave the same in training and evaluation.
    public var isTraining = true

    /// A layer applying `activation`.
    public init(_ activation: Activation) {
        self.activation = activation
    }

    /// Applies the activation.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try activation(input)
    }

    /// The subclass's name, or "Activation" for the base class.
    public var typeName: String {
        let name = String(describing: type(of: self))
        return name == "ActivationLayer" ? "Activation" : name
    }

    /// The activation's name.
    public var configurationSummary: String {
        typeName == "Activation" ? activation.name : ""
    }

    /// The type name ("ReLU", or "Activation" for the base class) with the function's name.
    public func architecture() throws -> LayerArchitecture {
        LayerArchitecture(type: typeName, options: ["activation": .string(activation.name)])
    }
}

/// max(x, 0) as a layer, like `torch.nn.ReLU`.
public final class ReLU: ActivationLayer {
    /// A ReLU layer.
    public init() { super.init(.relu) }
}

/// The logistic function as a layer, like `torch.nn.Sigmoid`.
public final class Sigmoid: ActivationLayer {
    /// A sigmoid layer.
    public init() { super.init(.sigmoid) }
}

/// The hyperbolic tangent as a layer, like `torch.nn.Tanh`.
public final class Tanh: ActivationLayer {
    /// A tanh layer.
    public init() { super.init(.tanh) }
}

/// The exact GELU as a layer, like `torch.nn.GELU` (Hendrycks & Gimpel, 2016).
public final class GELU: ActivationLayer {
    /// A GELU layer.
    public init() { super.init(.gelu) }
}

/// The leaky ReLU as a layer, like `torch.nn.LeakyReLU`.
public final class LeakyReLU: ActivationLayer {
    /// A leaky ReLU with the given negative slope (PyTorch's default 0.01).
    public init(negativeSlope: Float = 0.01) { super.init(.leakyRelu(slope: negativeSlope)) }
}

/// Softmax along the last axis as a layer, like `torch.nn.Softmax(dim=-1)`.
public final class Softmax: ActivationLayer {
    /// A softmax layer.
    public init() { super.init(.softmax) }
}
