// Views that change only the layout (reshape, permute, transpose, squeeze, expand, broadcast),
// and `contiguous()`, which copies when a kernel needs dense rows. Each is a primitive with its
// own backward rule.

extension Tensor {
    /// The same elements in another shape; a view when the data is contiguous, a copy
    /// otherwise. One dimension may be -1 and is then inferred.
    ///
    /// ```swift
    /// let flat = try images.reshaped([-1, 784])
    /// ```
    public func reshaped(_ newShape: [Int]) throws(TensorError) -> Tensor {
        let shape = try resolvedShape(newShape)
        if shape == self.shape { return self }
        let source = isContiguous ? self : try contiguous()
        var result = source.detached.view(
            shape: shape, strides: contiguousStrides(for: shape), offset: source.offset)
        if Tensor.recordsGradient(self) {
            let inputShape = self.shape
            result.recordGradient("reshape", inputs: [self]) { gradient throws(TensorError) in
                [try gradient.reshaped(inputShape)]
            }
        }
        return result
    }

    /// `newShape` with a -1 replaced by the size that keeps the element count.
    private func resolvedShape(_ newShape: [Int]) throws(TensorError) -> [Int] {
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1 else {
            throw .invalidArgument(operation: "reshape", message: "only one dimension may be -1")
        }
        var shape = newShape
        if let axis = inferred.first {
            shape[axis] = 1
            let known = try checkedElementCount(of: shape, operation: "reshape")
            guard known > 0, elementCount % known == 0 else {
                throw .shapeMismatch(
                    operation: "reshape", shapes: [self.shape, newShape],
                    detail: "\(elementCount) elements cannot be arranged that way")
            }
            shape[axis] = elementCount / known
        }
        let count = try checkedElementCount(of: shape, operation: "reshape")
        guard count == elementCount else {
            throw .shapeMismatch(
                operation: "reshape", shapes: [self.shape, newShape],
                detail: "\(elementCount) elements cannot fill \(count)")
        }
        return shape
    }

    /// Flattens the axes from `startAxis` on into one (`[N, C, H, W]` → `[N, C·H·W]` by default).
    public func flattened(from startAxis: Int = 1) throws(TensorError) -> Tensor {
        if rank == 0 { return try reshaped([1]) }
        let start = try normalizedAxis(startAxis, rank: rank, operation: "flatten")
        return try reshaped(Array(shape[..<start]) + [shape[start...].reduce(1, *)])
    }

    /// A view with the axes reordered: axis `k` of the result is axis `axes[k]` of this tensor.
    ///
    /// ```swift
    /// let nhwc = try nchw.permuted([0, 2, 3, 1])
    /// ```
    public func permuted(_ axes: [Int]) throws(TensorError) -> Tensor {
        guard axes.count == rank else {
            throw .invalidArgument(
                operation: "permute", message: "\(axes) does not list each of the \(rank) axes once"
            )
        }
        let order = try axes.map { (axis) throws(TensorError) in
            try normalizedAxis(axis, rank: rank, operation: "permute")
        }
        guard Set(order).count == rank else {
            throw .invalidArgument(
                operation: "permute", message: "\(axes) does not list each of the \(rank) axes once"
            )
        }
        var result = detached.view(
            shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, offset: offset)
        if Tensor.recordsGradient(self) {
            var inverse = [Int](repeating: 0, count: rank)
            for (position, axis) in order.enumerated() { inverse[axis] = position }
            result.recordGradient("permute", inputs: [self]) { gradient throws(TensorError) in
                [try gradient.permuted(inverse)]
            }
        }
        return result
    }

    /// A view with the axes in reverse order (the matrix transpose for rank 2), like NumPy's `.T`.
    public func transposed() throws(TensorError) -> Tensor {
        try permuted(Array((0..<rank).reversed()))
    }

    /// A view with two axes swapped.
    ///
    /// ```swift
    /// let bt = try batch.transposed(-1, -2)   // transpose the matrices of a batch
    /// ```
    public func transposed(_ first: Int, _ second: Int) throws(TensorError) -> Tensor {
        let a = try normalizedAxis(first, rank: rank, operation: "transpose")
        let b = try normalizedAxis(second, rank: rank, operation: "transpose")
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permuted(order)
    }

    /// A view with a new axis of size 1 inserted at `axis` (`-1` appends one), like NumPy's
    /// `expand_dims` and PyTorch's `unsqueeze`.
    public func expandingShape(at axis: Int) throws(TensorError) -> Tensor {
        let position = try normalizedAxis(axis, rank: rank + 1, operation: "expandingShape")
        var newShape = shape
        newShape.insert(1, at: position)
        return try reshapedView(newShape, operation: "expandingShape")
    }

