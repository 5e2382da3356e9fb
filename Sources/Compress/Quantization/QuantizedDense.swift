import CInt8Kernels
import NN
import Tensor

/// A fully connected layer computed in int8: weights quantized per output channel
/// (symmetric, zero point 0), inputs per tensor (affine uint8), products accumulated exactly in
/// int32 by oneDNN, then scaled back with the bias and ReLU fused — or, in a chain of static
/// int8 layers, requantized directly into the next layer's uint8 input.
///
/// Made by `quantize(_:calibration:method:mode:)` from a `Dense`; it is a `Layer` like any
/// other, so `predict`, `evaluate`, `save(to:)`, `loadModel(from:)` and `summary()` handle it.
/// Its state dict (see docs/int8-safetensors.md) holds `weight` (I8), `weight_scale`,
/// `weight_zero_point`, `bias` and, for static layers, `input_scale`, `input_zero_point` (and
/// `output_scale`, `output_zero_point` when it hands codes on), all F32 besides the weight.
///
/// ```swift
/// let q = try QuantizedDense(quantizing: dense, input: ActivationQuantization(low: 0, high: 1))
/// let y = try q(x)        // float32, ≈ dense(x)
/// ```
public final class QuantizedDense: Int8WeightedLayer {
    /// The number of input features.
    public let inputSize: Int
    /// The number of output features.
    public let outputSize: Int
    /// The activation after the affine map (ReLU is fused into the integer epilogue).
    public let activation: Activation
    /// Static (calibrated input range) or dynamic (each batch's range).
    public let mode: QuantizationMode
    /// Whether the output is handed on as uint8 codes in `outputQuantization` (static chains).
    public let requantizesOutput: Bool
    /// Unused: a quantized layer computes the same in training and evaluation.
    public var isTraining = false

    let weight: Buffer
    let weightScale: Buffer
    let weightZeroPoint: Buffer
    let bias: Buffer?
    let inputScale: Buffer?
    let inputZeroPoint: Buffer?
    let outputScale: Buffer?
    let outputZeroPoint: Buffer?

    /// A layer with zero weights and unit scales, to be filled by `load(stateDict:)`: what
    /// `loadModel(from:)` builds from a file's architecture.
    public init(
        _ inputSize: Int, _ outputSize: Int, activation: Activation = .identity,
        mode: QuantizationMode = .static, useBias: Bool = true, requantizesOutput: Bool = false
    ) throws {
        guard inputSize > 0, outputSize > 0 else {
            throw CompressError.invalidArgument(
                function: "QuantizedDense",
                message: "sizes must be positive, got \(inputSize) → \(outputSize)")
        }
        guard !requantizesOutput || (mode == .static && [.identity, .relu].contains(activation))
        else {
            throw CompressError.invalidArgument(
                function: "QuantizedDense",
                message: "only a static layer with no activation or ReLU can hand uint8 codes on")
        }
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.activation = activation
        self.mode = mode
        self.requantizesOutput = requantizesOutput
        weight = Buffer(try Tensor.zeros([outputSize, inputSize], dtype: .int8))
        weightScale = Buffer(try Tensor.ones([outputSize]))
        weightZeroPoint = Buffer(try Tensor.zeros([outputSize]))
        bias = useBias ? Buffer(try Tensor.zeros([outputSize])) : nil
        inputScale = mode == .static ? Buffer(try Tensor.ones([1])) : nil
        inputZeroPoint = mode == .static ? Buffer(try Tensor.zeros([1])) : nil
        outputScale = requantizesOutput ? Buffer(try Tensor.ones([1])) : nil
        outputZeroPoint = requantizesOutput ? Buffer(try Tensor.zeros([1])) : nil
    }

    /// The int8 version of `dense`: its weight quantized per output channel (symmetric), its
    /// bias kept in float32.
    ///
    /// - Parameters:
    ///   - dense: The float layer.
    ///   - input: The calibrated input quantization (static mode); nil for dynamic mode.
    ///   - output: The next int8 layer's input quantization, to hand it uint8 codes; nil to
    ///     return float32.
    public convenience init(
        quantizing dense: Dense, input: ActivationQuantization?,
        output: ActivationQuantization? = nil
    ) throws {
        try self.init(
            dense.inputSize, dense.outputSize, activation: dense.activation,
            mode: input == nil ? .dynamic : .static, useBias: dense.bias != nil,
            requantizesOutput: output != nil)
        let quantized = try QuantizedTensor(
            quantizing: dense.weight.value, axis: 0, scheme: .symmetric)
        try weight.assign(quantized.values)
        try weightScale.assign(Tensor(quantized.scales, shape: [outputSize]))
        if let bias, let source = dense.bias { try bias.assign(source.value) }
        if let input { try setInputQuantization(input) }
        if let output, let outputScale, let outputZeroPoint {
            try outputScale.assign(Tensor([output.scale], shape: [1]))
            try outputZeroPoint.assign(Tensor([Float(output.zeroPoint)], shape: [1]))
        }
    }

    /// The quantization of the input (static mode), nil in dynamic mode.
    public func inputQuantization() throws -> ActivationQuantization? {
        try Self.quantization(scale: inputScale, zeroPoint: inputZeroPoint)
    }

    /// The quantization of the output codes handed to the next layer, nil when the output is
    /// float32.
    public func outputQuantization() throws -> ActivationQuantization? {
        try Self.quantization(scale: outputScale, zeroPoint: outputZeroPoint)
    }

