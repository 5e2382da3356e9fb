// Summation along axes: the primitive reduction with a gradient rule (mean and variance are
// composites of it), and `summed(toShape:)`, which undoes broadcasting in backward rules.

extension Tensor {
    /// The sum of the elements along `axes` (all axes when nil); reduced axes are dropped unless
    /// `keepDims`.
    ///
    /// ```swift
    /// let m = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    /// try m.sum()                                 // 21
    /// try m.sum(alongAxes: [0])                   // [5, 7, 9]
    /// try m.sum(alongAxes: [1], keepDims: true)   // [[6], [15]]
    /// ```
    public func sum(alongAxes axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError)
        -> Tensor
    {
        try requireFloat("sum")
        let reduced = try normalizedAxes(axes, rank: rank, operation: "sum")
        let keptShape = shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
        let kept = try Tensor.reduceSum(self, keptShape: keptShape)
        let resultShape =
            keepDims
            ? keptShape
            : shape.indices.filter { !reduced.contains($0) }
                .map { shape[$0] }
        var result = kept.view(
            shape: resultShape, strides: contiguousStrides(for: resultShape), offset: 0)
        if Tensor.recordsGradient(self) {
            let inputShape = shape
            result.recordGradient("sum", inputs: [self]) { gradient throws(TensorError) in
                [try gradient.reshaped(keptShape).broadcast(to: inputShape)]
            }
        }
        return result
    }

    /// The mean of the elements along `axes` (all axes when nil), like `sum` divided by the
    /// number of elements summed.
    public func mean(alongAxes axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError)
        -> Tensor
    {
        let reduced = try normalizedAxes(axes, rank: rank, operation: "mean")
        let count = reduced.reduce(1) { $0 * shape[$1] }
        let total = try sum(alongAxes: axes, keepDims: keepDims)
        return try total * Tensor(count == 0 ? Float.nan : 1 / Float(count))
    }

    /// This gradient summed over the axes that broadcasting added or stretched, so that it has
    /// `targetShape` (the shape of the operand before broadcasting).
    func summed(toShape targetShape: [Int]) throws(TensorError) -> Tensor {
        if shape == targetShape { return self }
        let extra = rank - targetShape.count
        guard extra >= 0 else {
            throw .shapeMismatch(
                operation: "sum to shape", shapes: [shape, targetShape],
                detail: "the target has more dimensions")
        }
        var axes = Array(0..<extra)
        for (index, size) in targetShape.enumerated() where size != shape[index + extra] {
            guard size == 1 else {
                throw .shapeMismatch(
                    operation: "sum to shape", shapes: [shape, targetShape],
                    detail: "dimension \(index) is neither equal nor 1")
            }
            axes.append(index + extra)
        }
        return try sum(alongAxes: axes).reshaped(targetShape)
    }

    /// Sums `input` into a new contiguous tensor of `keptShape` (the input's shape with 1 on
    /// the reduced axes).
    private static func reduceSum(_ input: Tensor, keptShape: [Int]) throws(TensorError)
        -> Tensor
    {
        let result = try Tensor.zeros(keptShape)
        var targetStrides = result.strides
        for axis in keptShape.indices where keptShape[axis] == 1 { targetStrides[axis] = 0 }
        let layout = ElementwiseLayout(shape: input.shape, strides: [targetStrides, input.strides])
        let targetStride = layout.innerStride(0)
        let sourceStride = layout.innerStride(1)
        let target = result.floats
        let source = input.floats
        layout.run(parallel: false) { offsets, count in
            let out = target + offsets[0]
            let x = source + offsets[1]
            if targetStride == 0 {
                out[0] += sumOfRow(x, count: count, stride: sourceStride)
            } else if targetStride == 1, sourceStride == 1 {
                for index in 0..<count { out[index] += x[index] }
            } else {
                for index in 0..<count {
                    out[index &* targetStride] += x[index &* sourceStride]
                }
            }
        }
        return result
    }
}

/// The sum of `count` Floats `stride` apart, accumulated in Double (four independent
/// accumulators, so the adds pipeline) so that long rows keep Float precision.
@inline(__always)
func sumOfRow(_ x: UnsafePointer<Float>, count: Int, stride: Int) -> Float {
    var (s0, s1, s2, s3): (Double, Double, Double, Double) = (0, 0, 0, 0)
    var index = 0
    if stride == 1 {
        while index + 4 <= count {
            s0 += Double(x[index])
            s1 += Double(x[index + 1])
            s2 += Double(x[index + 2])
            s3 += Double(x[index + 3])
            index += 4
        }
        while index < count {
            s0 += Double(x[index])
            index += 1
        }
    } else {
        while index < count {
            s0 += Double(x[index &* stride])
            index += 1
        }
    }
    return Float((s0 + s1) + (s2 + s3))
}
