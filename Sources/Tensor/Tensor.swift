// Tensor: n-dimensional arrays, their operations and reverse-mode autodiff.
//
// Design note. A `Tensor` is a value: shape, strides and an offset over a reference-counted,
// copy-on-write `TensorStorage` (a 64-byte aligned buffer from a size-bucketed pool, counted
// against a `MemoryBudget` before it is allocated). Views — reshape of contiguous data, transpose,
// permute, slices, expand/squeeze, broadcast — share storage; `contiguous()` copies when a kernel
// needs dense rows. Float32 carries every trainable value; Int32, UInt8 and Int8 hold labels,
// images and quantized weights compactly (`DType`).
//
// Kernels are generic over small kernel structs so the optimizer specializes each loop; they run
// over contiguous rows of a collapsed layout (`ElementwiseLayout`), split across cores when large
// (`Parallelism`). Every matrix product goes through `cblas_sgemm` with transposes passed as flags.
//
// Autodiff is reverse mode on a define-by-run graph (as in micrograd and PyTorch): a tensor that
// requires a gradient carries a `GradientNode` recording its inputs and one backward rule;
// `gradients(at:)` runs the rules in reverse topological order, summing contributions when a
// tensor is used twice. Only primitive ops have rules; composite ops inherit them. Nothing is
// recorded when no input requires a gradient or inside `withoutGradient { }`, so inference pays
// no tape cost. Every rule is checked against central finite differences in the tests.
//
// Errors (shape mismatch, bad axis, out-of-range index, dtype, memory budget) are thrown as
// `TensorError`, never trapped.

/// An n-dimensional array of `Float` (or, for data and quantization, `Int32`, `UInt8`, `Int8`),
/// row-major, with views that share storage and reverse-mode autodiff.
///
/// ```swift
/// let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
/// let y = try (x * 2 + 1).relu().sum(alongAxes: [1])   // [9, 27]
/// ```
public struct Tensor: @unchecked Sendable {
    /// The size of each dimension, outermost first.
    public internal(set) var shape: [Int]
    /// How many elements to step in storage to move by one along each dimension.
    public internal(set) var strides: [Int]
    /// The element type.
    public let dtype: DType
    /// Where element [0, 0, …] lives in `storage`, in elements.
    var offset: Int
    /// The buffer, shared with views.
    var storage: TensorStorage
    /// The autodiff record; non-nil exactly when the tensor requires a gradient.
    var gradientNode: GradientNode?

    /// A tensor over `storage` with the given layout (no copy, no gradient).
    init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int, dtype: DType) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        self.gradientNode = nil
    }

    /// A new contiguous tensor whose elements are not initialised yet.
    init(uninitializedShape shape: [Int], dtype: DType, operation: String = "allocate")
        throws(TensorError)
    {
        let count = try checkedElementCount(of: shape, operation: operation)
        let storage =
            count * dtype.byteSize <= BufferPool.minimumSize
            ? TensorStorage(tinyCount: count, dtype: dtype)
            : try TensorStorage(count: count, dtype: dtype)
        self.init(
            storage: storage, shape: shape, strides: contiguousStrides(for: shape), offset: 0,
            dtype: dtype)
    }
}

// MARK: - Shape facts

extension Tensor {
    /// The number of dimensions (0 for a scalar).
    public var rank: Int { shape.count }

    /// The number of elements (the product of the shape; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, &*) }

    /// Whether the elements are laid out densely in row-major order (so a kernel can walk them
    /// as one flat run).
    public var isContiguous: Bool {
        var expected = 1
        for axis in shape.indices.reversed() where shape[axis] != 1 {
            guard strides[axis] == expected else { return false }
            expected &*= shape[axis]
        }
        return true
    }

    /// Whether this tensor takes part in autodiff (it is a gradient leaf or computed from one).
    public var requiresGradient: Bool { gradientNode != nil }

    /// The same values, cut off from autodiff: no gradient flows through the result.
    public var detached: Tensor {
        var copy = self
        copy.gradientNode = nil
        return copy
    }

    /// Throws `dtypeMismatch` unless this is a Float32 tensor.
    func requireFloat(_ operation: String) throws(TensorError) {
        guard dtype == .float32 else {
            throw .dtypeMismatch(operation: operation, expected: "float32", actual: dtype)
        }
    }

    /// A view of the same storage with another layout (no gradient).
    func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }
}

// MARK: - Raw element access for kernels

extension Tensor {
    /// Pointer to element [0, 0, …] as `Scalar` (which must match `dtype`).
    @inline(__always)
    func pointer<Scalar>(_ type: Scalar.Type) -> UnsafeMutablePointer<Scalar> {
        storage.elements(type) + offset
    }

    /// Pointer to element [0, 0, …] of a Float32 tensor.
    @inline(__always)
    var floats: UnsafeMutablePointer<Float> { storage.elements(Float.self) + offset }
}
