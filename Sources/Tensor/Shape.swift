// Shape arithmetic shared by every op: element counts, strides, axes and broadcasting.

/// The number of elements of `shape`, or an error if a dimension is negative or the count
/// overflows.
func checkedElementCount(of shape: [Int], operation: String) throws(TensorError) -> Int {
    var count = 1
    for dimension in shape {
        guard dimension >= 0 else {
            throw .invalidArgument(
                operation: operation, message: "shape \(shape) has a negative dimension")
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        guard !overflow else {
            throw .invalidArgument(
                operation: operation, message: "shape \(shape) has too many elements")
        }
        count = product
    }
    return count
}

/// Row-major strides (in elements) of a contiguous tensor of `shape`.
func contiguousStrides(for shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() {
        strides[axis] = step
        step &*= max(shape[axis], 1)
    }
    return strides
}

/// `axis` counted from the front (a negative axis counts from the back), or an error if it is
/// outside `-rank..<rank`.
func normalizedAxis(_ axis: Int, rank: Int, operation: String) throws(TensorError) -> Int {
    let normalized = axis < 0 ? axis + rank : axis
    guard normalized >= 0, normalized < rank else {
        throw .invalidAxis(operation: operation, axis: axis, rank: rank)
    }
    return normalized
}

/// Distinct axes counted from the front, sorted; nil `axes` means every axis.
func normalizedAxes(_ axes: [Int]?, rank: Int, operation: String) throws(TensorError) -> [Int] {
    guard let axes else { return Array(0..<rank) }
    var seen = Set<Int>()
    for axis in axes {
        let normalized = try normalizedAxis(axis, rank: rank, operation: operation)
        guard seen.insert(normalized).inserted else {
            throw .invalidArgument(
                operation: operation, message: "axis \(axis) is listed more than once")
        }
    }
    return seen.sorted()
}

/// The shape two operands broadcast to (NumPy rules: align from the right; each dimension pair
/// must be equal or contain a 1).
func broadcastShape(_ lhs: [Int], _ rhs: [Int], operation: String) throws(TensorError) -> [Int] {
    if lhs == rhs { return lhs }
    let rank = max(lhs.count, rhs.count)
    var shape = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
        let left = axis - (rank - lhs.count)
        let right = axis - (rank - rhs.count)
        let leftSize = left >= 0 ? lhs[left] : 1
        let rightSize = right >= 0 ? rhs[right] : 1
        if leftSize == rightSize || rightSize == 1 {
            shape[axis] = leftSize
        } else if leftSize == 1 {
            shape[axis] = rightSize
        } else {
            throw .shapeMismatch(
                operation: operation, shapes: [lhs, rhs],
                detail: "cannot broadcast dimension \(leftSize) against \(rightSize)")
        }
    }
    return shape
}
