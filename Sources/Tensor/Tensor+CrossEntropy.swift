import Foundation

// Softmax cross-entropy fused into one primitive: the forward pass computes log-softmax rows and
// the per-example loss, and keeps the probabilities, so the backward pass is one subtraction
// (softmax − target). NN's losses (label smoothing, class weights, reductions) build on these.

extension Tensor {
    /// The cross-entropy of each example between softmax(`logits`) and integer class
    /// `labels`: −log softmax(logits)[label], one loss per row.
    ///
    /// - Parameters:
    ///   - logits: Unnormalised scores, `[N, C]`.
    ///   - labels: Class indices in `0..<C`, `[N]`, int32 (or integral float32).
    /// - Returns: The `[N]` per-example losses; take `.mean()` for the usual loss.
    ///
    /// ```swift
    /// let loss = try Tensor.softmaxCrossEntropy(logits: model(x), labels: y).mean()
    /// ```
    public static func softmaxCrossEntropy(logits: Tensor, labels: Tensor) throws(TensorError)
        -> Tensor
    {
        let (count, classes) = try crossEntropyShape(logits, operation: "softmaxCrossEntropy")
        guard labels.shape == [count] else {
            throw .shapeMismatch(
                operation: "softmaxCrossEntropy", shapes: [logits.shape, labels.shape],
                detail: "labels must be one class index per row of logits, shape [\(count)]")
        }
        let positions = try Tensor.positions(
            labels, size: classes, axis: 1, "softmaxCrossEntropy")
        let rows = try logits.detached.contiguous()
        let probabilities = try Tensor(uninitializedShape: [count, classes], dtype: .float32)
        var losses = try Tensor(uninitializedShape: [count], dtype: .float32)
        softmaxRows(
            rows.floats, into: probabilities.floats, rowCount: count, rowLength: classes,
            logarithm: true)
        let logProbabilities = probabilities.floats
        let lossValues = losses.floats
        for row in 0..<count {
            lossValues[row] = -logProbabilities[row * classes + positions[row]]
        }
        // Turn the log-probabilities into probabilities, kept for the backward pass.
        for index in 0..<(count * classes) {
            logProbabilities[index] = Foundation.exp(logProbabilities[index])
        }
        if recordsGradient(logits) {
            losses.recordGradient("softmaxCrossEntropy", inputs: [logits]) {
                gradient throws(TensorError) in
                let weights = try gradient.contiguous()
                let result = try Tensor(uninitializedShape: [count, classes], dtype: .float32)
                let g = weights.floats
                let p = probabilities.floats
                let dx = result.floats
                for row in 0..<count {
                    let scale = g[row]
                    for column in 0..<classes {
                        dx[row * classes + column] = scale * p[row * classes + column]
                    }
                    dx[row * classes + positions[row]] -= scale
                }
                return [result]
            }
        }
        return losses
    }

    /// The cross-entropy of each example between softmax(`logits`) and target distributions
    /// `probabilities` (soft targets: a teacher's softened outputs, smoothed labels):
    /// −Σ p · log softmax(logits), one loss per row. Gradients flow to both inputs.
    ///
    /// - Parameters:
    ///   - logits: Unnormalised scores, `[N, C]`.
    ///   - probabilities: Target distributions, `[N, C]` (rows usually sum to 1).
    /// - Returns: The `[N]` per-example losses.
    public static func softmaxCrossEntropy(logits: Tensor, probabilities: Tensor)
        throws(TensorError) -> Tensor
    {
        let (count, classes) = try crossEntropyShape(logits, operation: "softmaxCrossEntropy")
        try probabilities.requireFloat("softmaxCrossEntropy")
        guard probabilities.shape == logits.shape else {
            throw .shapeMismatch(
                operation: "softmaxCrossEntropy", shapes: [logits.shape, probabilities.shape],
                detail: "target probabilities must have the logits' shape")
        }
        let rows = try logits.detached.contiguous()
        let targets = try probabilities.detached.contiguous()
        let logSoftmax = try Tensor(uninitializedShape: [count, classes], dtype: .float32)
        softmaxRows(
            rows.floats, into: logSoftmax.floats, rowCount: count, rowLength: classes,
            logarithm: true)
        var losses = try Tensor(uninitializedShape: [count], dtype: .float32)
        let logP = logSoftmax.floats
        let p = targets.floats
        for row in 0..<count {
            var total: Float = 0
            for column in 0..<classes {
                let target = p[row * classes + column]
                if target != 0 { total -= target * logP[row * classes + column] }
            }
            losses.floats[row] = total
        }
        if recordsGradient(logits, probabilities) {
            let (needsLogits, needsTargets) = (
                logits.requiresGradient, probabilities.requiresGradient
            )
            losses.recordGradient("softmaxCrossEntropy", inputs: [logits, probabilities]) {
                gradient throws(TensorError) in
                let g = try gradient.contiguous().reshaped([count, 1])
                let logitGradient =
                    needsLogits
                    ? try g
                        * (logSoftmax.exp() * targets.sum(alongAxes: [1], keepDims: true) - targets)
                    : nil
                let targetGradient = needsTargets ? try -(g * logSoftmax) : nil
                return [logitGradient, targetGradient]
            }
        }
        return losses
    }

    private static func crossEntropyShape(_ logits: Tensor, operation: String)
        throws(TensorError) -> (count: Int, classes: Int)
    {
        try logits.requireFloat(operation)
        guard logits.rank == 2, logits.shape[1] > 0 else {
            throw .invalidArgument(
                operation: operation,
                message: "logits must have shape [N, C] with C > 0, got \(logits.shape)")
        }
        return (logits.shape[0], logits.shape[1])
    }
}
