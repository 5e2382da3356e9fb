import Tensor

/// A pruned tensor in compressed sparse row (CSR) form: the entries that are not zero, row by
/// row, with their column indices, and where each row starts. A tensor of rank > 2 is stored as
/// the matrix `[shape[0], product of the rest]` (a Conv2D weight `[out, in, kh, kw]` becomes
/// `[out, in·kh·kw]`), and its shape is kept to restore it.
///
/// In safetensors it is four named tensors beside the dense ones (see
/// docs/sparse-safetensors.md), readable with NumPy and `scipy.sparse.csr_matrix`:
///
/// ```text
/// NAME.csr.values       F32 [nnz]          the stored entries, row-major order
/// NAME.csr.col_indices  I32 [nnz]          the column of each entry (or, up to 65,536
///                                          columns, NAME.csr.col_indices_u16: U8 [2·nnz],
///                                          each index as two little-endian bytes)
/// NAME.csr.row_ptr      I32 [rows + 1]     row r's entries are [row_ptr[r], row_ptr[r + 1])
/// NAME.csr.shape        I32 [rank]         the dense tensor's shape
/// ```
///
/// An entry is stored unless its bits are all zero, so −0.0 survives and the round trip is
/// bit-exact.
///
/// ```swift
/// let sparse = try CSRMatrix(weight)
/// sparse.storedCount                   // the non-zeros
/// try sparse.dense() == weight         // bit for bit
/// ```
public struct CSRMatrix: Sendable, Equatable {
    /// The dense tensor's shape.
    public let shape: [Int]
    /// The stored entries, row by row.
    public let values: [Float]
    /// The column of each stored entry.
    public let columnIndices: [Int32]
    /// Where each row's entries start in `values`, plus the total at the end.
    public let rowPointers: [Int32]

    /// The number of rows, `shape[0]`.
    public var rowCount: Int { shape.first ?? 0 }
    /// The number of columns, the product of the other dimensions.
    public var columnCount: Int { shape.dropFirst().reduce(1, *) }
    /// The number of stored (non-zero) entries.
    public var storedCount: Int { values.count }

    /// The CSR form of a Float32 tensor of rank ≥ 2: the entries whose bits are not all zero,
    /// or, with a pruning `mask`, exactly the entries it keeps (so the structure is the mask,
    /// even where a kept weight happens to be zero).
    ///
    /// - Parameters:
    ///   - tensor: The dense tensor.
    ///   - mask: A mask of the same shape (non-zero where an entry is kept), or nil.
    public init(_ tensor: Tensor, keeping mask: Tensor? = nil) throws {
        guard tensor.rank >= 2, tensor.dtype == .float32 else {
            throw CompressError.invalidArgument(
                function: "CSRMatrix",
                message: "needs a float32 tensor of rank ≥ 2, got \(tensor.dtype) \(tensor.shape)")
        }
        if let mask, mask.shape != tensor.shape {
            throw CompressError.invalidArgument(
                function: "CSRMatrix",
                message: "the mask has shape \(mask.shape), the tensor \(tensor.shape)")
        }
        let scalars = tensor.scalars
        let kept = mask?.scalars
        let columns = tensor.shape.dropFirst().reduce(1, *)
        guard scalars.count < Int(Int32.max), columns < Int(Int32.max) else {
            throw CompressError.unsupported(
                function: "CSRMatrix", message: "a tensor of \(scalars.count) entries is too large")
        }
        let rows = SparseRows(scalars, rows: tensor.shape[0], columns: columns) { index in
            kept.map { $0[index] != 0 } ?? (scalars[index].bitPattern != 0)
        }
        self.shape = tensor.shape
        self.values = rows.values
        self.columnIndices = rows.columnIndices
        self.rowPointers = rows.rowPointers
    }

    /// The dense tensor again.
    public func dense() throws -> Tensor {
        let columns = columnCount
        var scalars = [Float](repeating: 0, count: rowCount * columns)
        for row in 0..<rowCount {
            for entry in Int(rowPointers[row])..<Int(rowPointers[row + 1]) {
                scalars[row * columns + Int(columnIndices[entry])] = values[entry]
            }
        }
        return try Tensor(scalars, shape: shape)
    }

    /// The matrix as sparse rows, for `Tensor.sparseLinear`.
    public var sparseRows: SparseRows {
        SparseRows(
            rowCount: rowCount, columnCount: columnCount, values: values,
            columnIndices: columnIndices, rowPointers: rowPointers)
    }

    /// The pruning mask this matrix's structure describes: 1 at every stored entry, 0 elsewhere.
    public func structureMask() throws -> Tensor {
        let columns = columnCount
        var scalars = [Float](repeating: 0, count: rowCount * columns)
        for row in 0..<rowCount {
            for entry in Int(rowPointers[row])..<Int(rowPointers[row + 1]) {
                scalars[row * columns + Int(columnIndices[entry])] = 1
            }
        }
        return try Tensor(scalars, shape: shape)
    }

    // MARK: - Safetensors naming

