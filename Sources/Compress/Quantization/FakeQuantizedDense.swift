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
    /// The weight of each new batch's range in the moving average.
    public let averagingConstant: Float = 0.01
    /// The tracked input range `[low, high]`, nil before the first batch.
    public private(set) var inputRange: ClosedRange<Float>?

    /// Wraps `dense` (shared, not copied).
    public init(_ dense: Dense) {
        self.dense = dense
    }

    /// `activation(fq(x)·fq(W)ᵀ + b)`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        if isTraining || inputRange == nil { try observe(input) }
        let inputQuantization = try chosenInputQuantization()
        let x = try input.fakeQuantized(
            scales: [inputQuantization.scale], zeroPoints: [inputQuantization.zeroPoint - 128])
        let weight = dense.weight.value
        let scales = try Self.symmetricScales(of: weight)
        let w = try weight.fakeQuantized(
            scales: scales, zeroPoints: [Int32](repeating: 0, count: scales.count), axis: 0)
        return try dense.activation(Tensor.linear(x, weight: w, bias: dense.bias?.value))
    }

    /// The input quantization from the tracked range.
    public func chosenInputQuantization() throws -> ActivationQuantization {
        guard let inputRange else {
            throw CompressError.unsupported(
                function: "FakeQuantizedDense",
                message: "no input range yet: train or run the model on some data first")
        }
        return ActivationQuantization(low: inputRange.lowerBound, high: inputRange.upperBound)
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

    private func observe(_ input: Tensor) throws {
        let observer = RangeObserver(method: .minMax)
        try observer.observe(input.detached)
        guard !observer.isEmpty, observer.low.isFinite, observer.high.isFinite else { return }
        guard let current = inputRange else {
            inputRange = observer.low...observer.high
            return
        }
        let c = averagingConstant
        let low = current.lowerBound + c * (observer.low - current.lowerBound)
        let high = current.upperBound + c * (observer.high - current.upperBound)
        inputRange = Swift.min(low, high)...Swift.max(low, high)
    }

    /// The dense layer's `weight` and `bias`, under their own names.
    public var ownParameters: [(name: String, parameter: Parameter)] { dense.ownParameters }

    /// The dense layer's architecture under the type "FakeQuantizedDense", with the tracked
    /// input range (`inputLow`, `inputHigh`) when there is one.
    public func architecture() throws -> LayerArchitecture {
        var architecture = try dense.architecture()
        architecture.type = "FakeQuantizedDense"
        if let inputRange {
            architecture.options["inputLow"] = .float(inputRange.lowerBound)
            architecture.options["inputHigh"] = .float(inputRange.upperBound)
        }
        return architecture
    }

    /// The layer described by `architecture()`.
    static func build(_ architecture: LayerArchitecture) throws -> FakeQuantizedDense {
        var options = architecture.options
        let low = options.removeValue(forKey: "inputLow")
        let high = options.removeValue(forKey: "inputHigh")
        guard let dense = try LayerArchitecture(type: "Dense", options: options).build() as? Dense
        else {
            throw NNError.invalidArchitecture("FakeQuantizedDense: the options describe no Dense")
        }
        let layer = FakeQuantizedDense(dense)
        func number(_ option: ArchitectureOption?) -> Float? {
            switch option {
            case .number(let value)?: return Float(value)
            case .int(let value)?: return Float(value)
            default: return nil
            }
        }
        switch (number(low), number(high)) {
        case (let lowValue?, let highValue?) where lowValue <= highValue:
            layer.inputRange = lowValue...highValue
        case (nil, nil) where low == nil && high == nil: break
        default:
            throw NNError.invalidArchitecture(
                "FakeQuantizedDense: inputLow and inputHigh must be numbers, low ≤ high")
        }
        return layer
    }

    /// "784 → 128, relu, fake int8".
    public var configurationSummary: String { dense.configurationSummary + ", fake int8" }
}

/// A copy of `model` prepared for quantization-aware training: every `Dense` (inside
/// Sequentials) becomes a `FakeQuantizedDense`. Train it with `fit` (typically a few epochs from
/// the trained float weights), then `convertQuantizationAware(_:)` gives the int8 model.
///
/// ```swift
/// let qat = try prepareQuantizationAwareTraining(model)
/// try qat.fit(data.train, epochs: 2, optimizer: Adam(learningRate: 1e-4))
/// let q = try convertQuantizationAware(qat)
/// ```
public func prepareQuantizationAwareTraining(_ model: any Layer) throws -> any Layer {
    guard model.namedLayers().contains(where: { $0.layer is Dense }) else {
        throw CompressError.unsupported(
            function: "prepareQuantizationAwareTraining",
            message: "the model has no Dense layer to quantize")
    }
    QuantizedLayers.register()
    let copy = try LayerRewriting.copy(model, function: "prepareQuantizationAwareTraining")
    return try LayerRewriting.rewrite(copy) { layer, _ in
        (layer as? Dense).map { FakeQuantizedDense($0) }
    }
}

/// The int8 model of a model prepared by `prepareQuantizationAwareTraining(_:)` and trained:
/// each `FakeQuantizedDense` becomes a static `QuantizedDense` with the weights it learned and
/// the input range it tracked.
public func convertQuantizationAware(_ model: any Layer) throws -> any Layer {
    QuantizedLayers.register()
    guard model.namedLayers().contains(where: { $0.layer is FakeQuantizedDense }) else {
        throw CompressError.unsupported(
            function: "convertQuantizationAware",
            message: "the model has no fake-quantized layer; prepare it with "
                + "prepareQuantizationAwareTraining(model) and train it first")
    }
    let copy = try LayerRewriting.copy(model, function: "convertQuantizationAware")
    return try LayerRewriting.convertCandidates(copy)
}
