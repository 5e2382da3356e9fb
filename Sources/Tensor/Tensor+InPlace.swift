import COpenBLAS

// In-place updates for optimizers: they write into the tensor's own storage (copying it first
// only if another tensor shares it) and record nothing on the tape.

extension Tensor {
    /// Makes the storage this tensor's alone and contiguous, so it can be written in place.
    mutating func makeUniqueAndContiguous() throws(TensorError) {
        if isKnownUniquelyReferenced(&storage), isContiguous { return }
        let copy = try Tensor(uninitializedShape: shape, dtype: dtype)
        Tensor.copyElements(from: self, to: copy)
        storage = copy.storage
        strides = copy.strides
        offset = 0
    }

    /// Runs `body` on this tensor's float elements, in place: the storage is made this
    /// tensor's alone and contiguous first (a copy only if it was shared or strided). `body`
    /// also receives the object that owns the memory, for code that must keep it alive beyond
    /// the call (an interrupted MPI allreduce may still write into it). No gradient is
    /// recorded.
    ///
    /// ```swift
    /// try gradient.withUnsafeMutableFloats { values, owner in
    ///     try communicator.allReduce(values, owner: owner, op: .mean, interrupted: stop)
    /// }
    /// ```
    public mutating func withUnsafeMutableFloats<Result>(
        _ body: (UnsafeMutableBufferPointer<Float>, _ owner: AnyObject) throws -> Result
    ) throws -> Result {
        try requireFloat("withUnsafeMutableFloats")
        try makeUniqueAndContiguous()
        return try body(UnsafeMutableBufferPointer(start: floats, count: elementCount), storage)
    }

    /// A new contiguous float tensor of this shape whose elements `body` writes (every one:
    /// the memory starts uninitialised), given this tensor's elements to read — in place when
    /// contiguous, else from a contiguous copy — and one object that owns both memories, for
    /// code that must keep them alive beyond the call (an interrupted MPI allreduce may still
    /// read and write them). This tensor is never written: values that share its storage
    /// keep theirs. No gradient is recorded.
    ///
    /// ```swift
    /// let total = try local.mappingFloats { source, result, owner in
    ///     try communicator.allReduce(source, into: result, owner: owner, op: .sum, interrupted: stop)
    /// }
    /// ```
    public func mappingFloats(
        _ body: (
            _ source: UnsafeBufferPointer<Float>, _ result: UnsafeMutableBufferPointer<Float>,
            _ owner: AnyObject
        ) throws -> Void
    ) throws -> Tensor {
        try requireFloat("mappingFloats")
        let source = isContiguous ? self : try contiguous()
        let result = try Tensor(uninitializedShape: shape, dtype: .float32)
        try body(
            UnsafeBufferPointer(start: source.floats, count: elementCount),
            UnsafeMutableBufferPointer(start: result.floats, count: elementCount),
            StorageGroup([source.storage, result.storage]))
        return result
    }

    /// A new contiguous float tensor of shape `[n]`, n the elements of `parts` in all, whose
    /// elements `body` writes (every one: the memory starts uninitialised), given each part's
    /// elements to read — in place when contiguous, else from a contiguous copy — and one
    /// object that owns every memory, for code that must keep them alive beyond the call (an
    /// interrupted MPI allreduce may still use them). The parts are never written. No gradient
    /// is recorded.
    ///
    /// ```swift
    /// let means = try Tensor.gatheringFloats(of: gradients) { parts, result, owner in
    ///     try communicator.allReduce(agreedParts: parts, into: result, owner: owner, op: .mean,
    ///                                interrupted: stop)
    /// }
    /// ```
    public static func gatheringFloats(
        of parts: [Tensor],
        _ body: (
            _ parts: [UnsafeBufferPointer<Float>], _ result: UnsafeMutableBufferPointer<Float>,
            _ owner: AnyObject
        ) throws -> Void
    ) throws -> Tensor {
        var sources: [Tensor] = []
        sources.reserveCapacity(parts.count)
        var total = 0
        for part in parts {
            try part.requireFloat("gatheringFloats")
            sources.append(part.isContiguous ? part : try part.contiguous())
            total += part.elementCount
        }
        let result = try Tensor(uninitializedShape: [total], dtype: .float32)
        try body(
            sources.map { UnsafeBufferPointer(start: $0.floats, count: $0.elementCount) },
            UnsafeMutableBufferPointer(start: result.floats, count: total),
            StorageGroup(sources.map(\.storage) + [result.storage]))
        return result
    }

