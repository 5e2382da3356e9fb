import Tensor

// A stopgap until Tensor's own `softmax`/`logSoftmax` land on main: log-softmax along the last
// axis of a matrix, shifted by each row's (detached) maximum so it never overflows.

extension Tensor {
    /// log(softmax(x)) along the last axis of a tensor.
    func logSoftmaxRows() throws -> Tensor {
        guard rank >= 1, shape[rank - 1] > 0 else { return self }
        let columns = shape[rank - 1]
        let values = scalars
        var maxima: [Float] = []
        maxima.reserveCapacity(values.count / Swift.max(columns, 1))
        var index = 0
        while index < values.count {
            let row = values[index..<(index + columns)]
            let maximum = row.max() ?? 0
            maxima.append(maximum.isFinite ? maximum : 0)
            index += columns
        }
        let shift = try Tensor(maxima, shape: Array(shape.dropLast()) + [1])
        let shifted = try self - shift
        return try shifted - shifted.exp().sum(alongAxes: [rank - 1], keepDims: true).log()
    }

    /// softmax(x) along the last axis of a tensor.
    func softmaxRows() throws -> Tensor {
        try logSoftmaxRows().exp()
    }
}

/// One-hot rows `[N, classCount]` for the class indices in `labels` (`[N]`, any dtype holding
/// whole numbers), with an error naming the first index out of range.
func oneHotRows(_ labels: Tensor, classCount: Int) throws -> Tensor {
    let indices = labels.scalars
    var rows = [Float](repeating: 0, count: indices.count * classCount)
    for (row, value) in indices.enumerated() {
        guard value.rounded() == value, value >= 0, value < Float(classCount) else {
            throw NNError.invalidArgument(
                function: "class labels",
                message: "label \(value) at position \(row) is not a class index in "
                    + "0..<\(classCount)")
        }
        rows[row * classCount + Int(value)] = 1
    }
    return try Tensor(rows, shape: [indices.count, classCount])
}
