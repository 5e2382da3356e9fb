import COpenBLAS

// 2-D convolution (cross-correlation, as in PyTorch's conv2d) through im2col + sgemm, in blocks
// of images so the column matrix stays a few megabytes. The backward rule unfolds each block
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
        var result = try convolution.forward(bias: try bias?.detached.contiguous())
        activation.apply(inPlace: result)
        let biasRequires = bias?.requiresGradient ?? false
        if Tensor.recordsGradient(self, weight) || (biasRequires && !GradientRecording.isPaused) {
            let needs = (requiresGradient, weight.requiresGradient, biasRequires)
            let inputs = [self, weight] + (bias.map { [$0] } ?? [])
            let output = activation == .identity ? Tensor(0) : result.detached
            result.recordGradient("conv2d", inputs: inputs) { gradient throws(TensorError) in
                let g = try activation.backward(gradient, output: output).contiguous()
                let (input, weight) = try convolution.backward(
                    g, needsInput: needs.0, needsWeight: needs.1)
                return [input, weight, needs.2 ? try g.sum(alongAxes: [0, 2, 3]) : nil]
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

    func forward(bias: Tensor?) throws(TensorError) -> Tensor {
        let g = geometry
        let result = try Tensor(
            uninitializedShape: [g.batch, outputs, g.outputHeight, g.outputWidth], dtype: .float32)
        let block = g.imagesPerBlock()
        let columns = try Tensor(
            uninitializedShape: [g.columnRows, block * g.outputPlane], dtype: .float32)
        let products = try Tensor(
            uninitializedShape: [outputs, block * g.outputPlane], dtype: .float32)
        let biasValues = bias?.floats
        for first in stride(from: 0, to: g.batch, by: block) {
            let count = Swift.min(block, g.batch - first)
            let width = count * g.outputPlane
            g.im2col(input.floats, images: first, count: count, into: columns.floats)
            try gemm(
                transposeA: false, transposeB: false, m: outputs, n: width, k: g.columnRows,
                a: weight.floats, lda: g.columnRows, b: columns.floats, ldb: width,
                c: products.floats, ldc: width, accumulate: false)
            // products[o, b·P + p] → result[first + b, o, p], plus the bias.
            let plane = g.outputPlane
            let source = products.floats
            let target = result.floats + first * outputs * plane
            Parallelism.forEachChunk(count: count * outputs, costPerItem: plane) { pairs in
                for pair in pairs {
                    let (image, channel) = pair.quotientAndRemainder(dividingBy: outputs)
                    let from = source + channel * width + image * plane
                    let to = target + (image * outputs + channel) * plane
                    let shift = biasValues?[channel] ?? 0
                    for index in 0..<plane { to[index] = from[index] + shift }
                }
            }
        }
        return result
    }

    func backward(_ gradient: Tensor, needsInput: Bool, needsWeight: Bool) throws(TensorError)
        -> (input: Tensor?, weight: Tensor?)
    {
        let g = geometry
        let inputGradient = needsInput ? try Tensor.zeros(input.shape) : nil
        let weightGradient = needsWeight ? try Tensor.zeros(weight.shape) : nil
        let block = g.imagesPerBlock()
        let columns = try Tensor(
            uninitializedShape: [g.columnRows, block * g.outputPlane], dtype: .float32)
        let gathered = try Tensor(
            uninitializedShape: [outputs, block * g.outputPlane], dtype: .float32)
        let plane = g.outputPlane
        for first in stride(from: 0, to: g.batch, by: block) {
            let count = Swift.min(block, g.batch - first)
            let width = count * plane
            // gradient[first + b, o, p] → gathered[o, b·P + p]
            let source = gradient.floats + first * outputs * plane
            let target = gathered.floats
            Parallelism.forEachChunk(count: count * outputs, costPerItem: plane) { pairs in
                for pair in pairs {
                    let (image, channel) = pair.quotientAndRemainder(dividingBy: outputs)
                    (target + channel * width + image * plane).update(
                        from: source + (image * outputs + channel) * plane, count: plane)
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
        return (inputGradient, weightGradient)
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
