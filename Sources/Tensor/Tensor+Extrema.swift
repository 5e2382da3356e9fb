// Max and min along axes (primitives: the gradient goes to the elements equal to the extreme,
// split evenly among ties, as PyTorch's amax), and argmax/argmin.

extension Tensor {
    /// The largest element along `axes` (all axes when nil).
    ///
    /// ```swift
    /// let rowMax = try logits.max(alongAxes: [1], keepDims: true)
    /// ```
    public func max(alongAxes axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError)
        -> Tensor
    {
        try extreme(alongAxes: axes, keepDims: keepDims, largest: true)
    }

    /// The smallest element along `axes` (all axes when nil).
    public func min(alongAxes axes: [Int]? = nil, keepDims: Bool = false) throws(TensorError)
        -> Tensor
    {
        try extreme(alongAxes: axes, keepDims: keepDims, largest: false)
    }

    /// The index of the largest element along `axis` as an int32 tensor (of the flattened
    /// tensor when `axis` is nil); the first one on ties. No gradient.
    ///
    /// ```swift
    /// let predicted = try logits.argmax(alongAxis: 1)   // [N] class indices
    /// ```
    public func argmax(alongAxis axis: Int? = nil, keepDims: Bool = false) throws(TensorError)
        -> Tensor
    {
        try extremeIndex(alongAxis: axis, keepDims: keepDims, largest: true)
    }

    /// The index of the smallest element along `axis` (see `argmax`).
    public func argmin(alongAxis axis: Int? = nil, keepDims: Bool = false) throws(TensorError)
        -> Tensor
    {
        try extremeIndex(alongAxis: axis, keepDims: keepDims, largest: false)
    }

    private func extreme(alongAxes axes: [Int]?, keepDims: Bool, largest: Bool)
        throws(TensorError) -> Tensor
    {
        let operation = largest ? "max" : "min"
        try requireFloat(operation)
        let reduction = try Reduction(self, axes: axes, operation: operation)
        let kept = try Tensor(uninitializedShape: reduction.keptShape, dtype: .float32)
        let source = reduction.rows.floats
        let target = kept.floats
        let inner = reduction.inner
        Parallelism.forEachChunk(count: reduction.outer, costPerItem: inner) { rows in
            for row in rows {
                let values = source + row * inner
                var best = values[0]
                for index in 1..<Swift.max(inner, 1) {
                    let value = values[index]
                    if largest ? (value > best || value.isNaN) : (value < best || value.isNaN) {
                        best = value
                    }
                }
                target[row] = best
            }
        }
        var result = try kept.reshaped(keepDims ? reduction.keptShape : reduction.droppedShape)
        if Tensor.recordsGradient(self) {
            let input = detached
            let keptResult = kept
            let keptShape = reduction.keptShape
            result.recordGradient(operation, inputs: [self]) { gradient throws(TensorError) in
                let mask = try input .== keptResult
                let ties = try mask.sum(alongAxes: reduction.axes, keepDims: true)
                return [try gradient.reshaped(keptShape) * mask / ties]
            }
        }
        return result
    }

    private func extremeIndex(alongAxis axis: Int?, keepDims: Bool, largest: Bool)
        throws(TensorError) -> Tensor
    {
        let operation = largest ? "argmax" : "argmin"
        try requireFloat(operation)
        let source = axis == nil ? try reshaped([-1]) : self
        let reduced = try axis.map { (axis) throws(TensorError) in [axis] } ?? [0]
        let reduction = try Reduction(source, axes: reduced, operation: operation)
        let kept = try Tensor(uninitializedShape: reduction.keptShape, dtype: .int32)
        let values = reduction.rows.floats
        let target = kept.pointer(Int32.self)
        let inner = reduction.inner
        for row in 0..<reduction.outer {
            let start = values + row * inner
            var bestIndex = 0
            for index in 1..<Swift.max(inner, 1) {
                let value = start[index]
                let best = start[bestIndex]
                if best.isNaN { break }
                if largest ? (value > best || value.isNaN) : (value < best || value.isNaN) {
                    bestIndex = index
                }
            }
            target[row] = Int32(truncatingIfNeeded: bestIndex)
        }
        if axis == nil { return try kept.reshaped(keepDims ? shape.map { _ in 1 } : []) }
        return try kept.reshaped(keepDims ? reduction.keptShape : reduction.droppedShape)
    }
}

/// A tensor rearranged for reducing along some axes: `rows` is contiguous `[outer, inner]`,
/// one row of `inner` values per element of the result.
struct Reduction {
    /// The reduced axes, counted from the front and sorted.
    let axes: [Int]
    /// The result's shape with reduced axes kept as 1.
    let keptShape: [Int]
    /// The result's shape without the reduced axes.
    let droppedShape: [Int]
    /// Number of results.
    let outer: Int
    /// Values reduced into each result.
    let inner: Int
    /// The values, contiguous, one row per result.
    let rows: Tensor

    /// Arranges `tensor` for reducing along `axes` (all when nil); reducing an empty axis is an
    /// error, since max, min and their indices have no value there.
    init(_ tensor: Tensor, axes requested: [Int]?, operation: String) throws(TensorError) {
        let shape = tensor.shape
        let reduced = try normalizedAxes(requested, rank: tensor.rank, operation: operation)
        let keptAxes = shape.indices.filter { !reduced.contains($0) }
        let inner = reduced.reduce(1) { $0 * shape[$1] }
        let droppedShape = keptAxes.map { shape[$0] }
        let outer = droppedShape.reduce(1, *)
        guard inner > 0 || outer == 0 else {
            throw .invalidArgument(
                operation: operation, message: "cannot reduce an empty axis of shape \(shape)")
        }
        self.axes = reduced
        self.keptShape = shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
        self.droppedShape = droppedShape
        self.outer = outer
        self.inner = inner
        self.rows = try tensor.detached.permuted(keptAxes + reduced).contiguous()
    }
}
