// Joining tensors: `concatenate` along an existing axis (a primitive; its backward rule slices
// the gradient apart) and `stack` along a new one.

extension Tensor {
    /// The tensors joined along `axis`; all must have the same dtype and the same shape except
    /// along `axis`.
    ///
    /// ```swift
    /// let both = try Tensor.concatenate([train, extra], alongAxis: 0)
    /// ```
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0)
        throws(TensorError) -> Tensor
    {
        guard let first = tensors.first else {
            throw .invalidArgument(operation: "concatenate", message: "needs at least one tensor")
        }
        let axis = try normalizedAxis(axis, rank: first.rank, operation: "concatenate")
        var total = 0
        for tensor in tensors {
            guard tensor.dtype == first.dtype else {
                throw .dtypeMismatch(
                    operation: "concatenate", expected: "\(first.dtype)", actual: tensor.dtype)
            }
            guard tensor.rank == first.rank,
                tensor.shape.indices.allSatisfy({
                    $0 == axis || tensor.shape[$0] == first.shape[$0]
                })
            else {
                throw .shapeMismatch(
                    operation: "concatenate", shapes: [first.shape, tensor.shape],
                    detail: "shapes must agree except along axis \(axis)")
            }
            total += tensor.shape[axis]
        }
        var shape = first.shape
        shape[axis] = total
        var result = try Tensor(uninitializedShape: shape, dtype: first.dtype)
        var start = 0
        for tensor in tensors {
            let target = result.view(
                shape: tensor.shape, strides: result.strides,
                offset: start * result.strides[axis])
            copyElements(from: tensor, to: target)
            start += tensor.shape[axis]
        }
        if recordsGradient(tensors) {
            let sizes = tensors.map { $0.shape[axis] }
            let needed = tensors.map(\.requiresGradient)
            result.recordGradient("concatenate", inputs: tensors) { gradient throws(TensorError) in
                var start = 0
                var parts: [Tensor?] = []
                for (size, needs) in Swift.zip(sizes, needed) {
                    var indices = [TensorIndex](repeating: .all, count: gradient.rank)
                    indices[axis] = .range(start, start + size, step: 1)
                    parts.append(needs ? try gradient.slice(indices) : nil)
                    start += size
                }
                return parts
            }
        }
        return result
    }

    /// The tensors, all of one shape, stacked along a new axis at `axis`.
    ///
    /// ```swift
    /// let batch = try Tensor.stack(images, alongAxis: 0)   // N × [28, 28] → [N, 28, 28]
    /// ```
    public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) throws(TensorError)
        -> Tensor
    {
        guard let first = tensors.first else {
            throw .invalidArgument(operation: "stack", message: "needs at least one tensor")
        }
        for tensor in tensors where tensor.shape != first.shape {
            throw .shapeMismatch(
                operation: "stack", shapes: [first.shape, tensor.shape],
                detail: "all tensors must have the same shape")
        }
        let position = try normalizedAxis(axis, rank: first.rank + 1, operation: "stack")
        var expanded: [Tensor] = []
        for tensor in tensors { expanded.append(try tensor.expandingShape(at: position)) }
        return try concatenate(expanded, alongAxis: position)
    }
}