    /// Sets the input quantization of a static layer.
    func setInputQuantization(_ input: ActivationQuantization) throws {
        guard let inputScale, let inputZeroPoint else {
            throw CompressError.unsupported(
                function: "QuantizedDense", message: "a dynamic layer has no fixed input range")
        }
        try inputScale.assign(Tensor([input.scale], shape: [1]))
        try inputZeroPoint.assign(Tensor([Float(input.zeroPoint)], shape: [1]))
    }

    /// The int8 weight `[outputSize, inputSize]` with its per-channel scales.
    public func quantizedWeight() throws -> QuantizedTensor {
        try QuantizedTensor(
            values: weight.value, scales: weightScale.value.scalars,
            zeroPoints: [Int32](repeating: 0, count: outputSize), axis: 0)
    }

    /// `activation(x·Wᵀ + b)` in int8 for `x` `[…, inputSize]`: float32, or uint8 codes from the
    /// previous int8 layer (static mode). The result is float32, or uint8 codes in the next
    /// layer's quantization when `requantizesOutput`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 1, input.shape[input.rank - 1] == inputSize else {
            throw NNError.invalidInput(
                layer: "QuantizedDense(\(inputSize) → \(outputSize))",
                expected: "an input whose last dimension is \(inputSize)", actual: input.shape)
        }
        let rows = input.elementCount / inputSize
        let inputQuantization: ActivationQuantization
        let codes: Tensor
        switch (input.dtype, try self.inputQuantization()) {
        case (.uint8, let fixed?):
            inputQuantization = fixed
            codes = input
        case (.float32, let fixed?):
            inputQuantization = fixed
            codes = try fixed.quantize(input)
        case (.float32, nil):
            inputQuantization = try ActivationQuantization(rangeOf: input)
            codes = try inputQuantization.quantize(input)
        default:
            throw NNError.invalidInput(
                layer: "QuantizedDense(\(inputSize) → \(outputSize))",
                expected: mode == .static
                    ? "float32 values or uint8 codes" : "float32 values (dynamic mode)",
                actual: input.shape)
        }
        let accumulators = try Int8Product.multiply(
            codes.reshaped([rows, inputSize]), zeroPoint: inputQuantization.zeroPoint,
            weight.value)
        let outputShape = Array(input.shape.dropLast()) + [outputSize]
        var scales = weightScale.value.scalars.map { $0 * inputQuantization.scale }
        let biases = bias?.value.scalars
        if let output = try outputQuantization() {
            scales = scales.map { $0 / output.scale }
            let offsets =
                biases?.map { $0 / output.scale }
                ?? [Float](repeating: 0, count: outputSize)
            return try requantized(accumulators, scales, offsets, output, rows, outputShape)
        }
        let fuseRelu = activation == .relu
        let result = try accumulators.withElements(of: Int32.self) { acc in
            try Tensor.filled(shape: outputShape, of: Float.self) { y in
                guard let accBase = acc.baseAddress, let yBase = y.baseAddress else { return }
                scales.withUnsafeBufferPointer { scaleBuffer in
                    Self.withOptionalPointer(biases) { biasPointer in
                        tb_dequantize_rows(
                            accBase, yBase, rows, outputSize, scaleBuffer.baseAddress,
                            biasPointer, fuseRelu ? 1 : 0)
                    }
                }
            }
        }
        return fuseRelu ? result : try activation(result)
    }

    private func requantized(
        _ accumulators: Tensor, _ scales: [Float], _ offsets: [Float],
        _ output: ActivationQuantization, _ rows: Int, _ shape: [Int]
    ) throws -> Tensor {
        let relu: Int32 = activation == .relu ? 1 : 0
        return try accumulators.withElements(of: Int32.self) { acc in
            try Tensor.filled(shape: shape, of: UInt8.self) { out in
                guard let accBase = acc.baseAddress, let outBase = out.baseAddress else { return }
                tb_requantize_rows(
                    accBase, outBase, rows, outputSize, scales, offsets, output.zeroPoint, relu)
            }
        }
    }

    private static func withOptionalPointer<Result>(
        _ values: [Float]?, _ body: (UnsafePointer<Float>?) -> Result
    ) -> Result {
        guard let values else { return body(nil) }
        return values.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    private static func quantization(scale: Buffer?, zeroPoint: Buffer?) throws
        -> ActivationQuantization?
    {
        guard let scale, let zeroPoint, let s = scale.value.scalars.first,
            let z = zeroPoint.value.scalars.first
        else { return nil }
        return try ActivationQuantization(scale: s, zeroPoint: Int32(clamping: z))
    }

    /// The weight, its scales and zero points, the bias and the activation quantizations.
    public var ownBuffers: [(name: String, buffer: Buffer)] {
        var result = int8Buffers
        if let outputScale, let outputZeroPoint {
            result += [("output_scale", outputScale), ("output_zero_point", outputZeroPoint)]
        }
        return result
    }

    /// "784 → 128, relu, int8 static".
    public var configurationSummary: String {
        var text = "\(inputSize) → \(outputSize)"
        if activation != .identity { text += ", \(activation.name)" }
        if bias == nil { text += ", no bias" }
        return text + ", int8 \(mode.rawValue)"
    }

    /// Sizes, activation, bias flag, mode and whether the output is handed on as codes.
    public func architecture() throws -> LayerArchitecture {
        LayerArchitecture(
            type: "QuantizedDense",
            options: [
                "inputSize": .int(inputSize), "outputSize": .int(outputSize),
                "activation": .string(activation.name), "useBias": .bool(bias != nil),
                "mode": .string(mode.rawValue), "requantizesOutput": .bool(requantizesOutput),
            ])
    }
}
