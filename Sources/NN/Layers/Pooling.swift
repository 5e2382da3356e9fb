import Tensor

/// The maximum of each window of an `[N, C, H, W]` input, like `torch.nn.MaxPool2d`.
///
/// ```swift
/// let pool = MaxPool2D(2)        // [N, C, 28, 28] → [N, C, 14, 14]
/// ```
public final class MaxPool2D: Layer {
    /// The window.
    public let kernelSize: Size2D
    /// The step between windows (the window size by default).
    public let stride: Size2D
    /// Padding (with −∞) on each side, at most half the window.
    public let padding: Size2D
    /// Unused: pooling behaves the same in training and evaluation.
    public var isTraining = true

    /// Max pooling over `kernelSize` windows moved by `stride` (default: `kernelSize`).
    public init(_ kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    /// Whether this pooling can run fused into a convolution with `activation` before it (the
    /// float `Conv2D.pooledOutput` for 2×2 windows, the int8 epilogue for any): disjoint
    /// windows (stride equal to the window, no padding) after ReLU or no activation, whose
    /// derivative the pooling's choice of element then carries.
    public func fuses(after activation: Activation) -> Bool {
        stride == kernelSize && padding == 0 && (activation == .identity || activation == .relu)
    }

    /// The pooled input.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try requireImages(input, layer: "MaxPool2D")
        return try input.maxPool2d(kernel: kernelSize, stride: stride, padding: padding)
    }

    /// "2×2".
    public var configurationSummary: String {
        poolingSummary(kernel: kernelSize, stride: stride, padding: padding)
    }

    /// Kernel, stride and padding.
    public func architecture() throws -> LayerArchitecture {
        poolingArchitecture("MaxPool2D", kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// The mean of each window of an `[N, C, H, W]` input, like `torch.nn.AvgPool2d` (zero padding
/// counts towards the mean).
public final class AvgPool2D: Layer {
    /// The window.
    public let kernelSize: Size2D
    /// The step between windows (the window size by default).
    public let stride: Size2D
    /// Zero padding on each side.
    public let padding: Size2D
    /// Unused: pooling behaves the same in training and evaluation.
    public var isTraining = true

    /// Average pooling over `kernelSize` windows moved by `stride` (default: `kernelSize`).
    public init(_ kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    /// The pooled input.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try requireImages(input, layer: "AvgPool2D")
        return try input.avgPool2d(kernel: kernelSize, stride: stride, padding: padding)
    }

    /// "2×2".
    public var configurationSummary: String {
        poolingSummary(kernel: kernelSize, stride: stride, padding: padding)
    }

    /// Kernel, stride and padding.
    public func architecture() throws -> LayerArchitecture {
        poolingArchitecture("AvgPool2D", kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// The mean of each channel over its whole height and width: `[N, C, H, W] → [N, C]`, like
/// Keras' `GlobalAveragePooling2D` (PyTorch's `AdaptiveAvgPool2d(1)` followed by `Flatten`).
public final class GlobalAvgPool: Layer {
    /// Unused: pooling behaves the same in training and evaluation.
    public var isTraining = true

    /// A global average pooling layer.
    public init() {}

    /// The per-channel means.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try requireImages(input, layer: "GlobalAvgPool")
        return try input.mean(alongAxes: [2, 3])
    }

    /// `{"type": "GlobalAvgPool"}`.
    public func architecture() throws -> LayerArchitecture {
        LayerArchitecture(type: "GlobalAvgPool")
    }
}

/// Throws unless `input` is `[N, C, H, W]`.
func requireImages(_ input: Tensor, layer: String) throws {
    guard input.rank == 4 else {
        throw NNError.invalidInput(
            layer: layer, expected: "an [N, C, H, W] input", actual: input.shape)
    }
}

private func poolingSummary(kernel: Size2D, stride: Size2D, padding: Size2D) -> String {
    var text = "\(kernel.height)×\(kernel.width)"
    if stride != kernel { text += ", stride \(stride)" }
    if padding != 0 { text += ", padding \(padding)" }
    return text
}

private func poolingArchitecture(
    _ type: String, kernel: Size2D, stride: Size2D, padding: Size2D
) -> LayerArchitecture {
    LayerArchitecture(
        type: type,
        options: [
            "kernelSize": .ints([kernel.height, kernel.width]),
            "stride": .ints([stride.height, stride.width]),
            "padding": .ints([padding.height, padding.width]),
        ])
}
