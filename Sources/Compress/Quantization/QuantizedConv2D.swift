import CInt8Kernels
import NN
import Synchronization
import Tensor

/// A 2-D convolution computed in int8: weights quantized per output channel (symmetric, zero
/// point 0), inputs per tensor (affine uint8), each image unfolded by an 8-bit im2col (padding
/// taps get the zero point, the code of a real 0) and multiplied by oneDNN's
/// `dnnl_gemm_s8s8s32` exactly in int32 as `W · columns`, which is channel-major like the
/// NCHW output; the scales, the bias and ReLU are fused into the epilogue that writes the
/// float32 `[N, O, OH, OW]` output.
///
/// Made by `quantize(_:calibration:method:mode:)` from a `Conv2D` (after any BatchNorm that
/// follows it has been folded into it, and a following ReLU fused); a `Layer` like any other,
/// so `predict`, `evaluate`, `save(to:)`, `loadModel(from:)` and `summary()` handle it. Its
/// state dict (docs/int8-safetensors.md) holds `weight` (I8, `[O, C, kh, kw]`),
/// `weight_scale`, `weight_zero_point`, `bias` and, in static mode, `input_scale` and
/// `input_zero_point`, all F32 besides the weight.
///
/// ```swift
/// let q = try QuantizedConv2D(quantizing: conv, input: ActivationQuantization(low: 0, high: 1))
/// let y = try q(images)        // float32, ≈ conv(images)
/// ```
public final class QuantizedConv2D: Int8WeightedLayer {
    /// C of the input.
    public let inputChannels: Int
    /// The number of filters.
    public let outputChannels: Int
    /// The kernel's height and width.
    public let kernelSize: Size2D
    /// The step between windows.
    public let stride: Size2D
    /// The padding.
    public let padding: Padding
    /// The spacing between kernel taps.
    public let dilation: Size2D
    /// The activation after the convolution (ReLU is fused into the integer epilogue).
    public let activation: Activation
    /// Static (calibrated input range) or dynamic (each batch's range).
    public let mode: QuantizationMode
    /// The window of a max pooling fused into the epilogue (stride the window, no padding), nil
    /// without: `quantize` folds a `MaxPool2D` that follows the convolution into it.
    public let pool: Size2D?
    /// Unused: a quantized layer computes the same in training and evaluation.
    public var isTraining = false

    let weight: Buffer
    let weightScale: Buffer
    let weightZeroPoint: Buffer
    let bias: Buffer?
    let inputScale: Buffer?
    let inputZeroPoint: Buffer?

    /// A layer with zero weights and unit scales, to be filled by `load(stateDict:)`: what
    /// `loadModel(from:)` builds from a file's architecture. The arguments are `Conv2D`'s, and
    /// `pool` a fused max pooling window (only with no activation or ReLU).
    public init(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: Size2D, stride: Size2D = 1,
        padding: Padding = .valid, dilation: Size2D = 1, activation: Activation = .identity,
        mode: QuantizationMode = .static, useBias: Bool = true, pool: Size2D? = nil
    ) throws {
        let positive = [
            inputChannels, outputChannels, kernelSize.height, kernelSize.width, stride.height,
            stride.width, dilation.height, dilation.width,
        ]
        guard positive.allSatisfy({ $0 > 0 }) else {
            throw CompressError.invalidArgument(
                function: "QuantizedConv2D",
                message: "channels, kernel, stride and dilation must be positive, got "
                    + "\(inputChannels) → \(outputChannels), kernel \(kernelSize), stride "
                    + "\(stride), dilation \(dilation)")
        }
        if case .explicit(let size) = padding, size.height < 0 || size.width < 0 {
            throw CompressError.invalidArgument(
                function: "QuantizedConv2D", message: "padding must be >= 0")
        }
        guard padding != .same || stride == 1 else {
            throw CompressError.invalidArgument(
                function: "QuantizedConv2D", message: "padding .same needs stride 1")
        }
        if let pool {
            guard pool.height > 0, pool.width > 0, [.identity, .relu].contains(activation) else {
                throw CompressError.invalidArgument(
                    function: "QuantizedConv2D",
                    message: "a fused max pooling needs a positive window and no activation or "
                        + "ReLU, got \(pool) and \(activation.name)")
            }
        }
        self.pool = pool
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.activation = activation
        self.mode = mode
        weight = Buffer(
            try Tensor.zeros(
                [outputChannels, inputChannels, kernelSize.height, kernelSize.width],
                dtype: .int8))
        weightScale = Buffer(try Tensor.ones([outputChannels]))
        weightZeroPoint = Buffer(try Tensor.zeros([outputChannels]))
        bias = useBias ? Buffer(try Tensor.zeros([outputChannels])) : nil
        inputScale = mode == .static ? Buffer(try Tensor.ones([1])) : nil
        inputZeroPoint = mode == .static ? Buffer(try Tensor.zeros([1])) : nil
    }

