import COpenBLAS

// 2-D convolution (cross-correlation, as in PyTorch's conv2d) through im2col + sgemm, in blocks
// of images so the column matrix stays in the L2 cache. The backward rule unfolds each block
// again (cheaper than keeping every column matrix), multiplies by the output gradient for the
// weight gradient, and folds Wᵀ·G back with col2im for the input gradient.

extension Tensor {
    /// The 2-D convolution of this `[N, C, H, W]` tensor with `weight` `[O, C, kh, kw]`, plus
    /// `bias` `[O]`; the result is `[N, O, OH, OW]` with
    /// OH = (H + 2·padding − dilation·(kh − 1) − 1) / stride + 1 (likewise OW).
    ///
    /// ```swift
    /// let features = try images.conv2d(weight: w, bias: b, padding: 1, activation: .relu)
    /// ```
    /// - Parameter activation: Applied in place to the result, with its derivative fused into
    ///   the backward (`.identity` for none).
    public func conv2d(
        weight: Tensor, bias: Tensor? = nil, stride: Size2D = 1, padding: Size2D = 0,
        dilation: Size2D = 1, activation: FusedActivation = .identity
    ) throws(TensorError) -> Tensor {
        try requireFloat("conv2d")
        try activation.validate("conv2d")
        try weight.requireFloat("conv2d")
        guard weight.rank == 4 else {
            throw .invalidArgument(
                operation: "conv2d", message: "weight must be [O, C, kh, kw], got \(weight.shape)")
        }
        let geometry = try WindowGeometry(
            input: shape, kernel: Size2D(height: weight.shape[2], width: weight.shape[3]),
            stride: stride, padding: padding, dilation: dilation, operation: "conv2d")
        guard weight.shape[1] == geometry.channels else {
            throw .shapeMismatch(
                operation: "conv2d", shapes: [shape, weight.shape],
                detail: "input has \(geometry.channels) channels, weight expects \(weight.shape[1])"
            )
        }
        let outputs = weight.shape[0]
        if let bias {
            try bias.requireFloat("conv2d")
            guard bias.shape == [outputs] else {
                throw .shapeMismatch(
                    operation: "conv2d", shapes: [weight.shape, bias.shape],
                    detail: "bias must have shape [\(outputs)]")
            }
        }
        let convolution = Convolution(
            geometry: geometry, outputs: outputs, input: try detached.contiguous(),
            weight: try weight.detached.contiguous())
        var result = try convolution.forward(
            bias: try bias?.detached.contiguous(), activation: activation)
        let biasRequires = bias?.requiresGradient ?? false
        if Tensor.recordsGradient(self, weight) || (biasRequires && !GradientRecording.isPaused) {
            let needs = (requiresGradient, weight.requiresGradient, biasRequires)
            let inputs = [self, weight] + (bias.map { [$0] } ?? [])
            let output = activation == .identity ? nil : result.detached
            result.recordGradient("conv2d", inputs: inputs) { gradient throws(TensorError) in
                let gradients = try convolution.backward(
                    gradient.contiguous(), output: output, activation: activation,
                    needs: (input: needs.0, weight: needs.1, bias: needs.2))
                return [gradients.input, gradients.weight, gradients.bias]
            }
        }
        return result
    }
}

/// One convolution's operands and geometry, shared by its forward and backward passes.
private struct Convolution {
    let geometry: WindowGeometry
    let outputs: Int
    /// Contiguous [N, C, H, W].
    let input: Tensor
    /// Contiguous [O, C, kh, kw], read as the matrix [O, C·kh·kw].
    let weight: Tensor

