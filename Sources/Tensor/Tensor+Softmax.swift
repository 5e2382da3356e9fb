import Foundation

// Softmax and log-softmax along an axis, computed stably (shifted by each row's maximum), each a
// primitive with a one-pass backward rule.

extension Tensor {
    /// exp(x) / Σ exp(x) along `axis`, stable for any magnitude of x.
    ///
    /// ```swift
    /// let probabilities = try logits.softmax(alongAxis: -1)
    /// ```
    public func softmax(alongAxis axis: Int = -1) throws(TensorError) -> Tensor {
        try softmaxPrimitive(alongAxis: axis, logarithm: false)
    }

    /// log(softmax(x)) along `axis`, computed as x − max − log Σ exp(x − max) so it never
    /// takes the logarithm of an underflowed 0.
    public func logSoftmax(alongAxis axis: Int = -1) throws(TensorError) -> Tensor {
        try softmaxPrimitive(alongAxis: axis, logarithm: true)
    }

    private func softmaxPrimitive(alongAxis axis: Int, logarithm: Bool) throws(TensorError)
        -> Tensor
    {
        let operation = logarithm ? "logSoftmax" : "softmax"
        try requireFloat(operation)
        let rows = try RowsAlongAxis(self, axis: axis, operation: operation)
        let output = try Tensor(uninitializedShape: rows.values.shape, dtype: .float32)
        softmaxRows(
            rows.values.floats, into: output.floats, rowCount: rows.rowCount,
            rowLength: rows.rowLength, logarithm: logarithm)
        var result = try rows.restore(output)
        if Tensor.recordsGradient(self) {
            let saved = output
            result.recordGradient(operation, inputs: [self]) { gradient throws(TensorError) in
                let g = try RowsAlongAxis(gradient, axis: rows.axis, operation: operation).values
                let input = try Tensor(uninitializedShape: g.shape, dtype: .float32)
                softmaxBackwardRows(
                    gradient: g.floats, output: saved.floats, into: input.floats,
                    rowCount: rows.rowCount, rowLength: rows.rowLength, logarithm: logarithm)
                return [try rows.restore(input)]
            }
        }
        return result
    }
}

/// A tensor with one axis moved last and made contiguous, so that each slice along that axis is
/// one dense row; `restore` moves the axis back.
struct RowsAlongAxis {
    /// The axis, counted from the front.
    let axis: Int
    /// The values, contiguous, with `axis` last.
    let values: Tensor
    /// The number of rows.
    let rowCount: Int
    /// The length of each row (the size of `axis`).
    let rowLength: Int
    private let order: [Int]

    init(_ tensor: Tensor, axis requested: Int, operation: String) throws(TensorError) {
        let axis = try normalizedAxis(requested, rank: tensor.rank, operation: operation)
        var order = Array(0..<tensor.rank)
        order.remove(at: axis)
        order.append(axis)
        self.axis = axis
        self.order = order
        self.values = try tensor.detached.permuted(order).contiguous()
        self.rowLength = tensor.shape[axis]
        self.rowCount = rowLength == 0 ? 0 : tensor.elementCount / rowLength
    }

    /// `rows` (laid out like `values`) with the axis moved back to its place (a view).
    func restore(_ rows: Tensor) throws(TensorError) -> Tensor {
        var inverse = [Int](repeating: 0, count: order.count)
        for (position, axis) in order.enumerated() { inverse[axis] = position }
        return try rows.permuted(inverse)
    }
}

/// Softmax (or log-softmax) of each row of `source` into `target`.
func softmaxRows(
    _ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, rowCount: Int,
    rowLength: Int, logarithm: Bool
) {
    Parallelism.forEachChunk(count: rowCount, costPerItem: rowLength * 8) { rows in
        for row in rows {
            let x = source + row * rowLength
            let y = target + row * rowLength
            var maximum = -Float.infinity
            for index in 0..<rowLength { maximum = Swift.max(maximum, x[index]) }
            if !maximum.isFinite { maximum = maximum.isNaN ? maximum : 0 }
            var total: Float = 0
            for index in 0..<rowLength {
                let e = Foundation.exp(x[index] - maximum)
                y[index] = e
                total += e
            }
            if logarithm {
                // (x − max) − log Σ: the difference is exact for the largest logits, while
                // x − (max + log Σ) rounds max + log Σ first (~3e-5 off for logits near 1000).
                let logTotal = Foundation.log(total)
                for index in 0..<rowLength { y[index] = (x[index] - maximum) - logTotal }
            } else {
                let scale = 1 / total
                for index in 0..<rowLength { y[index] *= scale }
            }
        }
    }
}

/// The input gradient of softmax, y·(g − Σ g·y), or of log-softmax, g − exp(y)·Σ g, row by row.
func softmaxBackwardRows(
    gradient: UnsafePointer<Float>, output: UnsafePointer<Float>,
    into target: UnsafeMutablePointer<Float>, rowCount: Int, rowLength: Int, logarithm: Bool
) {
    Parallelism.forEachChunk(count: rowCount, costPerItem: rowLength * 4) { rows in
        for row in rows {
            let g = gradient + row * rowLength
            let y = output + row * rowLength
            let dx = target + row * rowLength
            if logarithm {
                var total: Float = 0
                for index in 0..<rowLength { total += g[index] }
                for index in 0..<rowLength {
                    dx[index] = g[index] - Foundation.exp(y[index]) * total
                }
            } else {
                var dot: Float = 0
                for index in 0..<rowLength { dot += g[index] * y[index] }
                for index in 0..<rowLength { dx[index] = y[index] * (g[index] - dot) }
            }
        }
    }
}
