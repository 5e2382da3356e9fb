import Tensor

/// A fully connected layer, `y = activation(x·Wᵀ + b)`, with the weight laid out `[out, in]`
/// like `torch.nn.Linear` so state dicts match PyTorch's.
///
/// The activation is fused into the layer (one module, one state-dict entry per tensor); the
/// product is one `sgemm` with the weight read transposed by BLAS, never copied. Any number of
/// leading batch axes is accepted: `[…, in] → […, out]`.
///
/// ```swift
/// let hidden = try Dense(784, 128, activation: .relu)
/// let logits = try Dense(128, 10, regularizer: .l2(1e-4))
/// let y = try logits(hidden(x))
/// ```
public final class Dense: Layer {
    /// The weight, `[outputSize, inputSize]`.
    public let weight: Parameter
    /// The bias, `[outputSize]`, or nil without one.
    public let bias: Parameter?
    /// The activation applied to the affine output.
    public var activation: Activation
    /// The penalty on the weight that `regularizationLoss()` adds up, if any.
    public var regularizer: Regularizer?
    /// Unused: a dense layer behaves the same in training and evaluation.
    public var isTraining = true
    /// The pruned weight as sparse rows for inference, with the weight version it was built
    /// from (see `Dense+SparseInference.swift`).
    var sparseWeight: (version: Int, rows: SparseRows?)?

    /// The number of input features.
    public var inputSize: Int { weight.shape[1] }
    /// The number of output features.
    public var outputSize: Int { weight.shape[0] }

    /// A dense layer from `inputSize` to `outputSize` features.
    ///
    /// - Parameters:
    ///   - inputSize: The size of the input's last axis.
    ///   - outputSize: The size of the output's last axis.
    ///   - activation: The nonlinearity fused after the affine map (none by default).
    ///   - useBias: Whether to add a bias.
    ///   - weightInitializer: How to draw the weight; PyTorch's default U(±1/√in) unless told
    ///     otherwise.
    ///   - biasInitializer: How to draw the bias; PyTorch's default U(±1/√in).
    ///   - regularizer: A penalty on the weight, collected by `regularizationLoss()`.
    ///   - seed: Seeds the initialisation; without it, draws from the session's default
    ///     generator.
    public init(
        _ inputSize: Int, _ outputSize: Int, activation: Activation = .identity,
        useBias: Bool = true, weightInitializer: Initializer = .pytorchDefault,
        biasInitializer: Initializer = .pytorchDefault, regularizer: Regularizer? = nil,
        seed: UInt64? = nil
    ) throws {
        guard inputSize > 0, outputSize > 0 else {
            throw NNError.invalidArgument(
                function: "Dense",
                message: "sizes must be positive, got \(inputSize) → \(outputSize)")
        }
        var generator = initializationGenerator(seed: seed)
        weight = try Parameter(
            weightInitializer.make(
                [outputSize, inputSize], fanIn: inputSize, fanOut: outputSize,
                using: &generator))
        bias =
            useBias
            ? try Parameter(
                biasInitializer.make(
                    [outputSize], fanIn: inputSize, fanOut: outputSize, using: &generator))
            : nil
        self.activation = activation
        self.regularizer = regularizer
    }

    /// `activation(x·Wᵀ + b)` for `x` of shape `[…, inputSize]`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 1, input.shape[input.rank - 1] == inputSize else {
            throw NNError.invalidInput(
                layer: "Dense(\(inputSize) → \(outputSize))",
                expected: "an input whose last dimension is \(inputSize)", actual: input.shape)
        }
        if let sparse = try sparseProductIfFaster(input) { return sparse }
        if let fused = activation.fusedActivation {
            return try Tensor.linear(
                input, weight: weight.value, bias: bias?.value, activation: fused)
        }
        return try activation(Tensor.linear(input, weight: weight.value, bias: bias?.value))
    }

    /// `weight` and, when present, `bias`.
    public var ownParameters: [(name: String, parameter: Parameter)] {
        if let bias { return [("weight", weight), ("bias", bias)] }
        return [("weight", weight)]
    }

    /// "784 → 128, relu".
    public var configurationSummary: String {
        var text = "\(inputSize) → \(outputSize)"
        if activation != .identity { text += ", \(activation.name)" }
        if bias == nil { text += ", no bias" }
        return text
    }

    /// The regularizer's penalty on the weight.
    public func ownRegularizationPenalty() throws -> Tensor? {
        try regularizer.map { try $0.penalty(weight.value) }
    }

    /// Sizes, activation, bias flag and regularizer.
    public func architecture() throws -> LayerArchitecture {
        var options: [String: ArchitectureOption] = [
            "inputSize": .int(inputSize), "outputSize": .int(outputSize),
            "activation": .string(activation.name), "useBias": .bool(bias != nil),
        ]
        if let regularizer { options["regularizer"] = .string(regularizer.name) }
        return LayerArchitecture(type: "Dense", options: options)
    }
}