    /// The suffixes of the four tensors after the dense tensor's name.
    static let suffixes = (
        values: ".csr.values", columnIndices: ".csr.col_indices",
        compactColumnIndices: ".csr.col_indices_u16", rowPointers: ".csr.row_ptr",
        shape: ".csr.shape"
    )

    /// Every suffix a CSR group may use.
    static let allSuffixes = [
        suffixes.values, suffixes.columnIndices, suffixes.compactColumnIndices,
        suffixes.rowPointers, suffixes.shape,
    ]

    /// The most columns whose indices are stored in two bytes each.
    static let compactColumnLimit = 1 << 16

    /// The four named tensors that store this matrix as `name` in a safetensors file.
    public func tensors(named name: String) throws -> [String: Tensor] {
        let suffixes = Self.suffixes
        var result = [
            name + suffixes.values: try Tensor(values, shape: [values.count]),
            name + suffixes.rowPointers: try Tensor(rowPointers, shape: [rowPointers.count]),
            name + suffixes.shape: try Tensor(shape.map { Int32($0) }, shape: [shape.count]),
        ]
        if columnCount <= Self.compactColumnLimit {
            // Two bytes per index, little-endian: a 90%-pruned weight is then 6.7× smaller
            // than dense rather than 5×.
            let bytes = columnIndices.flatMap { index in
                [UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8)]
            }
            result[name + suffixes.compactColumnIndices] = try Tensor(bytes, shape: [bytes.count])
        } else {
            result[name + suffixes.columnIndices] = try Tensor(
                columnIndices, shape: [columnIndices.count])
        }
        return result
    }

    /// The column indices stored as `name` among `tensors`: I32 `col_indices` or the
    /// two-byte `col_indices_u16` (U8 pairs, little-endian), exactly one of them.
    private static func columnIndices(named name: String, in tensors: [String: Tensor]) throws
        -> [Int32]
    {
        let wide = tensors[name + suffixes.columnIndices]
        let compact = tensors[name + suffixes.compactColumnIndices]
        switch (wide, compact) {
        case (let wide?, nil) where wide.rank == 1 && wide.dtype == .int32:
            return try wide.scalars(as: Int32.self)
        case (nil, let compact?)
        where compact.rank == 1 && compact.dtype == .uint8 && compact.elementCount % 2 == 0:
            let bytes = try compact.scalars(as: UInt8.self)
            return stride(from: 0, to: bytes.count, by: 2).map {
                Int32(bytes[$0]) | Int32(bytes[$0 + 1]) << 8
            }
        default:
            throw CompressError.invalidArgument(
                function: "CSRMatrix",
                message: "'\(name)' needs exactly one of \(suffixes.columnIndices) (I32) and "
                    + "\(suffixes.compactColumnIndices) (U8 pairs), 1-d")
        }
    }

    /// The matrix stored as `name` among `tensors`, checked: every index in range and the row
    /// pointers non-decreasing from 0 to the number of entries.
    public init(named name: String, in tensors: [String: Tensor]) throws {
        let suffixes = Self.suffixes
        func part(_ suffix: String) throws -> Tensor {
            guard let tensor = tensors[name + suffix], tensor.rank == 1 else {
                throw CompressError.invalidArgument(
                    function: "CSRMatrix", message: "'\(name + suffix)' is missing or not 1-d")
            }
            return tensor
        }
        let values = try part(suffixes.values)
        let indices = try Self.columnIndices(named: name, in: tensors)
        let rowPointers = try part(suffixes.rowPointers)
        let shape = try part(suffixes.shape)
        guard values.dtype == .float32, rowPointers.dtype == .int32, shape.dtype == .int32
        else {
            throw CompressError.invalidArgument(
                function: "CSRMatrix",
                message: "'\(name)': values must be F32 and the indices and shape I32")
        }
        let dims = try shape.scalars(as: Int32.self).map(Int.init)
        // The dense size, refused past Int32.max entries (as the encoder does) so that a
        // hostile shape can neither overflow nor ask for an absurd allocation.
        let size = dims.reduce(Int?(1)) { total, dim in
            guard let total, dim >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dim)
            return overflow || product >= Int(Int32.max) ? nil : product
        }
        guard size != nil, dims.count >= 2 else {
            throw CompressError.invalidArgument(
                function: "CSRMatrix", message: "'\(name)': unusable dense shape \(dims)")
        }
        let columns = dims.dropFirst().reduce(1, *)
        let pointers = try rowPointers.scalars(as: Int32.self)
        let count = values.elementCount
        guard pointers.count == dims[0] + 1,
            indices.count == count, pointers.first == 0, pointers.last == Int32(count),
            zip(pointers, pointers.dropFirst()).allSatisfy({ $0 <= $1 }),
            indices.allSatisfy({ $0 >= 0 && Int($0) < columns })
        else {
            throw CompressError.invalidArgument(
                function: "CSRMatrix",
                message: "'\(name)' is not a consistent CSR matrix (shape \(dims), "
                    + "\(pointers.count) row pointers, \(count) values)")
        }
        self.shape = dims
        self.values = values.scalars
        self.columnIndices = indices
        self.rowPointers = pointers
    }
}
