import Tensor

/// A 2-D convolution over `[N, C, H, W]` inputs with the weight laid out `[out, in, kh, kw]`,
/// like `torch.nn.Conv2d`, so state dicts match PyTorch's; computed on oneDNN's convolution
/// primitives or by im2col + sgemm, whichever `ConvolutionBackend` picks for the shape.
///
/// ```swift
/// let model = try Sequential {
///     try Conv2D(1, 32, kernelSize: 3, padding: .same, activation: .relu)
///     MaxPool2D(2)
///     GlobalAvgPool()
///     try Dense(32, 10)
/// }
/// ```
public final class Conv2D: Layer {
    /// The weight, `[outputChannels, inputChannels, kh, kw]`.
    public let weight: Parameter
    /// The bias, `[outputChannels]`, or nil without one.
    public let bias: Parameter?
    /// The step between windows.
    public let stride: Size2D
    /// The padding.
    public let padding: Padding
    /// The spacing between kernel taps.
    public let dilation: Size2D
    /// The activation applied to the output.
    public var activation: Activation
    /// The penalty on the weight that `regularizationLoss()` adds up, if any.
    public var regularizer: Regularizer?
    /// Unused: a convolution behaves the same in training and evaluation.
    public var isTraining = true

    /// The number of input channels.
    public var inputChannels: Int { weight.shape[1] }
    /// The number of output channels.
    public var outputChannels: Int { weight.shape[0] }
    /// The kernel's height and width.
    public var kernelSize: Size2D { Size2D(height: weight.shape[2], width: weight.shape[3]) }

    /// A convolution from `inputChannels` to `outputChannels` channels.
    ///
    /// - Parameters:
    ///   - inputChannels: C of the input.
    ///   - outputChannels: The number of filters.
    ///   - kernelSize: The window (an integer for a square one).
    ///   - stride: The step between windows.
    ///   - padding: `.valid`, `.same` (stride 1 only) or explicit zeros per side.
    ///   - dilation: The spacing between kernel taps.
    ///   - activation: The nonlinearity fused after the convolution.
    ///   - useBias: Whether to add a bias per output channel.
    ///   - weightInitializer: PyTorch's default U(±1/√(in·kh·kw)) unless told otherwise.
    ///   - biasInitializer: PyTorch's default U(±1/√(in·kh·kw)).
    ///   - regularizer: A penalty on the weight, collected by `regularizationLoss()`.
    ///   - seed: Seeds the initialisation; without it, draws from the default generator.
    public init(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: Size2D, stride: Size2D = 1,
        padding: Padding = .valid, dilation: Size2D = 1, activation: Activation = .identity,
        useBias: Bool = true, weightInitializer: Initializer = .pytorchDefault,
        biasInitializer: Initializer = .pytorchDefault, regularizer: Regularizer? = nil,
        seed: UInt64? = nil
    ) throws {
        guard inputChannels > 0, outputChannels > 0, kernelSize.height > 0, kernelSize.width > 0
        else {
            throw NNError.invalidArgument(
                function: "Conv2D",
                message: "channels and kernel size must be positive, got \(inputChannels) → "
                    + "\(outputChannels), kernel \(kernelSize)")
        }
        guard stride.height > 0, stride.width > 0, dilation.height > 0, dilation.width > 0 else {
            throw NNError.invalidArgument(
                function: "Conv2D", message: "stride and dilation must be positive")
        }
        if case .explicit(let size) = padding, size.height < 0 || size.width < 0 {
            throw NNError.invalidArgument(function: "Conv2D", message: "padding must be >= 0")
        }
        guard padding != .same || stride == 1 else {
            throw NNError.invalidArgument(
                function: "Conv2D", message: "padding .same needs stride 1 (as in PyTorch)")
        }
        let window = kernelSize.height * kernelSize.width
        var generator = initializationGenerator(seed: seed)
        weight = try Parameter(
            weightInitializer.make(
                [outputChannels, inputChannels, kernelSize.height, kernelSize.width],
                fanIn: inputChannels * window, fanOut: outputChannels * window,
                using: &generator))
        bias =
            useBias
            ? try Parameter(
                biasInitializer.make(
                    [outputChannels], fanIn: inputChannels * window,
                    fanOut: outputChannels * window, using: &generator))
            : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.activation = activation
        self.regularizer = regularizer
    }

