import Foundation
import Tensor

/// How a layer fills a new weight or bias tensor.
///
/// Fan-in and fan-out follow PyTorch's `torch.nn.init._calculate_fan_in_and_fan_out`: for a
/// weight of shape `[out, in, k…]`, fan-in is `in·∏k` and fan-out `out·∏k`; a 1-D tensor (a
/// bias) takes the fan-in of the layer it belongs to.
///
/// ```swift
/// let layer = try Dense(784, 128, weightInitializer: .heNormal())
/// ```
public enum Initializer: Sendable, Hashable {
    /// All zeros.
    case zeros
    /// All ones.
    case ones
    /// Every element equal to the value.
    case constant(Float)
    /// Uniform in [low, high).
    case uniform(low: Float, high: Float)
    /// Normal with the given mean and standard deviation.
    case normal(mean: Float, standardDeviation: Float)
    /// Glorot/Xavier uniform: U(±gain·√(6 / (fanIn + fanOut))) (Glorot & Bengio, 2010,
    /// "Understanding the difficulty of training deep feedforward neural networks").
    case glorotUniform(gain: Float)
    /// Glorot/Xavier normal: N(0, gain·√(2 / (fanIn + fanOut))).
    case glorotNormal(gain: Float)
    /// He/Kaiming uniform over the fan-in: U(±gain·√(3 / fanIn)), gain = √(2 / (1 + a²)) for a
    /// leaky ReLU of negative slope a (He et al., 2015, "Delving Deep into Rectifiers").
    case heUniform(negativeSlope: Float)
    /// He/Kaiming normal over the fan-in: N(0, gain / √fanIn).
    case heNormal(negativeSlope: Float)
    /// PyTorch's default for `Linear` and `Conv2d` weights and biases: U(±1/√fanIn), which is
    /// `kaiming_uniform_(a=√5)` (torch/nn/modules/linear.py, `reset_parameters`).
    case pytorchDefault

    /// Glorot/Xavier uniform with gain 1.
    public static var glorotUniform: Initializer { .glorotUniform(gain: 1) }
    /// Glorot/Xavier normal with gain 1.
    public static var glorotNormal: Initializer { .glorotNormal(gain: 1) }
    /// Xavier uniform (the same as Glorot uniform).
    public static var xavierUniform: Initializer { .glorotUniform(gain: 1) }
    /// Xavier normal (the same as Glorot normal).
    public static var xavierNormal: Initializer { .glorotNormal(gain: 1) }

    /// He/Kaiming uniform for ReLU layers (gain √2).
    public static func heUniform() -> Initializer { .heUniform(negativeSlope: 0) }
    /// He/Kaiming normal for ReLU layers (gain √2).
    public static func heNormal() -> Initializer { .heNormal(negativeSlope: 0) }

    /// A new tensor of `shape` filled by this initializer.
    ///
    /// - Parameters:
    ///   - shape: The tensor's shape.
    ///   - fanIn: The number of inputs of each output unit (used by the scaled initialisers).
    ///   - fanOut: The number of outputs of each input unit.
    ///   - generator: The random generator to draw from.
    public func make(
        _ shape: [Int], fanIn: Int, fanOut: Int, using generator: inout RandomGenerator
    ) throws -> Tensor {
        let fanIn = Float(max(fanIn, 1))
        let fanOut = Float(max(fanOut, 1))
        switch self {
        case .zeros: return try Tensor.zeros(shape)
        case .ones: return try Tensor.ones(shape)
        case .constant(let value): return try Tensor.full(shape, value: value)
        case .uniform(let low, let high):
            return try Tensor.uniform(shape, low: low, high: high, using: &generator)
        case .normal(let mean, let deviation):
            return try Tensor.normal(
                shape, mean: mean, standardDeviation: deviation, using: &generator)
        case .glorotUniform(let gain):
            let bound = gain * (6 / (fanIn + fanOut)).squareRoot()
            return try Tensor.uniform(shape, low: -bound, high: bound, using: &generator)
        case .glorotNormal(let gain):
            let deviation = gain * (2 / (fanIn + fanOut)).squareRoot()
            return try Tensor.normal(shape, standardDeviation: deviation, using: &generator)
        case .heUniform(let slope):
            let bound = Self.leakyReluGain(slope) * (3 / fanIn).squareRoot()
            return try Tensor.uniform(shape, low: -bound, high: bound, using: &generator)
        case .heNormal(let slope):
            let deviation = Self.leakyReluGain(slope) / fanIn.squareRoot()
            return try Tensor.normal(shape, standardDeviation: deviation, using: &generator)
        case .pytorchDefault:
            let bound = 1 / fanIn.squareRoot()
            return try Tensor.uniform(shape, low: -bound, high: bound, using: &generator)
        }
    }

    /// √(2 / (1 + a²)), PyTorch's `calculate_gain("leaky_relu", a)` (√2 for a ReLU).
    static func leakyReluGain(_ slope: Float) -> Float {
        (2 / (1 + slope * slope)).squareRoot()
    }
}

/// A generator for a layer's initialisation: seeded by `seed` when given, otherwise split from
/// the process default (which `seed(42)` in a session reseeds).
func initializationGenerator(seed: UInt64?) -> RandomGenerator {
    if let seed { return RandomGenerator(seed: seed) }
    return RandomGenerator.withDefault { $0.split() }
}
