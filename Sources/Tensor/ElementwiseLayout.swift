/// An elementwise walk over a shape for several operands with their own strides, collapsed to as
/// few dimensions as possible so the innermost loop runs over long rows.
///
/// Operand 0 is usually the output. Dimensions of size 1 are dropped, and neighbouring dimensions
/// merge when every operand steps through them as one (contiguous data collapses to one row;
/// `[128, 784] + [784]` stays two dimensions with the bias stride 0 on the outer one).
struct ElementwiseLayout {
    /// The collapsed shape (rank at least 1).
    private(set) var shape: [Int]
    /// Per operand, its strides over the collapsed shape.
    private(set) var strides: [[Int]]

    /// Collapses `shape` with per-operand `strides` (each of the same rank as `shape`).
    init(shape: [Int], strides operandStrides: [[Int]]) {
        var keptShape: [Int] = []
        var keptStrides = [[Int]](repeating: [], count: operandStrides.count)
        for axis in shape.indices where shape[axis] != 1 {
            let size = shape[axis]
            if let last = keptShape.last,
                operandStrides.indices.allSatisfy({
                    keptStrides[$0][keptStrides[$0].count - 1] == operandStrides[$0][axis] &* size
                })
            {
                keptShape[keptShape.count - 1] = last &* size
                for operand in operandStrides.indices {
                    keptStrides[operand][keptStrides[operand].count - 1] =
                        operandStrides[operand][axis]
                }
            } else {
                keptShape.append(size)
                for operand in operandStrides.indices {
                    keptStrides[operand].append(operandStrides[operand][axis])
                }
            }
        }
        if keptShape.isEmpty {
            keptShape = [shape.contains(0) ? 0 : 1]
            keptStrides = keptStrides.map { _ in [1] }
        }
        self.shape = keptShape
        self.strides = keptStrides
    }

    /// Elements in one row (the innermost collapsed dimension).
    var innerCount: Int { shape[shape.count - 1] }

    /// Number of rows (product of the outer dimensions).
    var rowCount: Int { shape.dropLast().reduce(1, &*) }

    /// Each operand's stride along the innermost dimension.
    func innerStride(_ operand: Int) -> Int { strides[operand][shape.count - 1] }

    /// Calls `body(offsets, count)` for runs of the walk: `offsets[k]` is operand k's element
    /// offset at the start of the run and `count` its length; consecutive elements of a run are
    /// `innerStride(k)` apart. Splits the work across threads when it is large and `parallel`
    /// (callers that accumulate into shared outputs pass false).
    func run(parallel: Bool = true, _ body: (UnsafeBufferPointer<Int>, Int) -> Void) {
        let operandCount = strides.count
        let inner = innerCount
        guard parallel else {
            forEachRow(in: 0..<rowCount) { offsets in body(offsets, inner) }
            return
        }
        if shape.count == 1 {
            let innerStrides = strides.map { $0[0] }
            Parallelism.forEachChunk(count: inner, costPerItem: 1) { range in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: operandCount) { offsets in
                    for operand in 0..<operandCount {
                        offsets[operand] = range.lowerBound &* innerStrides[operand]
                    }
                    body(UnsafeBufferPointer(offsets), range.count)
                }
            }
            return
        }
        Parallelism.forEachChunk(count: rowCount, costPerItem: inner) { rows in
            forEachRow(in: rows) { offsets in body(offsets, inner) }
        }
    }

    /// Calls `body(offsets)` with each operand's offset at the start of each row in `rows`.
    private func forEachRow(in rows: Range<Int>, _ body: (UnsafeBufferPointer<Int>) -> Void) {
        // No rows (an outer dimension of 0): nothing to walk, and no index to compute.
        guard !rows.isEmpty else { return }
        let operandCount = strides.count
        let outerRank = shape.count - 1
        withUnsafeTemporaryAllocation(of: Int.self, capacity: operandCount + outerRank) { buffer in
            guard let base = buffer.baseAddress else { return }
            let offsets = UnsafeMutableBufferPointer(start: base, count: operandCount)
            let index = UnsafeMutableBufferPointer(start: base + operandCount, count: outerRank)
            var remainder = rows.lowerBound
            for axis in (0..<outerRank).reversed() {
                index[axis] = remainder % shape[axis]
                remainder /= shape[axis]
            }
            for operand in 0..<operandCount {
                var offset = 0
                for axis in 0..<outerRank { offset &+= index[axis] &* strides[operand][axis] }
                offsets[operand] = offset
            }
            for _ in rows {
                body(UnsafeBufferPointer(offsets))
                var axis = outerRank - 1
                while axis >= 0 {
                    index[axis] += 1
                    for operand in 0..<operandCount { offsets[operand] &+= strides[operand][axis] }
                    if index[axis] < shape[axis] { break }
                    for operand in 0..<operandCount {
                        offsets[operand] &-= strides[operand][axis] &* shape[axis]
                    }
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
