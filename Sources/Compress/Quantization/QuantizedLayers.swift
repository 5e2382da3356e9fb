import NN

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
    /// Registers the builders of `QuantizedDense` and `FakeQuantizedDense` with NN's `LayerBuilderRegistry`.
    public static func register() {
        LayerBuilderRegistry.register("QuantizedDense") { try buildDense($0) }
        LayerBuilderRegistry.register("FakeQuantizedDense") { try FakeQuantizedDense.build($0) }
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

    private static func missing(_ name: String) -> NNError {
        .invalidArchitecture("QuantizedDense: option '\(name)' is missing or of the wrong type")
    }
}