    /// The convolution plus `bias`, through `activation`: each block of images is unfolded
    /// once, then one sgemm per image writes straight into that image's [O, OH·OW] output,
    /// which already holds the bias (beta = 1), and the activation runs while it is in cache.
    func forward(bias: Tensor?, activation: FusedActivation) throws(TensorError) -> Tensor {
        let g = geometry
        let plane = g.outputPlane
        let result = try Tensor(
            uninitializedShape: [g.batch, outputs, g.outputHeight, g.outputWidth], dtype: .float32)
        let block = g.imagesPerBlock()
        let columns = try Tensor(
            uninitializedShape: [g.columnRows, block * plane], dtype: .float32)
        let biasValues = bias?.floats
        for first in stride(from: 0, to: g.batch, by: block) {
            let count = Swift.min(block, g.batch - first)
            let width = count * plane
            g.im2col(input.floats, images: first, count: count, into: columns.floats)
            for image in 0..<count {
                let output = result.floats + (first + image) * outputs * plane
                if let biasValues {
                    for channel in 0..<outputs {
                        FloatRun.fill(
                            output + channel * plane, with: biasValues[channel], count: plane)
                    }
                }
                try gemm(
                    transposeA: false, transposeB: false, m: outputs, n: plane, k: g.columnRows,
                    a: weight.floats, lda: g.columnRows, b: columns.floats + image * plane,
                    ldb: width, c: output, ldc: plane, accumulate: biasValues != nil)
                activation.apply(inPlace: output, count: outputs * plane)
            }
        }
        return result
    }

    /// The gradients of the input, the weight and the bias (each only when `needs` says so),
    /// given the gradient of the activation's `output`. Each block of images gathers the
    /// gradient into [O, count·OH·OW] and multiplies by the activation's derivative on the way
    /// (no separate pass), sums its rows into the bias gradient, unfolds the input again for
    /// the weight gradient and folds Wᵀ·G back with col2im for the input gradient.
    func backward(
        _ gradient: Tensor, output: Tensor?, activation: FusedActivation,
        needs: (input: Bool, weight: Bool, bias: Bool)
    ) throws(TensorError) -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        let g = geometry
        let inputGradient = needs.input ? try Tensor.zeros(input.shape) : nil
        let weightGradient = needs.weight ? try Tensor.zeros(weight.shape) : nil
        let biasGradient = needs.bias ? try Tensor.zeros([outputs]) : nil
        let block = g.imagesPerBlock()
        let columns = try Tensor(
            uninitializedShape: [g.columnRows, block * g.outputPlane], dtype: .float32)
        let gathered = try Tensor(
            uninitializedShape: [outputs, block * g.outputPlane], dtype: .float32)
        let plane = g.outputPlane
        for first in stride(from: 0, to: g.batch, by: block) {
            let count = Swift.min(block, g.batch - first)
            let width = count * plane
            // gradient[first + b, o, p] · f′(output[first + b, o, p]) → gathered[o, b·P + p]
            let offset = first * outputs * plane
            // (`.identity` reads no output, and keeps none alive.)
            let (source, values) = (gradient.floats + offset, (output ?? gradient).floats + offset)
            let target = gathered.floats
            Parallelism.forEachChunk(count: count * outputs, costPerItem: plane) { pairs in
                for pair in pairs {
                    let (image, channel) = pair.quotientAndRemainder(dividingBy: outputs)
                    let from = (image * outputs + channel) * plane
                    activation.backward(
                        source + from, output: values + from,
                        into: target + channel * width + image * plane, count: plane)
                }
            }
            if let biasGradient {
                let sums = biasGradient.floats
                for channel in 0..<outputs {
                    sums[channel] += FloatRun.sum(target + channel * width, count: width)
                }
            }
            if let weightGradient {
                g.im2col(input.floats, images: first, count: count, into: columns.floats)
                try gemm(
                    transposeA: false, transposeB: true, m: outputs, n: g.columnRows, k: width,
                    a: gathered.floats, lda: width, b: columns.floats, ldb: width,
                    c: weightGradient.floats, ldc: g.columnRows, accumulate: true)
            }
            if let inputGradient {
                try gemm(
                    transposeA: true, transposeB: false, m: g.columnRows, n: width, k: outputs,
                    a: weight.floats, lda: g.columnRows, b: gathered.floats, ldb: width,
                    c: columns.floats, ldc: width, accumulate: false)
                g.col2im(columns.floats, images: first, count: count, into: inputGradient.floats)
            }
        }
        return (inputGradient, weightGradient, biasGradient)
    }
}

/// C = op(A)·op(B) (+ C when `accumulate`), row-major, through cblas_sgemm.
func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) throws(TensorError) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate {
            for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
        }
        return
    }
    let dims = try blasDimensions([m, n, k, lda, ldb, ldc], operation: "gemm")
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans, dims[0], dims[1], dims[2], 1, a, dims[3], b,
        dims[4], accumulate ? 1 : 0, c, dims[5])
}
