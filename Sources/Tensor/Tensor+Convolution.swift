import COpenBLAS

// 2-D convolution (cross-correlation, as in PyTorch's conv2d) on oneDNN's primitives where
// `ConvolutionBackend` picks them (Convolution+DNNL.swift, docs/convolution.md), otherwise
// through im2col + sgemm, in blocks of images so the column matrix stays in the L2 cache. The backward rule unfolds each block
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
        try convolved(
            weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
            activation: activation, pooling: .none)
    }

    /// `conv2d`, followed by the `pooling` (2×2 max pooling with stride 2 runs fused, for the
    /// identity and ReLU only: other activations throw; an output smaller than 2×2 throws as
    /// pooling would).
    func convolved(
        weight: Tensor, bias: Tensor?, stride: Size2D, padding: Size2D, dilation: Size2D,
        activation: FusedActivation, pooling kind: ConvolutionPooling.Kind
    ) throws(TensorError) -> Tensor {
        try requireFloat("conv2d")
        try activation.validate("conv2d")
        if kind == .maxPool2x2 { try ConvolutionPooling.requireFusable(activation) }
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
            weight: try weight.detached.contiguous(), hasBias: bias != nil)
        let pooling =
            kind == .maxPool2x2
            ? try ConvolutionPooling(
                convolutionShape: [
                    geometry.batch, outputs, geometry.outputHeight, geometry.outputWidth,
                ],
                afterRelu: activation == .relu) : nil
        var result = try convolution.forward(
            bias: try bias?.detached.contiguous(), activation: activation, pooling: pooling)
        let biasRequires = bias?.requiresGradient ?? false
        if Tensor.recordsGradient(self, weight) || (biasRequires && !GradientRecording.isPaused) {
            let needs = (requiresGradient, weight.requiresGradient, biasRequires)
            let inputs = [self, weight] + (bias.map { [$0] } ?? [])
            let output = activation == .identity || pooling != nil ? nil : result.detached
            let name = pooling == nil ? "conv2d" : "conv2dMaxPool2x2"
            result.recordGradient(name, inputs: inputs) { gradient throws(TensorError) in
                let gradients = try convolution.backward(
                    gradient.contiguous(), output: output, activation: activation,
                    needs: (input: needs.0, weight: needs.1, bias: needs.2), pooling: pooling)
                return [gradients.input, gradients.weight, gradients.bias]
            }
        }
        return result
    }
}

/// One convolution's operands and geometry, shared by its forward and backward passes.
///
/// With several threads, the batch is cut into one part of images per thread and each part
/// runs the whole pass on its own (its own column buffer, single-threaded sgemm), since the
/// per-image products are too small for OpenBLAS to split well; the weight and bias gradients
/// are summed over the parts at the end.
struct Convolution {
    let geometry: WindowGeometry
    let outputs: Int
    /// Contiguous [N, C, H, W].
    let input: Tensor
    /// Contiguous [O, C, kh, kw], read as the matrix [O, C·kh·kw].
    let weight: Tensor
    /// Whether the forward pass adds a bias (the backward then has a bias gradient to give).
    let hasBias: Bool
    /// The parts of the batch (ranges of images) the passes run side by side.
    let parts: [Range<Int>]
    /// oneDNN's primitives where it has them (`.automatic`), or im2col + sgemm.
    let backend: ConvolutionBackend

    /// - Parameters:
    ///   - parts: Ranges of images covering the batch, one per thread; by default one per
    ///     `Parallelism.threadCount` thread when the batch is big enough to pay for it.
    ///   - backend: By default `ConvolutionBackend.current`.
    init(
        geometry: WindowGeometry, outputs: Int, input: Tensor, weight: Tensor,
        hasBias: Bool, parts: [Range<Int>]? = nil,
        backend: ConvolutionBackend = .current
    ) {
        self.geometry = geometry
        self.outputs = outputs
        self.input = input
        self.weight = weight
        self.hasBias = hasBias
        self.backend = backend
        self.parts =
            parts
            ?? Parallelism.partitions(
                count: geometry.batch, costPerItem: geometry.columnRows * geometry.outputPlane)
    }

    /// Threads the loops inside one part may use: all of them when there is a single part.
    func innerThreads(parts: Int) -> Int { parts > 1 ? 1 : Parallelism.threadCount }

