// 2-D max and average pooling over [N, C, H, W] by direct window loops, one channel plane per
// task. (An im2col formulation would only add a copy: pooling has no matrix product to feed.)
// Max pooling remembers where each maximum came from, so its backward rule is a scatter.

extension Tensor {
    /// The maximum of each `kernel` window, moved by `stride` (the kernel size by default) over
    /// the input padded with −∞ by `padding` (at most half the kernel, as in PyTorch).
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
                message: "padding \(padding) must be at most half the "
                    + "kernel \(kernel)")
        }
        let input = try detached.contiguous()
        let planes = g.batch * g.channels
        var result = try Tensor(
            uninitializedShape: [g.batch, g.channels, g.outputHeight, g.outputWidth],
            dtype: .float32)
        let winners = try Tensor(uninitializedShape: result.shape, dtype: .int32)
        let source = input.floats
        let target = result.floats
        let positions = winners.pointer(Int32.self)
        Parallelism.forEachChunk(count: planes, costPerItem: g.outputPlane * g.kernel.height) {
            chunk in
            for plane in chunk {
                let x = source + plane * g.inputPlane
                let y = target + plane * g.outputPlane
                let winnerSlots = positions + plane * g.outputPlane
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        var best = -Float.infinity
                        var bestPosition = -1
                        for i in 0..<g.kernel.height {
                            let iy = oy * g.stride.height - g.padding.height + i * g.dilation.height
                            guard iy >= 0, iy < g.inputHeight else { continue }
                            for j in 0..<g.kernel.width {
                                let ix =
                                    ox * g.stride.width - g.padding.width + j * g.dilation.width
                                guard ix >= 0, ix < g.inputWidth else { continue }
                                let value = x[iy * g.inputWidth + ix]
                                if value > best || bestPosition < 0 || value.isNaN {
                                    best = value
                                    bestPosition = iy * g.inputWidth + ix
                                    if value.isNaN { break }
                                }
                            }
                        }
                        y[oy * g.outputWidth + ox] = best
                        winnerSlots[oy * g.outputWidth + ox] = Int32(
                            truncatingIfNeeded: bestPosition)
                    }
                }
            }
        }
        if Tensor.recordsGradient(self) {
            let inputShape = shape
            result.recordGradient("maxPool2d", inputs: [self]) { gradient throws(TensorError) in
                let grad = try gradient.contiguous()
                let full = try Tensor.zeros(inputShape)
                let values = grad.floats
                let targetGradient = full.floats
                let winnerPositions = winners.pointer(Int32.self)
                Parallelism.forEachChunk(count: planes, costPerItem: g.outputPlane) { chunk in
                    for plane in chunk {
                        let out = targetGradient + plane * g.inputPlane
                        for index in (plane * g.outputPlane)..<((plane + 1) * g.outputPlane) {
                            let position = Int(winnerPositions[index])
                            if position >= 0 { out[position] += values[index] }
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
        var result = try Tensor(
            uninitializedShape: [g.batch, g.channels, g.outputHeight, g.outputWidth],
            dtype: .float32)
        let source = input.floats
        let target = result.floats
        Parallelism.forEachChunk(count: planes, costPerItem: g.outputPlane * g.kernel.height) {
            chunk in
            for plane in chunk {
                let x = source + plane * g.inputPlane
                let y = target + plane * g.outputPlane
                g.forEachWindow { output, position in
                    y[output] += x[position] * scale
                } reset: {
                    output in
                    y[output] = 0
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
                Parallelism.forEachChunk(count: planes, costPerItem: g.outputPlane) { chunk in
                    for plane in chunk {
                        let out = targetGradient + plane * g.inputPlane
                        let dy = values + plane * g.outputPlane
                        g.forEachWindow { output, position in
                            out[position] += dy[output] * scale
                        } reset: { _ in
                        }
                    }
                }
                return [full]
            }
        }
        return result
    }
}

extension WindowGeometry {
    /// For each output position of one plane: `reset(output)`, then `visit(output, position)`
    /// for each input position of its window that lies inside the input.
    @inline(__always)
    func forEachWindow(_ visit: (Int, Int) -> Void, reset: (Int) -> Void) {
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                let output = oy * outputWidth + ox
                reset(output)
                for i in 0..<kernel.height {
                    let iy = oy * stride.height - padding.height + i * dilation.height
                    guard iy >= 0, iy < inputHeight else { continue }
                    for j in 0..<kernel.width {
                        let ix = ox * stride.width - padding.width + j * dilation.width
                        guard ix >= 0, ix < inputWidth else { continue }
                        visit(output, iy * inputWidth + ix)
                    }
                }
            }
        }
    }
}