    /// The int8 version of `conv`: its weight quantized per output channel (symmetric), its
    /// bias kept in float32.
    ///
    /// - Parameters:
    ///   - conv: The float layer (fold a following BatchNorm into it first:
    ///     `foldBatchNorm(_:into:)`).
    ///   - input: The calibrated input quantization (static mode); nil for dynamic mode.
    public convenience init(quantizing conv: Conv2D, input: ActivationQuantization?) throws {
        try self.init(
            conv.inputChannels, conv.outputChannels, kernelSize: conv.kernelSize,
            stride: conv.stride, padding: conv.padding, dilation: conv.dilation,
            activation: conv.activation, mode: input == nil ? .dynamic : .static,
            useBias: conv.bias != nil)
        let quantized = try QuantizedTensor(
            quantizing: conv.weight.value.detached, axis: 0, scheme: .symmetric)
        try weight.assign(quantized.values)
        try weightScale.assign(Tensor(quantized.scales, shape: [outputChannels]))
        if let bias, let source = conv.bias { try bias.assign(source.value.detached) }
        if let input, let inputScale, let inputZeroPoint {
            try inputScale.assign(Tensor([input.scale], shape: [1]))
            try inputZeroPoint.assign(Tensor([Float(input.zeroPoint)], shape: [1]))
        }
    }

    /// The quantization of the input (static mode), nil in dynamic mode.
    public func inputQuantization() throws -> ActivationQuantization? {
        guard let inputScale, let inputZeroPoint, let s = inputScale.value.scalars.first,
            let z = inputZeroPoint.value.scalars.first
        else { return nil }
        return try ActivationQuantization(scale: s, zeroPoint: Int32(clamping: Int(z.rounded())))
    }

    /// The int8 weight `[O, C, kh, kw]` with its per-output-channel scales.
    public func quantizedWeight() throws -> QuantizedTensor {
        try QuantizedTensor(
            values: weight.value, scales: weightScale.value.scalars,
            zeroPoints: [Int32](repeating: 0, count: outputChannels), axis: 0)
    }

    private var name: String { "QuantizedConv2D(\(inputChannels) → \(outputChannels))" }