    /// A column buffer [rows, block·OH·OW] per part.
    func buffers(rows: Int, block: Int, parts: Int) throws(TensorError) -> [Tensor] {
        var buffers: [Tensor] = []
        for _ in 0..<parts {
            buffers.append(
                try Tensor(
                    uninitializedShape: [rows, block * geometry.outputPlane], dtype: .float32))
        }
        return buffers
    }

    /// The convolution plus `bias`, through `activation`: on oneDNN's primitives when
    /// `ConvolutionBackend.current` allows and oneDNN has one for the shape (`dnnlForward`),
    /// otherwise through im2col + sgemm.
    ///
    /// With `pooling`, each image's output is pooled while in cache (`ConvolutionPooling`) and
    /// the result is `pooling.pooled`.
    func forward(
        bias: Tensor?, activation: FusedActivation, pooling: ConvolutionPooling? = nil
    ) throws(TensorError) -> Tensor {
        if let result = try dnnlForward(bias: bias, activation: activation, pooling: pooling) {
            return result
        }
        return try im2colForward(bias: bias, activation: activation, pooling: pooling)
    }

    /// The convolution plus `bias`, through `activation`, on im2col + sgemm (the reference):
    /// each block of images is unfolded once, then one sgemm per image writes straight into that image's [O, OH·OW] output,
    /// which already holds the bias (beta = 1), and the activation runs while it is in cache.
    func im2colForward(
        bias: Tensor?, activation: FusedActivation, pooling: ConvolutionPooling? = nil
    ) throws(TensorError) -> Tensor {
        let g = geometry
        let plane = g.outputPlane
        // With pooling, each image's output goes to its part's scratch, then is pooled.
        let result = try Tensor(
            uninitializedShape: pooling == nil
                ? [g.batch, outputs, g.outputHeight, g.outputWidth] : [1], dtype: .float32)
        let parts = self.parts
        let inner = innerThreads(parts: parts.count)
        let block = g.imagesPerBlock()
        let columns = try buffers(rows: g.columnRows, block: block, parts: parts.count)
        let scratch = pooling == nil ? [] : try buffers(rows: outputs, block: 1, parts: parts.count)
        let biasValues = bias?.floats
        try Parallelism.forEachPartition(parts) { part, images throws(TensorError) in
            let buffer = columns[part].floats
            for first in stride(from: images.lowerBound, to: images.upperBound, by: block) {
                let count = Swift.min(block, images.upperBound - first)
                let width = count * plane
                g.im2col(input.floats, images: first, count: count, into: buffer, threads: inner)
                for image in 0..<count {
                    let output =
                        pooling == nil
                        ? result.floats + (first + image) * outputs * plane : scratch[part].floats
                    if let biasValues {
                        for channel in 0..<outputs {
                            FloatRun.fill(
                                output + channel * plane, with: biasValues[channel], count: plane)
                        }
                    }
                    try gemm(
                        transposeA: false, transposeB: false, m: outputs, n: plane,
                        k: g.columnRows, a: weight.floats, lda: g.columnRows,
                        b: buffer + image * plane, ldb: width, c: output, ldc: plane,
                        accumulate: biasValues != nil, threads: inner)
                    activation.apply(inPlace: output, count: outputs * plane)
                    pooling?.pool(images: (first + image)..<(first + image + 1), from: output)
                }
            }
        }
        return pooling?.pooled ?? result
    }

