import NN
import Tensor

/// A float `Dense` on its way to int8 that knows its input range: watched during calibration
/// (`ObservedDense`) or learned in quantization-aware training (`FakeQuantizedDense`).
protocol QuantizationCandidate: Layer {
    /// The float layer to quantize.
    var dense: Dense { get }
    /// The input quantization chosen for it.
    func chosenInputQuantization() throws -> ActivationQuantization
}

/// A float `Conv2D` on its way to int8 that knows its input range: watched during calibration
/// (`ObservedConv2D`) or learned in quantization-aware training (`FakeQuantizedConv2D`).
protocol ConvolutionCandidate: Layer {
    /// The float layer to quantize.
    var conv: Conv2D { get }
    /// The input quantization chosen for it.
    func chosenInputQuantization() throws -> ActivationQuantization
}

/// A `Dense` or `Conv2D` whose inputs are observed during calibration; the forward pass is
/// the float one.
final class ObservedLayer<Wrapped: Layer>: Layer {
    let wrapped: Wrapped
    let observer: RangeObserver
    let method: CalibrationMethod
    var isTraining = false

    init(_ wrapped: Wrapped, method: CalibrationMethod) {
        self.wrapped = wrapped
        self.method = method
        observer = RangeObserver(method: method)
    }

    func callAsFunction(_ input: Tensor) throws -> Tensor {
        try observer.observe(input)
        return try wrapped(input)
    }

    func chosenInputQuantization() throws -> ActivationQuantization {
        let range = try observer.range(method)
        return ActivationQuantization(low: range.lowerBound, high: range.upperBound)
    }
}

extension ObservedLayer: QuantizationCandidate where Wrapped == Dense {
    var dense: Dense { wrapped }
}

extension ObservedLayer: ConvolutionCandidate where Wrapped == Conv2D {
    var conv: Conv2D { wrapped }
}

/// Rebuilding a model with some of its layers replaced, inside (nested) Sequentials.
enum LayerRewriting {
    /// A freshly built copy of `model` with the same weights (built-in layers only).
    static func copy(_ model: any Layer, function: String) throws -> any Layer {
        let architecture: LayerArchitecture
        do {
            architecture = try model.architecture()
        } catch {
            throw CompressError.unsupported(
                function: function,
                message: "the model cannot be copied (\(error)); quantize works on models "
                    + "of built-in layers")
        }
        let copy = try architecture.build()
        try copy.load(stateDict: model.stateDict())
        copy.setTraining(model.isTraining)
        return copy
    }

    /// `layer` with `transform` applied to each layer that is not a Sequential, in place for
    /// Sequentials (at any depth): their slots are replaced. `transform` gets the layer and the
    /// one after it in the same Sequential, and returns nil to keep the layer.
    static func rewrite(
        _ layer: any Layer, _ transform: (any Layer, _ next: (any Layer)?) throws -> (any Layer)?
    ) throws -> any Layer {
        guard let sequential = layer as? Sequential else {
            return try transform(layer, nil) ?? layer
        }
        let layers = sequential.layers
        for index in layers.indices {
            let child = layers[index]
            let next = index + 1 < layers.count ? layers[index + 1] : nil
            let replacement =
                child is Sequential ? try rewrite(child, transform) : try transform(child, next)
            if let replacement, replacement !== child {
                _ = try sequential.replace(at: index, with: replacement)
            }
        }
        return sequential
    }

    /// Replaces every candidate by its int8 layer; a static dense layer followed directly by
    /// another static dense candidate hands it uint8 codes (when its activation is none or
    /// ReLU). Convolutions return float32.
    static func convertCandidates(_ model: any Layer) throws -> any Layer {
        try rewrite(model) { layer, next in
            if let candidate = layer as? any ConvolutionCandidate {
                return try QuantizedConv2D(
                    quantizing: candidate.conv, input: candidate.chosenInputQuantization())
            }
            guard let candidate = layer as? any QuantizationCandidate else { return nil }
            let input = try candidate.chosenInputQuantization()
            var output: ActivationQuantization?
            if let following = next as? any QuantizationCandidate,
                [.identity, .relu].contains(candidate.dense.activation)
            {
                output = try following.chosenInputQuantization()
            }
            return try QuantizedDense(quantizing: candidate.dense, input: input, output: output)
        }
    }
}