    /// The activation of the convolution of `input` (`[N, inputChannels, H, W]`).
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank == 4, input.shape[1] == inputChannels else {
            throw NNError.invalidInput(
                layer: "Conv2D(\(inputChannels) → \(outputChannels))",
                expected: "an [N, \(inputChannels), H, W] input", actual: input.shape)
        }
        return try convolve(input, weight: weight.value)
    }

    /// The layer's forward pass with `weight` (`[outputChannels, inputChannels, kh, kw]`) in
    /// place of its own: what quantization-aware training runs with a fake-quantized weight.
    public func convolve(_ input: Tensor, weight: Tensor) throws -> Tensor {
        let (padded, symmetric) = try padded(input)
        if let fused = activation.fusedActivation {
            return try padded.conv2d(
                weight: weight, bias: bias?.value, stride: stride, padding: symmetric,
                dilation: dilation, activation: fused)
        }
        let output = try padded.conv2d(
            weight: weight, bias: bias?.value, stride: stride, padding: symmetric,
            dilation: dilation)
        return try activation(output)
    }

    /// `pool(self(input))` as one operation (`Tensor.conv2dMaxPool2x2`: the convolution's
    /// output is pooled while in cache and never stored whole), when `pool` is 2×2 with stride 2
    /// and no padding and the activation is ReLU or none; nil otherwise (the caller then runs
    /// the two layers one after the other). `Sequential` runs such pairs this way.
    ///
    /// ```swift
    /// let pooled = try conv.pooledOutput(images, by: MaxPool2D(2))  // == pool(conv(images))
    /// ```
    public func pooledOutput(_ input: Tensor, by pool: MaxPool2D) throws -> Tensor? {
        guard pool.kernelSize == 2, pool.fuses(after: activation),
            let fused = activation.fusedActivation, input.rank == 4,
            input.shape[1] == inputChannels
        else { return nil }
        let (padded, symmetric) = try padded(input)
        return try padded.conv2dMaxPool2x2(
            weight: weight.value, bias: bias?.value, stride: stride, padding: symmetric,
            dilation: dilation, activation: fused)
    }

    /// `input` with the extra bottom and right rows and columns the layer's padding needs
    /// (`same` with an even kernel), and the symmetric padding left for the convolution.
    private func padded(_ input: Tensor) throws -> (Tensor, padding: Size2D) {
        let (symmetric, extra) = padding.resolved(kernel: kernelSize, dilation: dilation)
        return (try padBottomRight(input, by: extra), symmetric)
    }

    /// `weight` and, when present, `bias`.
    public var ownParameters: [(name: String, parameter: Parameter)] {
        if let bias { return [("weight", weight), ("bias", bias)] }
        return [("weight", weight)]
    }

    /// "1 → 32, 3×3, padding same, relu".
    public var configurationSummary: String {
        Self.summaryParts(
            channels: (inputChannels, outputChannels), kernelSize: kernelSize, stride: stride,
            padding: padding, dilation: dilation, activation: activation
        ).joined(separator: ", ")
    }

    /// The parts of a convolution's one-line summary ("1 → 32", "3×3", "padding same",
    /// "relu"; stride, padding, dilation and activation only where they are not the
    /// defaults), which layers that convolve differently (int8) extend.
    public static func summaryParts(
        channels: (input: Int, output: Int), kernelSize: Size2D, stride: Size2D, padding: Padding,
        dilation: Size2D, activation: Activation
    ) -> [String] {
        var parts = [
            "\(channels.input) → \(channels.output)", "\(kernelSize.height)×\(kernelSize.width)",
        ]
        if stride != 1 { parts.append("stride \(stride)") }
        if padding != .valid { parts.append("padding \(padding.name)") }
        if dilation != 1 { parts.append("dilation \(dilation)") }
        if activation != .identity { parts.append(activation.name) }
        return parts
    }

    /// The regularizer's penalty on the weight.
    public func ownRegularizationPenalty() throws -> Tensor? {
        try regularizer.map { try $0.penalty(weight.value) }
    }

    /// Channels, kernel, stride, padding, dilation, activation, bias flag and regularizer.
    public func architecture() throws -> LayerArchitecture {
        var options: [String: ArchitectureOption] = [
            "inputChannels": .int(inputChannels), "outputChannels": .int(outputChannels),
            "kernelSize": .ints([kernelSize.height, kernelSize.width]),
            "stride": .ints([stride.height, stride.width]), "padding": .string(padding.name),
            "dilation": .ints([dilation.height, dilation.width]),
            "activation": .string(activation.name), "useBias": .bool(bias != nil),
        ]
        if let regularizer { options["regularizer"] = .string(regularizer.name) }
        return LayerArchitecture(type: "Conv2D", options: options)
    }
}

/// `input` (`[N, C, H, W]`) with `extra` rows of zeros appended at the bottom and columns at
/// the right (differentiable), for "same" padding with an even kernel.
func padBottomRight(_ input: Tensor, by extra: Size2D) throws -> Tensor {
    var result = input
    if extra.height > 0 {
        let zeros = try Tensor.zeros([
            result.shape[0], result.shape[1], extra.height, result.shape[3],
        ])
        result = try Tensor.concatenate([result, zeros], alongAxis: 2)
    }
    if extra.width > 0 {
        let zeros = try Tensor.zeros([
            result.shape[0], result.shape[1], result.shape[2], extra.width,
        ])
        result = try Tensor.concatenate([result, zeros], alongAxis: 3)
    }
    return result
}