    /// A view without the given axes of size 1 (every axis of size 1 when `axes` is nil).
    public func squeezed(alongAxes axes: [Int]? = nil) throws(TensorError) -> Tensor {
        let removed: Set<Int>
        if let axes {
            removed = Set(try normalizedAxes(axes, rank: rank, operation: "squeeze"))
            for axis in removed where shape[axis] != 1 {
                throw .invalidArgument(
                    operation: "squeeze", message: "axis \(axis) of shape \(shape) is not of size 1"
                )
            }
        } else {
            removed = Set(shape.indices.filter { shape[$0] == 1 })
        }
        let newShape = shape.indices.filter { !removed.contains($0) }.map { shape[$0] }
        return try reshapedView(newShape, operation: "squeeze")
    }

    /// A view in `newShape` that differs only by axes of size 1 (never copies).
    private func reshapedView(_ newShape: [Int], operation: String) throws(TensorError) -> Tensor {
        var newStrides: [Int] = []
        var source = 0
        for size in newShape {
            while source < rank, shape[source] == 1, size != 1 { source += 1 }
            if size == 1, source < rank, shape[source] == 1 {
                newStrides.append(strides[source])
                source += 1
            } else if size == 1 {
                newStrides.append(1)
            } else {
                newStrides.append(strides[source])
                source += 1
            }
        }
        var result = detached.view(shape: newShape, strides: newStrides, offset: offset)
        if Tensor.recordsGradient(self) {
            let inputShape = shape
            result.recordGradient(operation, inputs: [self]) { gradient throws(TensorError) in
                [try gradient.reshaped(inputShape)]
            }
        }
        return result
    }

    /// A view of this tensor repeated (without copying) to `newShape` by NumPy's broadcasting
    /// rules, like PyTorch's `expand`.
    public func broadcast(to newShape: [Int]) throws(TensorError) -> Tensor {
        let target = try broadcastShape(shape, newShape, operation: "broadcast")
        guard target == newShape else {
            throw .shapeMismatch(
                operation: "broadcast", shapes: [shape, newShape],
                detail: "the tensor cannot be broadcast to the target shape")
        }
        if target == shape { return self }
        _ = try checkedElementCount(of: target, operation: "broadcast")
        var result = detached.view(
            shape: target, strides: broadcastStrides(to: target), offset: offset)
        if Tensor.recordsGradient(self) {
            let inputShape = shape
            result.recordGradient("broadcast", inputs: [self]) { gradient throws(TensorError) in
                [try gradient.summed(toShape: inputShape)]
            }
        }
        return result
    }

    /// This tensor's values in dense row-major storage: itself when already contiguous,
    /// otherwise a copy.
    public func contiguous() throws(TensorError) -> Tensor {
        if isContiguous { return self }
        var result = try Tensor(uninitializedShape: shape, dtype: dtype)
        Tensor.copyElements(from: self, to: result)
        if Tensor.recordsGradient(self) {
            result.recordGradient("contiguous", inputs: [self]) { gradient in [gradient] }
        }
        return result
    }

    /// Copies the elements of `source` into `target` (same shape and dtype; any layouts).
    static func copyElements(from source: Tensor, to target: Tensor) {
        switch source.dtype.byteSize {
        case 4: copyElements(UInt32.self, from: source, to: target)
        default: copyElements(UInt8.self, from: source, to: target)
        }
    }

    /// The copy for elements of `Word`'s size, through raw loads and stores (so the bound
    /// element type does not matter).
    private static func copyElements<Word>(
        _ word: Word.Type, from source: Tensor, to target: Tensor
    ) {
        let size = MemoryLayout<Word>.stride
        let from = UnsafeRawPointer(source.storage.base) + source.offset * size
        let to = target.storage.base + target.offset * size
        let layout = ElementwiseLayout(
            shape: source.shape, strides: [target.strides, source.strides])
        let targetStride = layout.innerStride(0) * size
        let sourceStride = layout.innerStride(1) * size
        layout.run { offsets, count in
            let out = to + offsets[0] * size
            let input = from + offsets[1] * size
            if targetStride == size, sourceStride == size {
                out.copyMemory(from: input, byteCount: count * size)
            } else {
                for index in 0..<count {
                    let value = input.load(fromByteOffset: index &* sourceStride, as: word)
                    out.storeBytes(of: value, toByteOffset: index &* targetStride, as: word)
                }
            }
        }
    }
}
