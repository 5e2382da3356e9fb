// Raw element access for kernels that live outside this module (the int8 products and
// requantization loops of Compress): read a contiguous tensor's elements in place, or fill a
// new tensor's elements, without copying through arrays.

extension Tensor {
    /// Calls `body` with this tensor's elements in row-major order, in place when the tensor is
    /// contiguous, else from a contiguous copy.
    ///
    /// ```swift
    /// let total = try weight.withElements(of: Int8.self) { $0.reduce(0) { $0 + Int($1) } }
    /// ```
    ///
    /// - Throws: `TensorError.dtypeMismatch` when `Scalar` is not the tensor's dtype.
    public func withElements<Scalar: TensorScalar, Result>(
        of type: Scalar.Type, _ body: (UnsafeBufferPointer<Scalar>) throws -> Result
    ) throws -> Result {
        guard dtype == Scalar.dtype else {
            throw TensorError.dtypeMismatch(
                operation: "withElements", expected: "\(Scalar.dtype)", actual: dtype)
        }
        let source = isContiguous ? self : try contiguous()
        return try withExtendedLifetime(source.storage) {
            try body(
                UnsafeBufferPointer(
                    start: source.pointer(Scalar.self), count: source.elementCount))
        }
    }

    /// A new contiguous tensor of `shape` whose elements `body` writes (every one of them: the
    /// memory starts uninitialised).
    ///
    /// ```swift
    /// let codes = try Tensor.filled(shape: [2, 3], of: UInt8.self) { $0.update(repeating: 7) }
    /// ```
    public static func filled<Scalar: TensorScalar>(
        shape: [Int], of type: Scalar.Type,
        _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> Void
    ) throws -> Tensor {
        let result = try Tensor(uninitializedShape: shape, dtype: Scalar.dtype)
        try withExtendedLifetime(result.storage) {
            try body(
                UnsafeMutableBufferPointer(
                    start: result.pointer(Scalar.self), count: result.elementCount))
        }
        return result
    }
}
