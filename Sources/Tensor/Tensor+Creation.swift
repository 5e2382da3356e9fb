// Making tensors: from Swift arrays and scalars, filled with a constant, ranges.

extension Tensor {
    /// A Float32 tensor of `shape` holding `scalars` in row-major order.
    ///
    /// ```swift
    /// let m = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    /// ```
    /// - Throws: `invalidArgument` if the count does not match the shape.
    public init(_ scalars: [Float], shape: [Int]) throws(TensorError) {
        try self.init(copying: scalars, shape: shape)
    }

    /// A Float32 tensor of `shape` whose elements `initializer` writes straight into the new
    /// storage, with no intermediate array (a data loader's batches, for example).
    ///
    /// `initializer` must set every element of the buffer it is given (row-major,
    /// `shape`'s element count long); elements it leaves unset hold arbitrary values.
    ///
    /// ```swift
    /// let ramp = try Tensor(unsafeUninitializedShape: [2, 3]) { values in
    ///     for index in values.indices { values[index] = Float(index) }
    /// }
    /// ```
    /// - Throws: `invalidArgument` for a negative dimension; `allocationBeyondBudget` if the
    ///   memory budget refuses the tensor.
    public init(
        unsafeUninitializedShape shape: [Int],
        initializingWith initializer: (UnsafeMutableBufferPointer<Float>) -> Void
    ) throws(TensorError) {
        try self.init(
            uninitializedShape: shape, dtype: .float32,
            operation: "Tensor(unsafeUninitializedShape:)")
        initializer(UnsafeMutableBufferPointer(start: floats, count: elementCount))
    }

    /// A one-dimensional Float32 tensor holding `scalars`.
    public init(_ scalars: [Float]) throws(TensorError) {
        try self.init(copying: scalars, shape: [scalars.count])
    }

    /// A tensor of `shape` holding `scalars` in row-major order; its dtype follows the element
    /// type (`[Int32]` gives an int32 tensor, `[UInt8]` a uint8 one).
    ///
    /// ```swift
    /// let labels = try Tensor([3, 1, 4] as [Int32], shape: [3])
    /// ```
    public init<Scalar: TensorScalar>(_ scalars: [Scalar], shape: [Int]) throws(TensorError) {
        try self.init(copying: scalars, shape: shape)
    }

    private init<Scalar: TensorScalar>(copying scalars: [Scalar], shape: [Int])
        throws(TensorError)
    {
        let count = try checkedElementCount(of: shape, operation: "Tensor(shape:)")
        guard count == scalars.count else {
            throw .invalidArgument(
                operation: "Tensor(shape:)",
                message: "\(scalars.count) values cannot fill shape \(shape) "
                    + "(\(count) elements)")
        }
        self = try Tensor(uninitializedShape: shape, dtype: Scalar.dtype)
        let target = pointer(Scalar.self)
        scalars.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            target.update(from: base, count: count)
        }
    }

    /// A Float32 scalar (rank 0). Never fails: a scalar is not counted against the budget.
    ///
    /// ```swift
    /// let two = Tensor(2)
    /// ```
    public init(_ value: Float) {
        let storage = TensorStorage(tinyCount: 1, dtype: .float32)
        storage.elements(Float.self).initialize(to: value)
        self.init(storage: storage, shape: [], strides: [], offset: 0, dtype: .float32)
    }

    /// A tensor of `shape` with every element equal to `value` (converted to `dtype`).
    public static func full(_ shape: [Int], value: Float, dtype: DType = .float32)
        throws(TensorError) -> Tensor
    {
        let result = try Tensor(uninitializedShape: shape, dtype: dtype, operation: "full")
        let count = result.elementCount
        switch dtype {
        case .float32: result.pointer(Float.self).update(repeating: value, count: count)
        case .int32:
            result.pointer(Int32.self).update(repeating: Int32(clamping: value), count: count)
        case .uint8:
            result.pointer(UInt8.self).update(repeating: UInt8(clamping: value), count: count)
        case .int8:
            result.pointer(Int8.self).update(repeating: Int8(clamping: value), count: count)
        }
        return result
    }

    /// A tensor of `shape` filled with zeros.
    ///
    /// ```swift
    /// let bias = try Tensor.zeros([128])
    /// ```
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws(TensorError)
        -> Tensor
    {
        let result = try Tensor(uninitializedShape: shape, dtype: dtype, operation: "zeros")
        result.storage.base.initializeMemory(
            as: UInt8.self, repeating: 0, count: result.elementCount * dtype.byteSize)
        return result
    }

    /// A tensor of `shape` filled with ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32) throws(TensorError)
        -> Tensor
    {
        try full(shape, value: 1, dtype: dtype)
    }

    /// Zeros of the same shape and dtype as `other`.
    public static func zeros(like other: Tensor) throws(TensorError) -> Tensor {
        try zeros(other.shape, dtype: other.dtype)
    }

    /// Ones of the same shape and dtype as `other`.
    public static func ones(like other: Tensor) throws(TensorError) -> Tensor {
        try ones(other.shape, dtype: other.dtype)
    }

    /// The Float32 values `start, start + step, …` up to but excluding `end`, as NumPy's
    /// `arange`.
    ///
    /// ```swift
    /// try Tensor.arange(0, 1, step: 0.25)   // [0, 0.25, 0.5, 0.75]
    /// ```
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) throws(TensorError)
        -> Tensor
    {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw .invalidArgument(
                operation: "arange", message: "start, end and step must be finite, step non-zero")
        }
        let span = ((end - start) / step).rounded(.up)
        guard span.isFinite, span < Float(Int32.max) else {
            throw .invalidArgument(operation: "arange", message: "too many elements")
        }
        let count = Swift.max(0, Int(span))
        let result = try Tensor(uninitializedShape: [count], dtype: .float32, operation: "arange")
        let target = result.floats
        for index in 0..<count { target[index] = start + Float(index) * step }
        return result
    }

    /// The Float32 values `0, 1, …, count - 1`.
    public static func arange(_ count: Int) throws(TensorError) -> Tensor {
        guard count >= 0 else {
            throw .invalidArgument(operation: "arange", message: "count \(count) is negative")
        }
        let result = try Tensor(uninitializedShape: [count], dtype: .float32, operation: "arange")
        let target = result.floats
        for index in 0..<count { target[index] = Float(index) }
        return result
    }

    /// The `size × size` identity matrix.
    public static func eye(_ size: Int) throws(TensorError) -> Tensor {
        let result = try zeros([size, size])
        let target = result.floats
        for index in 0..<size { target[index * size + index] = 1 }
        return result
    }
}
