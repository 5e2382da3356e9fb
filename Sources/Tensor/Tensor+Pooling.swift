import CVectorKernels

// 2-D max and average pooling over [N, C, H, W], one channel plane per task, by window rows:
// for each kernel offset (i, j) the whole output row is updated at once from one input row,
// with the in-bounds columns computed up front, so the inner loop has no bounds checks or
// branches. (An im2col formulation would only add a copy: pooling has no matrix product to
// feed.) Max pooling's backward rule finds each window's first maximum again and gives it the
// gradient.

extension Tensor {
    /// The maximum of each `kernel` window, moved by `stride` (the kernel size by default) over
    /// the input padded with −∞ by `padding` (at most half the kernel, as in PyTorch); the first
    /// maximum of a window gets its gradient. NaN inputs are skipped.
    ///
    /// ```swift
    /// let pooled = try features.maxPool2d(kernel: 2)   // [N, C, 28, 28] → [N, C, 14, 14]
    /// ```
    public func maxPool2d(
        kernel: Size2D, stride: Size2D? = nil, padding: Size2D = 0, dilation: Size2D = 1
    ) throws(TensorError) -> Tensor {
        try requireFloat("maxPool2d")
        let g = try WindowGeometry(
            input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding,
            dilation: dilation, operation: "maxPool2d")
        guard padding.height * 2 <= kernel.height, padding.width * 2 <= kernel.width else {
            throw .invalidArgument(
                operation: "maxPool2d",
                message: "padding \(padding) must be at most half the kernel \(kernel)")
        }
        let input = try detached.contiguous()
        let planes = g.batch * g.channels
        var result = try Tensor(
            uninitializedShape: [g.batch, g.channels, g.outputHeight, g.outputWidth],
            dtype: .float32)
        let source = input.floats
        let target = result.floats
        Parallelism.forEachChunk(count: planes, costPerItem: g.inputPlane) { chunk in
            for plane in chunk {
                let x = source + plane * g.inputPlane
                let y = target + plane * g.outputPlane
                if g.hasDisjointWindows {
                    g.maximumOfDisjointWindows(input: x, into: y)
                    continue
                }
                y.update(repeating: -.infinity, count: g.outputPlane)
                g.forEachWindowRow { output, inputOffset, valid in
                    let out = y + output
                    let line = x + inputOffset
                    let step = g.stride.width
                    for ox in valid { out[ox] = Swift.max(out[ox], line[ox &* step]) }
                }
            }
        }
        if Tensor.recordsGradient(self) {
            let inputShape = shape
            let output = result.detached
            result.recordGradient("maxPool2d", inputs: [self]) { gradient throws(TensorError) in
                let grad = try gradient.contiguous()
                // Disjoint windows write every element they cover (and zero what they miss).
                let disjoint = g.hasDisjointWindows
                let full =
                    disjoint
                    ? try Tensor(uninitializedShape: inputShape, dtype: .float32)
                    : try Tensor.zeros(inputShape)
                let unclaimed = try Tensor(
                    uninitializedShape: [disjoint ? 1 : planes, g.outputPlane], dtype: .float32)
                let (dy, dx, y, open) = (grad.floats, full.floats, output.floats, unclaimed.floats)
                let source = input.floats
                Parallelism.forEachChunk(count: planes, costPerItem: g.inputPlane) { chunk in
                    for plane in chunk {
                        let xPlane = source + plane * g.inputPlane
                        let dxPlane = dx + plane * g.inputPlane
                        let yPlane = y + plane * g.outputPlane
                        let dyPlane = dy + plane * g.outputPlane
                        let openPlane = open + plane * g.outputPlane
                        // The first element equal to its window's maximum takes the gradient;
                        // arithmetic instead of branches, since random data mispredicts them.
                        if disjoint {
                            g.scatterToFirstMaximum(
                                input: xPlane, output: yPlane, gradient: dyPlane, into: dxPlane)
                            g.zeroOutsideDisjointWindows(dxPlane)
                            continue
                        }
                        openPlane.update(repeating: 1, count: g.outputPlane)
                        g.forEachWindowRow { output, inputOffset, valid in
                            let step = g.stride.width
                            for ox in valid {
                                let position = inputOffset &+ ox &* step
                                let hit = Float(
                                    (xPlane[position] == yPlane[output &+ ox]).asZeroOrOne)
                                let take = hit * openPlane[output &+ ox]
                                dxPlane[position] += take * dyPlane[output &+ ox]
                                openPlane[output &+ ox] -= take
                            }
                        }
                    }
                }
                return [full]
            }
        }
        return result
    }

