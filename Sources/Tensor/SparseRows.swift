/// A matrix in compressed sparse row (CSR) form: the stored entries row by row, their column
/// indices, and where each row starts. What a pruned weight becomes for the sparse × dense
/// product (`Tensor.sparseLinear`) and for sparse files (Compress's `CSRMatrix`).
///
/// ```swift
/// let rows = SparseRows(weight.scalars, rows: 128, columns: 784) { $0 != 0 }
/// rows.density                          // the share of stored entries
/// ```
public struct SparseRows: Sendable, Equatable {
    /// The number of rows.
    public let rowCount: Int
    /// The number of columns.
    public let columnCount: Int
    /// The stored entries, row by row, columns ascending.
    public let values: [Float]
    /// The column of each stored entry.
    public let columnIndices: [Int32]
    /// Where each row's entries start in `values`, plus the total at the end.
    public let rowPointers: [Int32]

    /// The entries of the row-major matrix `scalars` (`rows × columns`) at which `keep` (given
    /// the flat index) is true. Matrices of Int32.max entries or more are not representable.
    public init(
        _ scalars: [Float], rows: Int, columns: Int, keep: (Int) -> Bool
    ) {
        var values: [Float] = []
        var columnIndices: [Int32] = []
        var rowPointers: [Int32] = [0]
        rowPointers.reserveCapacity(rows + 1)
        for row in 0..<rows {
            for column in 0..<columns where keep(row * columns + column) {
                values.append(scalars[row * columns + column])
                columnIndices.append(Int32(truncatingIfNeeded: column))
            }
            rowPointers.append(Int32(truncatingIfNeeded: values.count))
        }
        self.init(
            rowCount: rows, columnCount: columns, values: values, columnIndices: columnIndices,
            rowPointers: rowPointers)
    }

    /// A matrix from its three arrays, which the caller has checked (pointers non-decreasing
    /// from 0 to `values.count`, every column index in range).
    public init(
        rowCount: Int, columnCount: Int, values: [Float], columnIndices: [Int32],
        rowPointers: [Int32]
    ) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
        self.columnIndices = columnIndices
        self.rowPointers = rowPointers
    }

    /// The share of entries stored, in 0...1.
    public var density: Double {
        let size = rowCount * columnCount
        return size > 0 ? Double(values.count) / Double(size) : 0
    }
}

extension Tensor {
    /// `input · Wᵀ + bias` for a weight `W` held as sparse rows, without autodiff: the product
    /// a pruned Dense layer uses for inference when it is faster than the dense one (see
    /// `SparseProductRule`). Equal to `linear(input, weight: W, bias:)` up to the order of
    /// the float additions.
    ///
    /// One input row multiplies each weight row's stored entries (a sparse dot product); a
    /// batch is first transposed to `[in, batch]`, so each stored entry scales one contiguous
    /// column of the batch (a vectorized axpy).
    ///
    /// - Parameters:
    ///   - input: `[batch, in]` Float32.
    ///   - weight: `[out, in]` sparse rows.
    ///   - bias: `[out]`, or nil.
    ///   - activation: Applied in place to the result.
    public static func sparseLinear(
        _ input: Tensor, weight: SparseRows, bias: Tensor? = nil,
        activation: FusedActivation = .identity
    ) throws(TensorError) -> Tensor {
        try input.requireFloat("sparseLinear")
        guard input.rank == 2, input.shape[1] == weight.columnCount else {
            throw .shapeMismatch(
                operation: "sparseLinear",
                shapes: [input.shape, [weight.rowCount, weight.columnCount]],
                detail: "input must be [batch, \(weight.columnCount)]")
        }
        let biasValues = try bias.map { bias throws(TensorError) -> [Float] in
            guard bias.shape == [weight.rowCount] else {
                throw .shapeMismatch(
                    operation: "sparseLinear", shapes: [bias.shape],
                    detail: "bias must have shape [\(weight.rowCount)]")
            }
            return bias.scalars
        }
        let (batch, features, outputs) = (input.shape[0], input.shape[1], weight.rowCount)
        let result = try Tensor(uninitializedShape: [batch, outputs], dtype: .float32)
        let target = result.floats
        let dense = try input.contiguous()
        withExtendedLifetime(dense) {
            let x = UnsafePointer(dense.floats)
            weight.values.withUnsafeBufferPointer { values in
                weight.columnIndices.withUnsafeBufferPointer { columns in
                    weight.rowPointers.withUnsafeBufferPointer { pointers in
                        if batch == 1 {
                            sparseRowsTimesVector(
                                values, columns, pointers, x: x, outputs: outputs, bias: biasValues,
                                into: target)
                        } else {
                            sparseRowsTimesBatch(
                                values, columns, pointers, x: x, batch: batch, features: features,
                                outputs: outputs, bias: biasValues, into: target)
                        }
                    }
                }
            }
        }
        activation.apply(inPlace: result)
        return result
    }
}

/// y[r] = b[r] + Σ values[e]·x[columns[e]] over row r's entries.
private func sparseRowsTimesVector(
    _ values: UnsafeBufferPointer<Float>, _ columns: UnsafeBufferPointer<Int32>,
    _ pointers: UnsafeBufferPointer<Int32>, x: UnsafePointer<Float>, outputs: Int,
    bias: [Float]?, into target: UnsafeMutablePointer<Float>
) {
    for row in 0..<outputs {
        var sum: Float = bias?[row] ?? 0
        for entry in Int(pointers[row])..<Int(pointers[row + 1]) {
            sum += values[entry] * x[Int(columns[entry])]
        }
        target[row] = sum
    }
}

/// Y = X·Wᵀ + b for a batch: X is transposed to [features, batch] so that each stored entry
/// adds a scaled contiguous column into the row's accumulator.
private func sparseRowsTimesBatch(
    _ values: UnsafeBufferPointer<Float>, _ columns: UnsafeBufferPointer<Int32>,
    _ pointers: UnsafeBufferPointer<Int32>, x: UnsafePointer<Float>, batch: Int, features: Int,
    outputs: Int, bias: [Float]?, into target: UnsafeMutablePointer<Float>
) {
    let transposed = UnsafeMutablePointer<Float>.allocate(capacity: features * batch)
    let accumulator = UnsafeMutablePointer<Float>.allocate(capacity: batch)
    defer {
        transposed.deallocate()
        accumulator.deallocate()
    }
    for sample in 0..<batch {
        let row = x + sample * features
        for feature in 0..<features { transposed[feature * batch + sample] = row[feature] }
    }
    for output in 0..<outputs {
        accumulator.update(repeating: bias?[output] ?? 0, count: batch)
        for entry in Int(pointers[output])..<Int(pointers[output + 1]) {
            let scale = values[entry]
            let column = UnsafePointer(transposed + Int(columns[entry]) * batch)
            for sample in 0..<batch { accumulator[sample] += scale * column[sample] }
        }
        for sample in 0..<batch { target[sample * outputs + output] = accumulator[sample] }
    }
}