    /// The gradients of the input, the weight and the bias (each only when `needs` says so),
    /// given the gradient of the activation's `output`: on oneDNN when the forward could be
    /// (`dnnlBackward`), otherwise through im2col + sgemm.
    ///
    /// With `pooling` (the forward's), `gradient` is the pooled output's and `output` unused.
    func backward(
        _ gradient: Tensor, output: Tensor?, activation: FusedActivation,
        needs: (input: Bool, weight: Bool, bias: Bool), pooling: ConvolutionPooling? = nil
    ) throws(TensorError) -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        if let gradients = try dnnlBackward(
            gradient, output: output, activation: activation, needs: needs, pooling: pooling)
        {
            return gradients
        }
        return try im2colBackward(
            gradient, output: output, activation: activation, needs: needs, pooling: pooling)
    }

    /// `backward(_:output:activation:needs:)` on im2col + sgemm (the reference). Each block of images gathers the
    /// gradient into [O, count·OH·OW] and multiplies by the activation's derivative on the way
    /// (no separate pass), sums its rows into the bias gradient, unfolds the input again for
    /// the weight gradient and folds Wᵀ·G back with col2im for the input gradient.
    func im2colBackward(
        _ gradient: Tensor, output: Tensor?, activation: FusedActivation,
        needs: (input: Bool, weight: Bool, bias: Bool), pooling: ConvolutionPooling? = nil
    ) throws(TensorError) -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        let g = geometry
        let parts = self.parts
        let inner = innerThreads(parts: parts.count)
        let inputGradient = needs.input ? try Tensor.zeros(input.shape) : nil
        // Part 0 accumulates into the result; the others into their own, summed at the end.
        var weightGradients: [Tensor] = []
        var biasGradients: [Tensor] = []
        for _ in 0..<parts.count {
            if needs.weight { weightGradients.append(try Tensor.zeros(weight.shape)) }
            if needs.bias { biasGradients.append(try Tensor.zeros([outputs])) }
        }
        let block = g.imagesPerBlock()
        let columns = try buffers(rows: g.columnRows, block: block, parts: parts.count)
        let gathered = try buffers(rows: outputs, block: block, parts: parts.count)
        let plane = g.outputPlane
        try Parallelism.forEachPartition(parts) { part, images throws(TensorError) in
            let (buffer, target) = (columns[part].floats, gathered[part].floats)
            for first in stride(from: images.lowerBound, to: images.upperBound, by: block) {
                let count = Swift.min(block, images.upperBound - first)
                let width = count * plane
                // gradient[first + b, o, p] · f′(output[first + b, o, p]) → gathered[o, b·P + p]
                // (`.identity` reads no output, and keeps none alive. With pooling, `gradient`
                // is the smaller pooled one, which `pooling.scatter` indexes itself: no offset
                // past its end is formed.)
                let offset = pooling == nil ? first * outputs * plane : 0
                let (source, values) = (
                    gradient.floats + offset, (output ?? gradient).floats + offset
                )
                Parallelism.forEachChunk(
                    count: count * outputs, costPerItem: plane, threads: inner
                ) { pairs in
                    for pair in pairs {
                        let (image, channel) = pair.quotientAndRemainder(dividingBy: outputs)
                        if let pooling {
                            pooling.scatter(
                                gradient.floats, image: first + image, channel: channel,
                                into: target + channel * width + image * plane)
                            continue
                        }
                        let from = (image * outputs + channel) * plane
                        activation.backward(
                            source + from, output: values + from,
                            into: target + channel * width + image * plane, count: plane)
                    }
                }
                if needs.bias {
                    let sums = biasGradients[part].floats
                    for channel in 0..<outputs {
                        sums[channel] += FloatRun.sum(target + channel * width, count: width)
                    }
                }
                if needs.weight {
                    g.im2col(
                        input.floats, images: first, count: count, into: buffer, threads: inner)
                    try gemm(
                        transposeA: false, transposeB: true, m: outputs, n: g.columnRows,
                        k: width, a: target, lda: width, b: buffer, ldb: width,
                        c: weightGradients[part].floats, ldc: g.columnRows, accumulate: true,
                        threads: inner)
                }
                if let inputGradient {
                    try gemm(
                        transposeA: true, transposeB: false, m: g.columnRows, n: width,
                        k: outputs, a: weight.floats, lda: g.columnRows, b: target, ldb: width,
                        c: buffer, ldc: width, accumulate: false, threads: inner)
                    g.col2im(
                        buffer, images: first, count: count, into: inputGradient.floats,
                        threads: inner)
                }
            }
        }
        return (inputGradient, Self.total(weightGradients), Self.total(biasGradients))
    }

    /// The first of `partials` with the others added onto it (nil when there are none).
    static func total(_ partials: [Tensor]) -> Tensor? {
        guard let first = partials.first else { return nil }
        for partial in partials.dropFirst() {
            FloatRun.add(partial.floats, onto: first.floats, count: first.elementCount)
        }
        return first
    }
}
