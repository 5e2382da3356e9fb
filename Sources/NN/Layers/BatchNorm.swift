import Tensor

/// Batch normalization (Ioffe & Szegedy, 2015, "Batch Normalization: Accelerating Deep Network
/// Training by Reducing Internal Covariate Shift") over the channel axis 1 of `[N, C]`,
/// `[N, C, L]` (PyTorch's `BatchNorm1d`) or `[N, C, H, W]` (`BatchNorm2d`) inputs.
///
/// In training mode each channel is normalized by the batch mean and (biased) variance and the
/// running statistics move towards them: r ← (1 − momentum)·r + momentum·batch, with the
/// unbiased variance for `running_var`, as PyTorch does. In evaluation mode the running
/// statistics are used. A frozen BatchNorm (`freeze()`, or a frozen body that holds it) uses
/// and keeps its running statistics even in training mode, as Keras's BatchNorm with
/// `trainable = False`: fine-tuning a new head then sees the features the body was trained to
/// give, and a small new data set cannot overwrite statistics learned on a large one. The state
/// dict holds `weight`, `bias`, `running_mean`, `running_var` and `num_batches_tracked`, as
/// PyTorch's.
///
/// ```swift
/// let model = try Sequential { try Dense(784, 128); try BatchNorm(128); ReLU(); try Dense(128, 10) }
/// ```
public final class BatchNorm: StateFreezable {
    /// γ, `[C]` (nil without affine parameters).
    public let weight: Parameter?
    /// β, `[C]` (nil without affine parameters).
    public let bias: Parameter?
    /// The running mean, `[C]`.
    public let runningMean: Buffer
    /// The running (unbiased) variance, `[C]`.
    public let runningVariance: Buffer
    /// The number of training batches seen (an int32 scalar).
    public let batchesTracked: Buffer
    /// The weight of each new batch in the running statistics; nil for a cumulative average.
    public let momentum: Float?
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// Whether batch statistics are used and the running ones updated (unless frozen).
    public var isTraining = true
    /// Whether the layer is frozen: it then normalizes with its running statistics and leaves
    /// them unchanged even in training mode (set by `freeze()` and `unfreeze()`).
    public var isStateFrozen = false

    /// The number of channels.
    public var featureCount: Int { runningMean.value.shape[0] }

    /// Batch normalization of `featureCount` channels with PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - featureCount: C, the size of axis 1.
    ///   - momentum: The running statistics' update weight (0.1), or nil for a cumulative
    ///     average.
    ///   - epsilon: Added to the variance (1e-5).
    ///   - affine: Whether to learn γ (initialised to 1) and β (to 0).
    public init(
        _ featureCount: Int, momentum: Float? = 0.1, epsilon: Float = 1e-5, affine: Bool = true
    ) throws {
        guard featureCount > 0 else {
            throw NNError.invalidArgument(
                function: "BatchNorm", message: "featureCount must be positive")
        }
        if let momentum, !(0...1).contains(momentum) {
            throw NNError.invalidArgument(
                function: "BatchNorm", message: "momentum must be in [0, 1], got \(momentum)")
        }
        guard epsilon > 0 else {
            throw NNError.invalidArgument(function: "BatchNorm", message: "epsilon must be > 0")
        }
        weight = affine ? try Parameter(Tensor.ones([featureCount])) : nil
        bias = affine ? try Parameter(Tensor.zeros([featureCount])) : nil
        runningMean = Buffer(try Tensor.zeros([featureCount]))
        runningVariance = Buffer(try Tensor.ones([featureCount]))
        batchesTracked = Buffer(try Tensor([0] as [Int32], shape: []))
        self.momentum = momentum
        self.epsilon = epsilon
    }

    /// The normalized input (see the type's description).
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard (2...4).contains(input.rank), input.shape[1] == featureCount else {
            throw NNError.invalidInput(
                layer: "BatchNorm(\(featureCount))",
                expected: "an [N, \(featureCount)], [N, \(featureCount), L] or "
                    + "[N, \(featureCount), H, W] input", actual: input.shape)
        }
        let axes = [0] + Array(2..<input.rank)
        let channelShape = [1, featureCount] + Array(repeating: 1, count: input.rank - 2)
        let normalized: Tensor
        if isTraining && !isStateFrozen {
            let count = axes.reduce(1) { $0 * input.shape[$1] }
            guard count > 1 else {
                throw NNError.invalidInput(
                    layer: "BatchNorm(\(featureCount))",
                    expected: "more than one value per channel in training mode",
                    actual: input.shape)
            }
            let mean = try input.mean(alongAxes: axes, keepDims: true)
            let centered = try input - mean
            let variance = try centered.squared().mean(alongAxes: axes, keepDims: true)
            normalized = try centered / (variance + epsilon).sqrt()
            try updateRunningStatistics(
                mean: mean.detached, variance: variance.detached, count: count)
        } else {
            let mean = try runningMean.value.reshaped(channelShape)
            let variance = try runningVariance.value.reshaped(channelShape)
            normalized = try (input - mean) / (variance + epsilon).sqrt()
        }
        guard let weight, let bias else { return normalized }
        return try normalized * weight.value.reshaped(channelShape)
            + bias.value.reshaped(channelShape)
    }

    /// Moves the running statistics towards this batch's (in place, off the tape).
    private func updateRunningStatistics(mean: Tensor, variance: Tensor, count: Int) throws {
        let tracked = try batchesTracked.value.scalars(as: Int32.self).first ?? 0
        let updated = tracked == Int32.max ? tracked : tracked + 1
        batchesTracked.value = try Tensor([updated], shape: [])
        let factor = momentum ?? 1 / Float(updated)
        let unbiased = Float(count) / Float(count - 1)
        try withoutGradient {
            try runningMean.value.scale(by: 1 - factor)
            try runningMean.value.addScaled(mean.reshaped([featureCount]), by: factor)
            try runningVariance.value.scale(by: 1 - factor)
            try runningVariance.value.addScaled(
                variance.reshaped([featureCount]), by: factor * unbiased)
        }
    }

    /// `weight` and `bias` when affine.
    public var ownParameters: [(name: String, parameter: Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    /// `running_mean`, `running_var` and `num_batches_tracked`, PyTorch's names.
    public var ownBuffers: [(name: String, buffer: Buffer)] {
        [
            ("running_mean", runningMean), ("running_var", runningVariance),
            ("num_batches_tracked", batchesTracked),
        ]
    }

    /// "128 features".
    public var configurationSummary: String { "\(featureCount) features" }

    /// Channels, momentum, epsilon and affine flag.
    public func architecture() throws -> LayerArchitecture {
        var options: [String: ArchitectureOption] = [
            "featureCount": .int(featureCount), "epsilon": .float(epsilon),
            "affine": .bool(weight != nil),
        ]
        if let momentum { options["momentum"] = .float(momentum) }
        return LayerArchitecture(type: "BatchNorm", options: options)
    }
}
