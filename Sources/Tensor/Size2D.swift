/// A pair of integers for the height and width axes: a kernel size, stride, padding or dilation.
/// An integer literal means the same value for both.
///
/// ```swift
/// try x.conv2d(weight: w, stride: 2, padding: Size2D(height: 1, width: 0))
/// ```
public struct Size2D: Sendable, Hashable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The value along the height axis.
    public var height: Int
    /// The value along the width axis.
    public var width: Int

    /// A pair of values.
    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    /// The same value for both axes.
    public init(_ both: Int) {
        self.init(height: both, width: both)
    }

    /// The same value for both axes.
    public init(integerLiteral value: Int) {
        self.init(value)
    }

    /// "(height, width)".
    public var description: String { "(\(height), \(width))" }
}

/// The geometry of a 2-D sliding window over `[N, C, H, W]` inputs: sizes, steps and the output
/// size they give, validated once.
struct WindowGeometry {
    let batch: Int
    let channels: Int
    let inputHeight: Int
    let inputWidth: Int
    let kernel: Size2D
    let stride: Size2D
    let padding: Size2D
    let dilation: Size2D
    let outputHeight: Int
    let outputWidth: Int

    /// Output positions per channel plane.
    var outputPlane: Int { outputHeight * outputWidth }
    /// Input positions per channel plane.
    var inputPlane: Int { inputHeight * inputWidth }

    init(
        input: [Int], kernel: Size2D, stride: Size2D, padding: Size2D, dilation: Size2D,
        operation: String
    ) throws(TensorError) {
        guard input.count == 4 else {
            throw .invalidArgument(
                operation: operation, message: "expects an [N, C, H, W] input, got shape \(input)")
        }
        let limit = 1 << 24
        let values = [
            kernel.height, kernel.width, stride.height, stride.width, dilation.height,
            dilation.width,
        ]
        guard values.allSatisfy({ $0 > 0 && $0 <= limit }),
            padding.height >= 0, padding.width >= 0, padding.height <= limit,
            padding.width <= limit, input.allSatisfy({ $0 <= limit })
        else {
            throw .invalidArgument(
                operation: operation,
                message: "kernel \(kernel), stride \(stride) and dilation \(dilation) must be "
                    + "positive and padding \(padding) non-negative, all at most \(limit)")
        }
        let spanHeight = dilation.height * (kernel.height - 1) + 1
        let spanWidth = dilation.width * (kernel.width - 1) + 1
        let paddedHeight = input[2] + 2 * padding.height
        let paddedWidth = input[3] + 2 * padding.width
        guard paddedHeight >= spanHeight, paddedWidth >= spanWidth else {
            throw .shapeMismatch(
                operation: operation, shapes: [input, [kernel.height, kernel.width]],
                detail: "the window (\(spanHeight)×\(spanWidth) with dilation) is larger than "
                    + "the padded input (\(paddedHeight)×\(paddedWidth))")
        }
        self.batch = input[0]
        self.channels = input[1]
        self.inputHeight = input[2]
        self.inputWidth = input[3]
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.outputHeight = (paddedHeight - spanHeight) / stride.height + 1
        self.outputWidth = (paddedWidth - spanWidth) / stride.width + 1
    }
}
