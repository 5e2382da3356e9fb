import NN
import Tensor

/// A `Conv2D` trained as it will run in int8 (quantization-aware training, Jacob et al. 2018),
/// as `FakeQuantizedDense` for dense layers: the forward pass fake-quantizes the input (per
/// tensor, affine, uint8 levels, a moving-average range tracked in training mode) and the
/// weight (per output channel, symmetric); the backward pass is the straight-through estimator
/// of `Tensor.fakeQuantized`.
///
/// Made by `prepareQuantizationAwareTraining(_:)` (after folding a following BatchNorm into the
/// convolution); its parameters are the convolution's own, so `fit` and every optimizer train
/// it as usual, and `convertQuantizationAware(_:)` turns it into a `QuantizedConv2D`.
public final class FakeQuantizedConv2D: Layer, ConvolutionCandidate {
    /// The float layer being trained.
    public let conv: Conv2D
    /// Training mode updates the input range; evaluation uses it as it is.
    public var isTraining = true
    /// The tracked input range `[low, high]`, nil before the first batch.
    public var inputRange: ClosedRange<Float>? { tracked.range }
    var tracked = MovingAverageRange()

    /// Wraps `conv` (shared, not copied).
    public init(_ conv: Conv2D) {
        self.conv = conv
    }

    /// `activation(conv(fq(x), fq(W)) + b)`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        if isTraining || inputRange == nil { try tracked.observe(input) }
        let x = try tracked.fakeQuantize(input, layer: "FakeQuantizedConv2D")
        let weight = conv.weight.value
        let scales = try FakeQuantizedDense.symmetricScales(of: weight)
        let w = try weight.fakeQuantized(
            scales: scales, zeroPoints: [Int32](repeating: 0, count: scales.count), axis: 0)
        return try conv.convolve(x, weight: w)
    }

    /// The input quantization from the tracked range.
    public func chosenInputQuantization() throws -> ActivationQuantization {
        try tracked.quantization(layer: "FakeQuantizedConv2D")
    }

    /// The convolution's `weight` and `bias`, under their own names.
    public var ownParameters: [(name: String, parameter: Parameter)] { conv.ownParameters }

    /// The convolution's architecture under the type "FakeQuantizedConv2D", with the tracked
    /// input range (`inputLow`, `inputHigh`) when there is one.
    public func architecture() throws -> LayerArchitecture {
        try tracked.architecture(wrapping: conv, as: "FakeQuantizedConv2D")
    }

    /// The layer described by `architecture()`.
    static func build(_ architecture: LayerArchitecture) throws -> FakeQuantizedConv2D {
        let (inner, tracked) = try MovingAverageRange.unwrapping(
            architecture, innerType: "Conv2D", as: Conv2D.self)
        let layer = FakeQuantizedConv2D(inner)
        layer.tracked = tracked
        return layer
    }

    /// "1 → 16, 3×3, padding same, relu, fake int8".
    public var configurationSummary: String { conv.configurationSummary + ", fake int8" }
}
