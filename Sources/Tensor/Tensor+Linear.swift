import COpenBLAS

// The affine map of a dense layer, x·Wᵀ + b, as one primitive: the bias is written into the
// output first and sgemm accumulates onto it (beta = 1), with W read transposed by flag; an
// optional activation is then applied in place, and the one gradient node masks the incoming
// gradient with the activation's derivative (read off the output) before the two backward
// sgemms and a vectorized column sum for the bias.

extension Tensor {
    /// `input · weightᵀ + bias`, with PyTorch's layout: `weight` is `[out, in]`, `bias` is
    /// `[out]`; `input` is `[..., in]` and the result `[..., out]`.
    ///
    /// - Parameters:
    ///   - input: `[..., in]`.
    ///   - weight: `[out, in]`.
    ///   - bias: `[out]`, or nil for none.
    ///   - activation: Applied in place to the result, with its derivative fused into the
    ///     backward (`.identity` for none).
    ///
    /// ```swift
    /// let hidden = try Tensor.linear(x, weight: w1, bias: b1, activation: .relu)  // [128, 128]
    /// ```
    public static func linear(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil,
        activation: FusedActivation = .identity
    ) throws(TensorError) -> Tensor {
        try input.requireFloat("linear")
        try weight.requireFloat("linear")
        guard weight.rank == 2, input.rank >= 1, input.shape[input.rank - 1] == weight.shape[1]
        else {
            throw .shapeMismatch(
                operation: "linear", shapes: [input.shape, weight.shape],
                detail: "input features (last dimension) must equal weight's second dimension")
        }
        if let bias {
            try bias.requireFloat("linear")
            guard bias.shape == [weight.shape[0]] else {
                throw .shapeMismatch(
                    operation: "linear", shapes: [weight.shape, bias.shape],
                    detail: "bias must have shape [\(weight.shape[0])]")
            }
        }
        try activation.validate("linear")
        if input.rank != 2 {
            let batchShape = Array(input.shape.dropLast())
            let flat = try input.reshaped([-1, weight.shape[1]])
            return try linear(flat, weight: weight, bias: bias, activation: activation).reshaped(
                batchShape + [weight.shape[0]])
        }
        var result = try affine(input, weight: weight, bias: bias)
        activation.apply(inPlace: result)
        let biasRequires = bias?.requiresGradient ?? false
        if recordsGradient(input, weight) || (biasRequires && !GradientRecording.isPaused) {
            let (x, w) = (input.detached, weight.detached)
            let output = activation == .identity ? Tensor(0) : result.detached
            let needs = (input.requiresGradient, weight.requiresGradient, biasRequires)
            let inputs = [input, weight] + (bias.map { [$0] } ?? [])
            result.recordGradient("linear", inputs: inputs) { gradient throws(TensorError) in
                let preActivation = try activation.backward(gradient, output: output)
                return [
                    needs.0 ? try matmulForward(preActivation, w) : nil,
                    needs.1 ? try matmulForward(preActivation.transposed(), x) : nil,
                    needs.2 ? try columnSums(of: preActivation) : nil,
                ]
            }
        }
        return result
    }

    /// x·Wᵀ + b for a 2-D x, without autodiff.
    private static func affine(_ input: Tensor, weight: Tensor, bias: Tensor?) throws(TensorError)
        -> Tensor
    {
        let (rows, features) = (input.shape[0], input.shape[1])
        let outputs = weight.shape[0]
        let result = try Tensor(uninitializedShape: [rows, outputs], dtype: .float32)
        let target = result.floats
        if let bias {
            let dense = try bias.contiguous()
            withExtendedLifetime(dense) {
                let values = dense.floats
                for row in 0..<rows {
                    (target + row * outputs).update(from: values, count: outputs)
                }
            }
        } else {
            target.update(repeating: 0, count: rows * outputs)
        }
        guard rows > 0, outputs > 0, features > 0 else { return result }
        let left = try BLASOperand(input)
        let right = try BLASOperand(weight.detached.transposed())
        _ = try blasDimensions([rows, outputs, features], operation: "linear")
        try MatrixProduct(
            transposeA: left.isTransposed, transposeB: right.isTransposed, m: rows, n: outputs,
            k: features, a: left.base, lda: Int(left.leadingDimension), b: right.base,
            ldb: Int(right.leadingDimension), c: target, ldc: outputs, beta: 1
        ).runInTiles(threads: Parallelism.threadCount)
        return result
    }

    /// The sum of each column of a [rows, columns] tensor (the bias gradient), each column's
    /// rows added in order (`VectorKernels.addRows`).
    static func columnSums(of matrix: Tensor) throws(TensorError) -> Tensor {
        let dense = try matrix.contiguous()
        let (rows, columns) = (dense.shape[0], dense.shape[1])
        let result = try Tensor(uninitializedShape: [columns], dtype: .float32)
        let target = result.floats
        target.update(repeating: 0, count: columns)
        withExtendedLifetime(dense) {
            VectorKernels.addRows(dense.floats, rowCount: rows, columns: columns, into: target)
        }
        return result
    }
}
