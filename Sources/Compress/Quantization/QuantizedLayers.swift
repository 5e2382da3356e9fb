import NN
import Tensor

/// Makes `loadModel(from:)` rebuild Compress's int8 layers from a file.
///
/// ```swift
/// QuantizedLayers.register()
/// let q = try loadModel(from: "mlp-int8.safetensors")
/// ```
///
/// `quantize(_:…)` and the cell bindings call it, so code that quantized a model in the same
/// process need not.
public enum QuantizedLayers {
    /// Registers the builders of `QuantizedDense`, `QuantizedConv2D`, `FakeQuantizedDense` and
    /// `FakeQuantizedConv2D` with NN's `LayerBuilderRegistry`.
    public static func register() {
        LayerBuilderRegistry.register("QuantizedDense") { try buildDense($0) }
        LayerBuilderRegistry.register("QuantizedConv2D") { try buildConvolution($0) }
        LayerBuilderRegistry.register("FakeQuantizedDense") { try FakeQuantizedDense.build($0) }
        LayerBuilderRegistry.register("FakeQuantizedConv2D") { try FakeQuantizedConv2D.build($0) }
    }

    /// A `QuantizedConv2D` from `Conv2D`'s options (read by Conv2D's own builder) and `mode`.
    private static func buildConvolution(_ architecture: LayerArchitecture) throws
        -> QuantizedConv2D
    {
        var options = architecture.options
        let modeName: String
        switch options.removeValue(forKey: "mode") {
        case .string(let value)?: modeName = value
        case nil: modeName = "static"
        default: throw missing("mode", layer: "QuantizedConv2D")
        }
        guard let mode = QuantizationMode(rawValue: modeName) else {
            throw NNError.invalidArchitecture(
                "QuantizedConv2D: mode must be static or dynamic, not '\(modeName)'")
        }
        var pool: Size2D?
        switch options.removeValue(forKey: "pool") {
        case .ints(let sizes)? where sizes.count == 2:
            pool = Size2D(height: sizes[0], width: sizes[1])
        case nil: pool = nil
        default: throw missing("pool", layer: "QuantizedConv2D")
        }
        guard let conv = try LayerArchitecture(type: "Conv2D", options: options).build() as? Conv2D
        else {
            throw NNError.invalidArchitecture("QuantizedConv2D: the options describe no Conv2D")
        }
        return try QuantizedConv2D(
            conv.inputChannels, conv.outputChannels, kernelSize: conv.kernelSize,
            stride: conv.stride, padding: conv.padding, dilation: conv.dilation,
            activation: conv.activation, mode: mode, useBias: conv.bias != nil, pool: pool)
    }

    private static func buildDense(_ architecture: LayerArchitecture) throws -> QuantizedDense {
        let options = architecture.options
        func int(_ name: String) throws -> Int {
            guard case .int(let value)? = options[name] else { throw missing(name) }
            return value
        }
        func string(_ name: String, _ fallback: String) throws -> String {
            switch options[name] {
            case .string(let value)?: return value
            case nil: return fallback
            default: throw missing(name)
            }
        }
        func bool(_ name: String, _ fallback: Bool) throws -> Bool {
            switch options[name] {
            case .bool(let value)?: return value
            case nil: return fallback
            default: throw missing(name)
            }
        }
        let activationName = try string("activation", "identity")
        guard let activation = Activation(named: activationName) else {
            throw NNError.invalidArchitecture(
                "QuantizedDense: unknown activation '\(activationName)'")
        }
        let modeName = try string("mode", "static")
        guard let mode = QuantizationMode(rawValue: modeName) else {
            throw NNError.invalidArchitecture(
                "QuantizedDense: mode must be static or dynamic, not '\(modeName)'")
        }
        return try QuantizedDense(
            try int("inputSize"), try int("outputSize"), activation: activation, mode: mode,
            useBias: try bool("useBias", true),
            requantizesOutput: try bool("requantizesOutput", false))
    }

    private static func missing(_ name: String, layer: String = "QuantizedDense") -> NNError {
        .invalidArchitecture("\(layer): option '\(name)' is missing or of the wrong type")
    }
}
