import NN
import Tensor

/// A `Dense` trained as it will run in int8 (quantization-aware training, Jacob et al. 2018):
/// the forward pass fake-quantizes the input (per tensor, affine, uint8 levels, range tracked
/// during training) and the weight (per output channel, symmetric); the backward pass is the
/// straight-through estimator of `Tensor.fakeQuantized` — the gradient passes unchanged where
/// the value lies inside the representable range and is zero where it was clipped.
///
/// Made by `prepareQuantizationAwareTraining(_:)`; its parameters are the dense layer's own
/// (same names, `1.weight`), so `fit` and every optimizer train it as usual. The input range is
/// the moving average of batch minima and maxima (PyTorch's `MovingAverageMinMaxObserver`,
/// averaging constant 0.01), updated in training mode only.
public final class FakeQuantizedDense: Layer, QuantizationCandidate {
    /// The float layer being trained.
    public let dense: Dense
    /// Training mode updates the input range; evaluation uses it as it is.
    public var isTraining = true
    /// The tracked input range `[low, high]`, nil before the first batch.
    public var inputRange: ClosedRange<Float>? { tracked.range }
    var tracked = MovingAverageRange()

    /// Wraps `dense` (shared, not copied).
    public init(_ dense: Dense) {
        self.dense = dense
    }

    /// `activation(fq(x)·fq(W)ᵀ + b)`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        if isTraining || inputRange == nil { try tracked.observe(input) }
        let x = try tracked.fakeQuantize(input, layer: "FakeQuantizedDense")
        let weight = dense.weight.value
        let scales = try Self.symmetricScales(of: weight)
        let w = try weight.fakeQuantized(
            scales: scales, zeroPoints: [Int32](repeating: 0, count: scales.count), axis: 0)
        return try dense.activation(Tensor.linear(x, weight: w, bias: dense.bias?.value))
    }

    /// The input quantization from the tracked range.
    public func chosenInputQuantization() throws -> ActivationQuantization {
        try tracked.quantization(layer: "FakeQuantizedDense")
    }

    /// max |w| / 127 for each row of `weight` (1 for an all-zero row).
    static func symmetricScales(of weight: Tensor) throws -> [Float] {
        let rows = weight.shape[0]
        let columns = weight.elementCount / Swift.max(rows, 1)
        return try weight.detached.withElements(of: Float.self) { values in
            (0..<rows).map { row in
                var bound: Float = 0
                for column in 0..<columns {
                    bound = Swift.max(bound, Swift.abs(values[row * columns + column]))
                }
                return bound > 0 && bound.isFinite ? bound / 127 : 1
            }
        }
    }

    /// The dense layer's `weight` and `bias`, under their own names.
    public var ownParameters: [(name: String, parameter: Parameter)] { dense.ownParameters }

    /// The dense layer's architecture under the type "FakeQuantizedDense", with the tracked
    /// input range (`inputLow`, `inputHigh`) when there is one.
    public func architecture() throws -> LayerArchitecture {
        try tracked.architecture(wrapping: dense, as: "FakeQuantizedDense")
    }

    /// The layer described by `architecture()`.
    static func build(_ architecture: LayerArchitecture) throws -> FakeQuantizedDense {
        let (inner, tracked) = try MovingAverageRange.unwrapping(
            architecture, innerType: "Dense", as: Dense.self)
        let layer = FakeQuantizedDense(inner)
        layer.tracked = tracked
        return layer
    }

    /// "784 → 128, relu, fake int8".
    public var configurationSummary: String { dense.configurationSummary + ", fake int8" }
}
