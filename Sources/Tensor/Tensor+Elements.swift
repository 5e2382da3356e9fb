// Reading elements out of a tensor into Swift values.

extension Tensor {
    /// Every element in row-major order, converted to Float.
    ///
    /// ```swift
    /// try Tensor([1, 2, 3, 4], shape: [2, 2]).transposed().scalars   // [1, 3, 2, 4]
    /// ```
    public var scalars: [Float] {
        switch dtype {
        case .float32: return elements(Float.self)
        case .int32: return elements(Int32.self).map(Float.init)
        case .uint8: return elements(UInt8.self).map(Float.init)
        case .int8: return elements(Int8.self).map(Float.init)
        }
    }

    /// Every element in row-major order as `Scalar`, which must match the dtype.
    ///
    /// ```swift
    /// let labels: [Int32] = try predictions.argmax(alongAxis: 1).scalars(as: Int32.self)
    /// ```
    public func scalars<Scalar: TensorScalar>(as type: Scalar.Type) throws(TensorError)
        -> [Scalar]
    {
        guard dtype == Scalar.dtype else {
            throw .dtypeMismatch(
                operation: "scalars(as:)", expected: "\(Scalar.dtype)", actual: dtype)
        }
        return elements(type)
    }

    /// The only element of a one-element tensor (a loss, a scalar), as a Float.
    ///
    /// ```swift
    /// let value = try loss.scalarized()
    /// ```
    public func scalarized() throws(TensorError) -> Float {
        guard elementCount == 1 else {
            throw .invalidArgument(
                operation: "scalarized",
                message: "a tensor of shape \(shape) has \(elementCount) elements, not one")
        }
        return scalars[0]
    }

    /// The elements in row-major order, read with this tensor's strides.
    private func elements<Scalar>(_ type: Scalar.Type) -> [Scalar] {
        let count = elementCount
        guard count > 0 else { return [] }
        let base = pointer(type)
        if isContiguous {
            return Array(UnsafeBufferPointer(start: base, count: count))
        }
        var result: [Scalar] = []
        result.reserveCapacity(count)
        let layout = ElementwiseLayout(shape: shape, strides: [strides])
        let step = layout.innerStride(0)
        layout.run(parallel: false) { offsets, runLength in
            let start = base + offsets[0]
            for index in 0..<runLength { result.append(start[index &* step]) }
        }
        return result
    }
}
