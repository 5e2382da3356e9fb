import NN

/// An int8 layer's stored quantities, which `QuantizedDense` and `QuantizedConv2D` share: the
/// int8 weight with its per-channel scales and zero points, the float32 bias, and the input's
/// quantization.
protocol Int8WeightedLayer: Layer {
    var weight: Buffer { get }
    var weightScale: Buffer { get }
    var weightZeroPoint: Buffer { get }
    var bias: Buffer? { get }
    var inputScale: Buffer? { get }
    var inputZeroPoint: Buffer? { get }
}

extension Int8WeightedLayer {
    /// The int8 weight and the float32 bias: the layer's parameters, which nothing trains.
    public var ownFixedParameters: [(name: String, buffer: Buffer)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// The weight, its scales and zero points, the bias and the input quantization, under
    /// their file names (docs/int8-safetensors.md).
    var int8Buffers: [(name: String, buffer: Buffer)] {
        var result: [(name: String, buffer: Buffer)] = [
            ("weight", weight), ("weight_scale", weightScale),
            ("weight_zero_point", weightZeroPoint),
        ]
        if let bias { result.append(("bias", bias)) }
        if let inputScale, let inputZeroPoint {
            result += [("input_scale", inputScale), ("input_zero_point", inputZeroPoint)]
        }
        return result
    }
}