    /// The mean of each `kernel` window, moved by `stride` (the kernel size by default); windows
    /// reaching into the zero `padding` still divide by the full kernel area, as PyTorch's
    /// default (`count_include_pad`).
    ///
    /// ```swift
    /// let pooled = try features.avgPool2d(kernel: 2)
    /// ```
    public func avgPool2d(kernel: Size2D, stride: Size2D? = nil, padding: Size2D = 0)
        throws(TensorError) -> Tensor
    {
        try requireFloat("avgPool2d")
        let g = try WindowGeometry(
            input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding,
            dilation: 1, operation: "avgPool2d")
        let input = try detached.contiguous()
        let planes = g.batch * g.channels
        let scale = 1 / Float(kernel.height * kernel.width)
        var result = try Tensor.zeros([g.batch, g.channels, g.outputHeight, g.outputWidth])
        let source = input.floats
        let target = result.floats
        Parallelism.forEachChunk(count: planes, costPerItem: g.inputPlane) { chunk in
            for plane in chunk {
                let x = source + plane * g.inputPlane
                let y = target + plane * g.outputPlane
                g.forEachWindowRow { output, inputOffset, valid in
                    let out = y + output
                    let line = x + inputOffset
                    let step = g.stride.width
                    for ox in valid { out[ox] += line[ox &* step] * scale }
                }
            }
        }
        if Tensor.recordsGradient(self) {
            let inputShape = shape
            result.recordGradient("avgPool2d", inputs: [self]) { gradient throws(TensorError) in
                let grad = try gradient.contiguous()
                let full = try Tensor.zeros(inputShape)
                let values = grad.floats
                let targetGradient = full.floats
                Parallelism.forEachChunk(count: planes, costPerItem: g.inputPlane) { chunk in
                    for plane in chunk {
                        let dx = targetGradient + plane * g.inputPlane
                        let dy = values + plane * g.outputPlane
                        g.forEachWindowRow { output, inputOffset, valid in
                            let line = dx + inputOffset
                            let out = dy + output
                            let step = g.stride.width
                            for ox in valid { line[ox &* step] += out[ox] * scale }
                        }
                    }
                }
                return [full]
            }
        }
        return result
    }
}

extension Bool {
    /// 1 for true, 0 for false, without a branch.
    @inline(__always)
    var asZeroOrOne: UInt8 { unsafeBitCast(self, to: UInt8.self) }
}

extension WindowGeometry {
    /// Whether the windows tile the input without overlap or padding (stride = kernel, the
    /// usual pooling).
    var hasDisjointWindows: Bool {
        stride == kernel && padding == 0 && dilation == 1
    }

    /// Max-pooling forward for disjoint windows: each window's maximum, kept in a register
    /// (2×2 windows by `tb_max_pool_2x2`, with AVX-512 where the CPU has it).
    @inline(__always)
    func maximumOfDisjointWindows(
        input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>
    ) {
        if kernel == 2 {
            tb_max_pool_2x2(input, inputWidth, output, outputHeight, outputWidth)
            return
        }
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                var maximum = -Float.infinity
                for i in 0..<kernel.height {
                    let row = (oy &* kernel.height &+ i) &* inputWidth &+ ox &* kernel.width
                    for j in 0..<kernel.width { maximum = Swift.max(maximum, input[row &+ j]) }
                }
                output[oy &* outputWidth &+ ox] = maximum
            }
        }
    }

    /// Max-pooling backward for disjoint windows, one window at a time: each element of a
    /// window gets the output gradient if it is the window's first maximum, else 0 (2×2
    /// windows by `tb_max_pool_2x2_backward`).
    @inline(__always)
    func scatterToFirstMaximum(
        input: UnsafePointer<Float>, output: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
        into target: UnsafeMutablePointer<Float>
    ) {
        if kernel == 2 {
            tb_max_pool_2x2_backward(
                input, inputWidth, output, gradient, target, outputHeight, outputWidth)
            return
        }
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                let index = oy &* outputWidth &+ ox
                let maximum = output[index]
                let g = gradient[index]
                // Selected, not multiplied: a NaN or infinite gradient stays with the winner.
                var open = true
                for i in 0..<kernel.height {
                    let row = (oy &* kernel.height &+ i) &* inputWidth &+ ox &* kernel.width
                    for j in 0..<kernel.width {
                        let take = open && input[row &+ j] == maximum
                        target[row &+ j] = take ? g : 0
                        if take { open = false }
                    }
                }
            }
        }
    }

    /// Zeroes the elements of an input plane that no disjoint window covers: the last
    /// `H mod kh` rows and `W mod kw` columns.
    @inline(__always)
    func zeroOutsideDisjointWindows(_ plane: UnsafeMutablePointer<Float>) {
        let coveredRows = outputHeight &* kernel.height
        let coveredColumns = outputWidth &* kernel.width
        if coveredColumns < inputWidth {
            for row in 0..<coveredRows {
                FloatRun.fill(
                    plane + (row &* inputWidth &+ coveredColumns), with: 0,
                    count: inputWidth &- coveredColumns)
            }
        }
        if coveredRows < inputHeight {
            FloatRun.fill(
                plane + coveredRows &* inputWidth, with: 0,
                count: (inputHeight &- coveredRows) &* inputWidth)
        }
    }

    /// Walks one channel plane by window rows: for each output row and kernel offset (i, j)
    /// whose input row lies inside the plane, calls `body(outputRowStart, inputOffset, valid)`:
    /// output column `ox` in `valid` reads input position `inputOffset + ox·strideWidth`.
    @inline(__always)
    func forEachWindowRow(_ body: (Int, Int, Range<Int>) -> Void) {
        withUnsafeTemporaryAllocation(of: (Int, Range<Int>).self, capacity: kernel.width) {
            columns in
            for j in 0..<kernel.width { columns[j] = validColumns(kernelColumn: j) }
            for oy in 0..<outputHeight {
                for i in 0..<kernel.height {
                    let iy = oy * stride.height - padding.height + i * dilation.height
                    guard iy >= 0, iy < inputHeight else { continue }
                    for (shift, valid) in columns {
                        body(oy &* outputWidth, iy &* inputWidth &+ shift, valid)
                    }
                }
            }
        }
    }
}
