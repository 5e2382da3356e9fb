import COpenBLAS

// Matrix products through cblas_sgemm. A transposed operand (a view with swapped strides) is
// passed to BLAS as a transpose flag, never copied; batched products broadcast their batch
// dimensions like NumPy's `matmul`.

extension Tensor {
    /// The matrix product, with NumPy's rules: `[m, k] × [k, n] → [m, n]`; leading batch
    /// dimensions broadcast (`[b, m, k] × [k, n] → [b, m, n]`); a 1-D operand is a vector
    /// (`[k] × [k, n] → [n]`).
    ///
    /// ```swift
    /// let hidden = try x.matmul(weight.transposed())   // [128, 784] × [784, 128]
    /// ```
    public func matmul(_ other: Tensor) throws(TensorError) -> Tensor {
        guard rank >= 1, other.rank >= 1 else {
            throw .shapeMismatch(
                operation: "matmul", shapes: [shape, other.shape],
                detail: "both operands need at least one dimension")
        }
        if rank == 1 {
            return try expandingShape(at: 0).matmul(other).squeezed(alongAxes: [-2])
        }
        if other.rank == 1 {
            return try matmul(other.expandingShape(at: 1)).squeezed(alongAxes: [-1])
        }
        return try Tensor.batchedMatmul(self, other)
    }

    /// The product of operands of rank 2 or more, with its backward rule.
    private static func batchedMatmul(_ lhs: Tensor, _ rhs: Tensor) throws(TensorError) -> Tensor {
        var result = try matmulForward(lhs, rhs)
        if recordsGradient(lhs, rhs) {
            let (left, right) = (lhs.detached, rhs.detached)
            let (needsLeft, needsRight) = (lhs.requiresGradient, rhs.requiresGradient)
            result.recordGradient("matmul", inputs: [lhs, rhs]) { gradient throws(TensorError) in
                [
                    needsLeft
                        ? try matmulForward(gradient, right.transposed(-1, -2))
                            .summed(toShape: left.shape) : nil,
                    needsRight
                        ? try matmulForward(left.transposed(-1, -2), gradient)
                            .summed(toShape: right.shape) : nil,
                ]
            }
        }
        return result
    }

    /// The product of operands of rank ≥ 2, without autodiff.
    static func matmulForward(_ lhs: Tensor, _ rhs: Tensor) throws(TensorError) -> Tensor {
        try lhs.requireFloat("matmul")
        try rhs.requireFloat("matmul")
        let (m, k) = (lhs.shape[lhs.rank - 2], lhs.shape[lhs.rank - 1])
        let (k2, n) = (rhs.shape[rhs.rank - 2], rhs.shape[rhs.rank - 1])
        guard k == k2 else {
            throw .shapeMismatch(
                operation: "matmul", shapes: [lhs.shape, rhs.shape],
                detail: "inner dimensions \(k) and \(k2) differ")
        }
        let batchShape = try broadcastShape(
            Array(lhs.shape.dropLast(2)), Array(rhs.shape.dropLast(2)), operation: "matmul")
        let result = try Tensor(uninitializedShape: batchShape + [m, n], dtype: .float32)
        guard m > 0, n > 0 else { return result }
        guard k > 0 else {
            result.floats.update(repeating: 0, count: result.elementCount)
            return result
        }
        let left = try BLASOperand(lhs)
        let right = try BLASOperand(rhs)
        _ = try blasDimensions([m, n, k], operation: "matmul")
        let batchRank = batchShape.count
        let leftBatch = broadcastStrides(
            shape: lhs.shape.dropLast(2), strides: left.strides.dropLast(2), to: batchShape)
        let rightBatch = broadcastStrides(
            shape: rhs.shape.dropLast(2), strides: right.strides.dropLast(2), to: batchShape)
        let layout = ElementwiseLayout(
            shape: batchRank == 0 ? [1] : batchShape,
            strides: batchRank == 0
                ? [[0], [0], [0]]
                : [Array(result.strides.dropLast(2)), leftBatch, rightBatch])
        let steps = (layout.innerStride(0), layout.innerStride(1), layout.innerStride(2))
        let target = result.floats
        // Zeroed here (a vectorized memset) and accumulated into with beta = 1: with beta = 0,
        // OpenBLAS 0.3.21 first clears the output with one scalar store per element
        // (sgemm_beta), which cost 4 % of an MLP epoch for its 128 × 784 weight gradient.
        target.update(repeating: 0, count: result.elementCount)
        let threads = Parallelism.threadCount
        // A long product runs in tiles and a batch product by product, so an interrupt is seen
        // between them (`Interruption`).
        var stopped: TensorError?
        layout.run(parallel: false) { offsets, count in
            for index in 0..<count where stopped == nil {
                do throws(TensorError) {
                    try Interruption.check()
                    try MatrixProduct(
                        transposeA: left.isTransposed, transposeB: right.isTransposed, m: m,
                        n: n, k: k, a: left.base + offsets[1] + index * steps.1,
                        lda: Int(left.leadingDimension),
                        b: right.base + offsets[2] + index * steps.2,
                        ldb: Int(right.leadingDimension),
                        c: target + offsets[0] + index * steps.0, ldc: n, beta: 1
                    ).runInTiles(threads: threads)
                } catch {
                    stopped = error
                }
            }
        }
        if let stopped { throw stopped }
        return result
    }
}

