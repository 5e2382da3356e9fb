// A convolution and the 2×2 max pooling after it as one operation: each image's convolution
// output is activated and pooled while in cache (ConvolutionPooling.swift), so the full
// convolution output is never written, read back by the pooling, nor kept for the backward
// pass, whose gradient goes straight from the pooled gradient into the convolution's own
// backward (no full-size pooling gradient, no separate ReLU derivative pass).

extension Tensor {
    /// `maxPool2d(kernel: 2)` of `conv2d(weight:bias:stride:padding:dilation:activation:)`,
    /// the same values and gradients, computed without materializing the convolution's output
    /// for `.identity` and `.relu` (other activations, and outputs smaller than 2×2, run the two
    /// operations one after the other).
    ///
    /// ```swift
    /// let pooled = try images.conv2dMaxPool2x2(weight: w, bias: b, activation: .relu)
    /// // == try images.conv2d(weight: w, bias: b, activation: .relu).maxPool2d(kernel: 2)
    /// ```
    public func conv2dMaxPool2x2(
        weight: Tensor, bias: Tensor? = nil, stride: Size2D = 1, padding: Size2D = 0,
        dilation: Size2D = 1, activation: FusedActivation = .identity
    ) throws(TensorError) -> Tensor {
        let fusable =
            ConvolutionPooling.fuses(activation) && rank == 4 && weight.rank == 4
            && Self.convolutionOutputSide(
                shape[2], kernel: weight.shape[2], stride: stride.height,
                padding: padding.height, dilation: dilation.height) >= 2
            && Self.convolutionOutputSide(
                shape[3], kernel: weight.shape[3], stride: stride.width, padding: padding.width,
                dilation: dilation.width) >= 2
        guard fusable else {
            return try conv2d(
                weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                activation: activation
            ).maxPool2d(kernel: 2)
        }
        return try convolved(
            weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
            activation: activation, pooling: .maxPool2x2)
    }

    /// The output height (or width) of a convolution over `side` inputs, or 0 when the
    /// window does not fit (the convolution itself then reports the error).
    static func convolutionOutputSide(
        _ side: Int, kernel: Int, stride: Int, padding: Int, dilation: Int
    ) -> Int {
        guard stride > 0, dilation > 0, kernel > 0, padding >= 0 else { return 0 }
        let span = dilation.multipliedReportingOverflow(by: kernel - 1)
        let padded = side.addingReportingOverflow(2.multipliedReportingOverflow(by: padding).0)
        guard !span.overflow, !padded.overflow, padded.partialValue > span.partialValue else {
            return 0
        }
        return (padded.partialValue - span.partialValue - 1) / stride + 1
    }
}
