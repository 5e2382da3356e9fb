import Tensor

/// The binary cross-entropy between sigmoid(`logits`) and `target` probabilities, computed
/// from logits as y·softplus(−x) + (1 − y)·softplus(x), which never takes the log of an
/// underflowed probability (PyTorch's `binary_cross_entropy_with_logits`).
///
/// ```swift
/// let loss = try binaryCrossEntropy(model(x), labels)        // labels: 0/1 floats, logits' shape
/// ```
///
/// - Parameters:
///   - logits: Unnormalised scores, any shape.
///   - target: Probabilities (usually 0 or 1) of the same shape, float32.
///   - positiveWeight: Scales the positive term (pos_weight), broadcast over the last axis:
///     above 1 favours recall of a rare positive class.
///   - reduction: Mean over elements (default), sum, or none.
public func binaryCrossEntropy(
    _ logits: Tensor, _ target: Tensor, positiveWeight: Tensor? = nil,
    reduction: Reduction = .mean
) throws -> Tensor {
    try checkSameShape("binaryCrossEntropy", logits, target)
    let y = target.detached
    let positive = try y * (-logits).softplus()
    let negative = try (1 - y) * logits.softplus()
    let weightedPositive = try positiveWeight.map { try positive * $0.detached } ?? positive
    return try reduction.apply(weightedPositive + negative)
}

/// Throws unless `prediction` and `target` have the same shape and `target` is float32.
func checkSameShape(_ loss: String, _ prediction: Tensor, _ target: Tensor) throws {
    guard prediction.shape == target.shape else {
        throw NNError.targetMismatch(
            loss: loss, prediction: prediction.shape, target: target.shape,
            detail: "they must have the same shape; reshape the target")
    }
    guard target.dtype == .float32 else {
        throw NNError.targetMismatch(
            loss: loss, prediction: prediction.shape, target: target.shape,
            detail: "the target must be float32, not \(target.dtype)")
    }
}
