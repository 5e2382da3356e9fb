import Tensor

/// The cross-entropy between softmax(`logits`) and `target`, computed from logits through a
/// stable log-softmax (never the log of an underflowed probability), as PyTorch's
/// `nn.functional.cross_entropy`.
///
/// The target is either class indices (shape `[N]`, int32 or integral float32) or class
/// probabilities (shape `[N, C]`, float32: soft targets, a teacher's predictions for
/// distillation). With label smoothing ε the target distribution becomes (1 − ε)·target + ε/C
/// (Szegedy et al., 2016, "Rethinking the Inception Architecture for Computer Vision", §7).
/// Class weights w scale each class's term; with index targets the mean divides by Σᵢ w[yᵢ],
/// exactly as PyTorch does, so the weighted loss stays an average.
///
/// ```swift
/// let loss = try softmaxCrossEntropy(model(x), labels)                    // labels: [N] int32
/// let smoothed = try softmaxCrossEntropy(logits, labels, labelSmoothing: 0.1)
/// let soft = try softmaxCrossEntropy(student(x), teacherProbabilities)     // [N, C] targets
/// ```
///
/// - Parameters:
///   - logits: Unnormalised scores, `[N, C]`.
///   - target: Class indices `[N]` or probabilities `[N, C]`.
///   - labelSmoothing: ε in [0, 1].
///   - classWeights: One weight per class, `[C]`.
///   - reduction: Mean (default), sum, or none (one loss per sample, `[N]`).
public func softmaxCrossEntropy(
    _ logits: Tensor, _ target: Tensor, labelSmoothing: Float = 0, classWeights: Tensor? = nil,
    reduction: Reduction = .mean
) throws -> Tensor {
    let name = "softmaxCrossEntropy"
    guard logits.rank == 2, logits.shape[1] > 0 else {
        throw NNError.invalidInput(
            layer: name, expected: "logits of shape [batch, classes]", actual: logits.shape)
    }
    let (batch, classes) = (logits.shape[0], logits.shape[1])
    guard labelSmoothing >= 0, labelSmoothing <= 1 else {
        throw NNError.invalidArgument(
            function: name, message: "labelSmoothing must be in [0, 1], got \(labelSmoothing)")
    }
    if let classWeights, classWeights.shape != [classes] || classWeights.dtype != .float32 {
        throw NNError.invalidArgument(
            function: name,
            message: "classWeights must be a float32 tensor of shape [\(classes)], got "
                + "\(classWeights.dtype) \(classWeights.shape)")
    }
    let isIndexTarget = target.shape == [batch]
    guard isIndexTarget || (target.shape == logits.shape && target.dtype == .float32) else {
        throw NNError.targetMismatch(
            loss: name, prediction: logits.shape, target: target.shape,
            detail: "the target must be class indices of shape [\(batch)] or float32 "
                + "probabilities of shape \(logits.shape)")
    }
    if isIndexTarget, let lowest = target.scalars.min(), lowest < 0 {
        throw NNError.targetMismatch(
            loss: name, prediction: logits.shape, target: target.shape,
            detail: "class index \(lowest) is negative; labels must be in 0..<\(classes)")
    }
    if isIndexTarget, labelSmoothing == 0, classWeights == nil {
        let perSample = try Tensor.softmaxCrossEntropy(logits: logits, labels: target)
        return try reduction.apply(perSample)
    }
    // Smoothing and weights: cross-entropy against the target distribution scaled by the
    // class weights, Σ_c w_c·q_c·(−log p_c), through the fused soft-target primitive.
    let distribution = try withoutGradient {
        var distribution =
            isIndexTarget ? try Tensor.oneHot(target, classCount: classes) : target.detached
        if labelSmoothing > 0 {
            distribution = try distribution * (1 - labelSmoothing) + labelSmoothing / Float(classes)
        }
        if let classWeights { distribution = try distribution * classWeights.detached }
        return distribution
    }
    let perSample = try Tensor.softmaxCrossEntropy(logits: logits, probabilities: distribution)
    guard reduction == .mean, isIndexTarget, let classWeights else {
        return try reduction.apply(perSample)
    }
    let weightTotal = try withoutGradient {
        try classWeights.gather(target, alongAxis: 0).sum().scalarized()
    }
    return try reduction.apply(perSample, count: weightTotal)
}
