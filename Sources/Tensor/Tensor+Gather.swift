// Gathering by index tensors and building one-hot encodings. `gather` is a primitive whose
// backward rule adds each gradient row back at the position it was taken from.

extension Tensor {
    /// The slices at `indices` along `axis`, like NumPy's `take` and TensorFlow's `gather`: the
    /// result's shape is `shape[..<axis] + indices.shape + shape[(axis + 1)...]`. Indices are
    /// int32 (or integral float32); negative ones count from the end.
    ///
    /// ```swift
    /// let batch = try images.gather(Tensor([4, 0, 7] as [Int32], shape: [3]), alongAxis: 0)
    /// let embedded = try table.gather(tokenIDs, alongAxis: 0)   // [V, D] → [..., D]
    /// ```
    public func gather(_ indices: Tensor, alongAxis axis: Int = 0) throws(TensorError) -> Tensor {
        let axis = try normalizedAxis(axis, rank: rank, operation: "gather")
        let positions = try Tensor.positions(indices, size: shape[axis], axis: axis, "gather")
        let source = try contiguous().detached
        let outerCount = shape[..<axis].reduce(1, *)
        let innerCount = shape[(axis + 1)...].reduce(1, *)
        let resultShape = Array(shape[..<axis]) + indices.shape + Array(shape[(axis + 1)...])
        var result = try Tensor(uninitializedShape: resultShape, dtype: dtype, operation: "gather")
        let size = dtype.byteSize
        let from = UnsafeRawPointer(source.storage.base) + source.offset * size
        let to = result.storage.base
        let rowBytes = innerCount * size
        for outer in 0..<outerCount {
            for (slot, position) in positions.enumerated() {
                (to + (outer * positions.count + slot) * rowBytes).copyMemory(
                    from: from + (outer * shape[axis] + position) * rowBytes, byteCount: rowBytes)
            }
        }
        if Tensor.recordsGradient(self) {
            let inputShape = shape
            result.recordGradient("gather", inputs: [self]) { gradient throws(TensorError) in
                let full = try Tensor.zeros(inputShape)
                let values = try gradient.contiguous()
                let target = full.floats
                let source = values.floats
                for outer in 0..<outerCount {
                    for (slot, position) in positions.enumerated() {
                        let out = target + (outer * inputShape[axis] + position) * innerCount
                        let row = source + (outer * positions.count + slot) * innerCount
                        for index in 0..<innerCount { out[index] += row[index] }
                    }
                }
                return [full]
            }
        }
        return result
    }

    /// One-hot rows for integer class labels: a float32 tensor of shape `labels.shape +
    /// [classCount]` with 1 at each label's position.
    ///
    /// ```swift
    /// try Tensor.oneHot(Tensor([2, 0] as [Int32], shape: [2]), classCount: 3)
    /// // [[0, 0, 1], [1, 0, 0]]
    /// ```
    public static func oneHot(_ labels: Tensor, classCount: Int) throws(TensorError) -> Tensor {
        guard classCount > 0 else {
            throw .invalidArgument(operation: "oneHot", message: "classCount must be positive")
        }
        let positions = try Tensor.positions(labels, size: classCount, axis: labels.rank, "oneHot")
        let result = try Tensor.zeros(labels.shape + [classCount])
        let target = result.floats
        for (row, position) in positions.enumerated() { target[row * classCount + position] = 1 }
        return result
    }

    /// The integer positions in `indices`, checked against `size` (negative ones count from the
    /// end), in row-major order.
    static func positions(
        _ indices: Tensor, size: Int, axis: Int, _ operation: String
    ) throws(TensorError) -> [Int] {
        let raw: [Int]
        switch indices.dtype {
        case .int32: raw = try indices.scalars(as: Int32.self).map { Int($0) }
        case .uint8: raw = try indices.scalars(as: UInt8.self).map { Int($0) }
        case .int8: raw = try indices.scalars(as: Int8.self).map { Int($0) }
        case .float32:
            var converted: [Int] = []
            for value in indices.scalars {
                guard value.rounded() == value, let exact = Int(exactly: value) else {
                    throw .invalidArgument(
                        operation: operation, message: "index \(value) is not an integer")
                }
                converted.append(exact)
            }
            raw = converted
        }
        var positions: [Int] = []
        positions.reserveCapacity(raw.count)
        for index in raw {
            let position = index < 0 ? index + size : index
            guard position >= 0, position < size else {
                throw .indexOutOfRange(operation: operation, index: index, axis: axis, size: size)
            }
            positions.append(position)
        }
        return positions
    }
}