/// `values` as BLAS integers, or an error if one does not fit.
func blasDimensions(_ values: [Int], operation: String) throws(TensorError) -> [Int32] {
    var result: [Int32] = []
    for value in values {
        guard let converted = Int32(exactly: value) else {
            throw .invalidArgument(
                operation: operation, message: "dimension \(value) is too large for BLAS")
        }
        result.append(converted)
    }
    return result
}

/// How one operand of a product is handed to BLAS: its base pointer, whether its matrices are
/// read transposed, and their leading dimension. Batch strides are kept so batched products can
/// step through them.
struct BLASOperand {
    /// Element [0, 0, …] of the (possibly copied) operand.
    let base: UnsafeMutablePointer<Float>
    /// `CblasNoTrans` for row-major matrices, `CblasTrans` for column-major (transposed) views.
    let transpose: CBLAS_TRANSPOSE
    /// Whether BLAS reads the matrices transposed.
    var isTransposed: Bool { transpose == CblasTrans }
    /// The leading dimension BLAS needs.
    let leadingDimension: Int32
    /// The strides of the operand actually used (the copy's when one was needed).
    let strides: [Int]
    /// Keeps a copy alive while BLAS reads it.
    private let owner: Tensor

    /// Prepares `tensor` (rank ≥ 2): as it is when its matrices are row- or column-major with
    /// a leading dimension BLAS accepts, else a contiguous copy.
    init(_ tensor: Tensor) throws(TensorError) {
        let rows = tensor.shape[tensor.rank - 2]
        let columns = tensor.shape[tensor.rank - 1]
        let rowStride = tensor.strides[tensor.rank - 2]
        let columnStride = tensor.strides[tensor.rank - 1]
        var owner = tensor
        var transpose = CblasNoTrans
        var leading = rowStride
        if (columns <= 1 || columnStride == 1) && (rows <= 1 || rowStride >= columns) {
            leading = rows <= 1 ? max(columns, 1) : rowStride
        } else if (rows <= 1 || rowStride == 1) && (columns <= 1 || columnStride >= rows) {
            transpose = CblasTrans
            leading = columns <= 1 ? max(rows, 1) : columnStride
        } else {
            owner = try tensor.detached.contiguous()
            leading = max(columns, 1)
        }
        guard let leadingDimension = Int32(exactly: leading) else {
            throw .invalidArgument(operation: "matmul", message: "matrix too large for BLAS")
        }
        self.owner = owner
        self.base = owner.floats
        self.transpose = transpose
        self.leadingDimension = leadingDimension
        self.strides = owner.strides
    }
}