    /// `self += scale × other` in place (BLAS `saxpy`); `other` broadcasts to this shape. No
    /// gradient is recorded.
    ///
    /// ```swift
    /// try weight.addScaled(gradient, by: -learningRate)   // plain SGD
    /// ```
    public mutating func addScaled(_ other: Tensor, by scale: Float) throws(TensorError) {
        try requireFloat("addScaled")
        try other.requireFloat("addScaled")
        try checkBroadcastable(other, operation: "addScaled")
        try makeUniqueAndContiguous()
        if other.shape == shape, other.isContiguous, let count = Int32(exactly: elementCount) {
            BLAS.startUp()
            cblas_saxpy(count, scale, other.floats, 1, floats, 1)
            return
        }
        updateInPlace(with: other, AddScaledKernel(scale: scale))
    }

    /// `self *= scale` in place. No gradient is recorded.
    public mutating func scale(by scale: Float) throws(TensorError) {
        try requireFloat("scale")
        try makeUniqueAndContiguous()
        guard let count = Int32(exactly: elementCount) else {
            let target = floats
            for index in 0..<elementCount { target[index] *= scale }
            return
        }
        BLAS.startUp()
        cblas_sscal(count, scale, floats, 1)
    }

    /// Overwrites this tensor's values with `other`'s (of the same dtype, broadcast to this
    /// shape). No gradient is recorded.
    public mutating func assign(_ other: Tensor) throws(TensorError) {
        guard other.dtype == dtype else {
            throw .dtypeMismatch(operation: "assign", expected: "\(dtype)", actual: other.dtype)
        }
        try checkBroadcastable(other, operation: "assign")
        try makeUniqueAndContiguous()
        let source = other.shape == shape ? other : try other.detached.broadcast(to: shape)
        Tensor.copyElements(from: source, to: self)
    }

    /// Throws unless `other` broadcasts to exactly this tensor's shape.
    func checkBroadcastable(_ other: Tensor, operation: String) throws(TensorError) {
        let target = try broadcastShape(shape, other.shape, operation: operation)
        guard target == shape else {
            throw .shapeMismatch(
                operation: operation, shapes: [shape, other.shape],
                detail: "the update must broadcast to the updated tensor's shape")
        }
    }

    /// `self[i] = kernel(self[i], other[i])` for every element, `other` broadcast to this
    /// shape; the storage must already be unique and contiguous.
    func updateInPlace<Kernel: BinaryFloatKernel>(with other: Tensor, _ kernel: Kernel) {
        let target = floats
        let source = other.floats
        let layout = ElementwiseLayout(
            shape: shape, strides: [strides, other.broadcastStrides(to: shape)])
        let sourceStride = layout.innerStride(1)
        layout.run { offsets, count in
            let out = target + offsets[0]
            let y = source + offsets[1]
            if sourceStride == 1 {
                for index in 0..<count { out[index] = kernel(out[index], y[index]) }
            } else {
                for index in 0..<count {
                    out[index] = kernel(out[index], y[index &* sourceStride])
                }
            }
        }
    }

    /// `self[i] = kernel(self[i], first[i], second[i])`, the operands broadcast to this shape;
    /// the storage must already be unique and contiguous.
    func updateInPlace<Kernel: TernaryFloatKernel>(
        with first: Tensor, _ second: Tensor, _ kernel: Kernel
    ) {
        let target = floats
        let (x, y) = (first.floats, second.floats)
        let layout = ElementwiseLayout(
            shape: shape,
            strides: [
                strides, first.broadcastStrides(to: shape), second.broadcastStrides(to: shape),
            ])
        let steps = (layout.innerStride(1), layout.innerStride(2))
        layout.run { offsets, count in
            let out = target + offsets[0]
            let a = x + offsets[1]
            let b = y + offsets[2]
            if steps == (1, 1) {
                for index in 0..<count { out[index] = kernel(out[index], a[index], b[index]) }
            } else {
                for index in 0..<count {
                    out[index] = kernel(out[index], a[index &* steps.0], b[index &* steps.1])
                }
            }
        }
    }
}

/// The owner `mappingFloats` and `gatheringFloats` hand out: keeps the storages alive as long as
/// it lives.
private final class StorageGroup {
    let storages: [TensorStorage]

    init(_ storages: [TensorStorage]) { self.storages = storages }
}