    /// `activation(conv(x, W) + b)` in int8 for float32 `x` `[N, inputChannels, H, W]`; the
    /// result is float32 `[N, outputChannels, OH, OW]`, OH and OW as `Conv2D`'s.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank == 4, input.shape[1] == inputChannels, input.dtype == .float32 else {
            throw NNError.invalidInput(
                layer: name, expected: "a float32 [N, \(inputChannels), H, W] input",
                actual: input.shape)
        }
        let quantization = try inputQuantization() ?? ActivationQuantization(rangeOf: input)
        let codes = try quantization.quantize(input)
        let geometry = try self.geometry(height: input.shape[2], width: input.shape[3])
        let (images, outputs) = (input.shape[0], outputChannels)
        let (rows, width) = (geometry.output_height, geometry.output_width)
        let window = pool ?? Size2D(1)
        guard rows >= window.height, width >= window.width else {
            throw NNError.invalidInput(
                layer: name, expected: "an input whose output fills the \(window) pooling window",
                actual: input.shape)
        }
        let (pooledRows, pooledWidth) = (rows / window.height, width / window.width)
        var layout = geometry
        let pitch = tb_im2col_pitch(&layout)
        let columnCount = rows * pitch
        let depth = inputChannels * kernelSize.height * kernelSize.width
        let imageSize = inputChannels * input.shape[2] * input.shape[3]
        let scales = weightScale.value.scalars.map { $0 * quantization.scale }
        let biases = bias?.value.scalars
        let relu: Int32 = activation == .relu ? 1 : 0
        let padCode = UInt8(clamping: quantization.zeroPoint)
        let zeroPoint = Int8(truncatingIfNeeded: quantization.zeroPoint - 128)
        let failure = Mutex<CompressError?>(nil)
        let outputShape = [images, outputs, pooledRows, pooledWidth]
        let result = try Tensor.filled(shape: outputShape, of: Float.self) { y in
            try codes.withElements(of: UInt8.self) { x in
                try weight.value.withElements(of: Int8.self) { w in
                    guard let xBase = x.baseAddress, let yBase = y.baseAddress else { return }
                    Parallelism.forEachChunk(
                        count: images, costPerItem: depth * columnCount * outputs / 8
                    ) { chunk in
                        // A single chunk (a small batch) lets each product split its columns
                        // across the threads instead.
                        let threads = chunk.count == images ? Parallelism.threadCount : 1
                        var geometry = geometry
                        let columns = UnsafeMutableBufferPointer<Int8>.allocate(
                            capacity: depth * columnCount)
                        let accumulators = UnsafeMutableBufferPointer<Int32>.allocate(
                            capacity: columnCount * outputs)
                        let scratch = UnsafeMutableBufferPointer<Int8>.allocate(
                            capacity: tb_im2col_scratch_size(&geometry))
                        defer {
                            columns.deallocate()
                            accumulators.deallocate()
                            scratch.deallocate()
                        }
                        guard let columnBase = columns.baseAddress,
                            let accBase = accumulators.baseAddress,
                            let scratchBase = scratch.baseAddress
                        else { return }
                        for image in chunk {
                            tb_im2col_s8(
                                xBase + image * imageSize, columnBase, &geometry, padCode,
                                scratchBase)
                            do {
                                try Int8Product.multiplyColumns(
                                    w, UnsafeBufferPointer(columns), zeroPoint: zeroPoint,
                                    into: accumulators, n: outputs, m: columnCount, k: depth,
                                    threads: threads)
                            } catch let error as CompressError {
                                failure.withLock { $0 = error }
                                return
                            } catch {
                                failure.withLock {
                                    $0 = .unsupported(
                                        function: "QuantizedConv2D", message: "\(error)")
                                }
                                return
                            }
                            scales.withUnsafeBufferPointer { scale in
                                Self.withOptionalPointer(biases) { biasPointer in
                                    let target = yBase + image * outputs * pooledRows * pooledWidth
                                    if pool == nil {
                                        tb_dequantize_channels(
                                            accBase, target, outputs, rows, width, pitch,
                                            scale.baseAddress, biasPointer, relu)
                                    } else {
                                        tb_dequantize_channels_pooled(
                                            accBase, target, outputs, rows, width, pitch,
                                            window.height, window.width, scale.baseAddress,
                                            biasPointer, relu)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return relu == 1 ? result : try activation(result)
    }

    /// The im2col geometry for an input of `height` × `width`.
    private func geometry(height: Int, width: Int) throws -> tb_conv_geometry {
        let (symmetric, extra) = padding.resolved(kernel: kernelSize, dilation: dilation)
        let spanHeight = dilation.height * (kernelSize.height - 1) + 1
        let spanWidth = dilation.width * (kernelSize.width - 1) + 1
        let paddedHeight = height + 2 * symmetric.height + extra.height
        let paddedWidth = width + 2 * symmetric.width + extra.width
        guard paddedHeight >= spanHeight, paddedWidth >= spanWidth else {
            throw NNError.invalidInput(
                layer: name,
                expected: "an input at least as large as the kernel's span "
                    + "\(spanHeight)×\(spanWidth) after padding",
                actual: [height, width])
        }
        return tb_conv_geometry(
            channels: inputChannels, height: height, width: width,
            kernel_height: kernelSize.height, kernel_width: kernelSize.width,
            stride_height: stride.height, stride_width: stride.width,
            dilation_height: dilation.height, dilation_width: dilation.width,
            pad_top: symmetric.height, pad_left: symmetric.width,
            output_height: (paddedHeight - spanHeight) / stride.height + 1,
            output_width: (paddedWidth - spanWidth) / stride.width + 1)
    }

    private static func withOptionalPointer<Result>(
        _ values: [Float]?, _ body: (UnsafePointer<Float>?) -> Result
    ) -> Result {
        guard let values else { return body(nil) }
        return values.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// The weight, its scales and zero points, the bias and the input quantization.
    public var ownBuffers: [(name: String, buffer: Buffer)] {
        int8Buffers
    }

    /// "1 → 16, 3×3, padding same, relu, int8 static".
    public var configurationSummary: String {
        var parts = Conv2D.summaryParts(
            channels: (inputChannels, outputChannels), kernelSize: kernelSize, stride: stride,
            padding: padding, dilation: dilation, activation: activation)
        if bias == nil { parts.append("no bias") }
        if let pool { parts.append("max pool \(pool.height)×\(pool.width)") }
        parts.append("int8 \(mode.rawValue)")
        return parts.joined(separator: ", ")
    }

    /// `Conv2D`'s options (without a regularizer), the mode and the fused pooling window.
    public func architecture() throws -> LayerArchitecture {
        var architecture = LayerArchitecture(
            type: "QuantizedConv2D",
            options: [
                "inputChannels": .int(inputChannels), "outputChannels": .int(outputChannels),
                "kernelSize": .ints([kernelSize.height, kernelSize.width]),
                "stride": .ints([stride.height, stride.width]), "padding": .string(padding.name),
                "dilation": .ints([dilation.height, dilation.width]),
                "activation": .string(activation.name), "useBias": .bool(bias != nil),
                "mode": .string(mode.rawValue),
            ])
        if let pool { architecture.options["pool"] = .ints([pool.height, pool.width]) }
        return architecture
    }

    /// This layer with the max pooling `pool` fused (same weights and quantization).
    func fusingMaxPool(_ pool: Size2D) throws -> QuantizedConv2D {
        let fused = try QuantizedConv2D(
            inputChannels, outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, dilation: dilation, activation: activation, mode: mode,
            useBias: bias != nil, pool: pool)
        try fused.load(stateDict: stateDict())
        return fused
    }
}
