import Foundation
import Tensor

/// The Kullback–Leibler divergence KL(target ‖ softmax(`logits`)) = Σ p·(log p − log q), from
/// logits through a stable log-softmax; terms with p = 0 count as 0.
///
/// `.mean` averages over the batch the per-sample divergences summed over classes (PyTorch's
/// `reduction="batchmean"`, the mathematically correct KL); `.none` gives one value per sample.
///
/// ```swift
/// let loss = try klDivergence(studentLogits, teacherProbabilities)
/// ```
///
/// - Parameters:
///   - logits: The model's scores, `[N, C]`.
///   - target: Probabilities, `[N, C]`, float32 (treated as constants).
///   - reduction: Batch mean (default), sum, or none.
public func klDivergence(_ logits: Tensor, _ target: Tensor, reduction: Reduction = .mean)
    throws -> Tensor
{
    try checkSameShape("klDivergence", logits, target)
    guard logits.rank == 2 else {
        throw NNError.invalidInput(
            layer: "klDivergence", expected: "logits of shape [batch, classes]",
            actual: logits.shape)
    }
    let entropyTerms = try negativeEntropy(ofRows: target)
    let crossTerms = try (target.detached * logits.logSoftmax(alongAxis: 1)).sum(alongAxes: [1])
    return try reduction.apply(entropyTerms - crossTerms)
}

/// The distillation loss of Hinton et al. (2015, "Distilling the Knowledge in a Neural
/// Network"): T²·KL(softmax(targetLogits/T) ‖ softmax(logits/T)). Dividing by the temperature
/// T > 1 softens both distributions so the student learns the teacher's "dark knowledge"; the
/// factor T² keeps the gradient's scale independent of T.
///
/// ```swift
/// let soft = try klDivergence(logits: student(x), targetLogits: teacher(x), temperature: 4)
/// let loss = try 0.9 * soft + 0.1 * softmaxCrossEntropy(student(x), y)
/// ```
public func klDivergence(
    logits: Tensor, targetLogits: Tensor, temperature: Float = 1, reduction: Reduction = .mean
) throws -> Tensor {
    guard temperature > 0, temperature.isFinite else {
        throw NNError.invalidArgument(
            function: "klDivergence", message: "the temperature must be positive")
    }
    guard logits.shape == targetLogits.shape else {
        throw NNError.targetMismatch(
            loss: "klDivergence", prediction: logits.shape, target: targetLogits.shape,
            detail: "student and teacher logits must have the same shape")
    }
    let target = try withoutGradient {
        try (targetLogits.detached / temperature).softmax(alongAxis: -1)
    }
    let divergence = try klDivergence(logits / temperature, target, reduction: reduction)
    return try divergence * (temperature * temperature)
}

/// Σ p·log p along each row of `probabilities` (0·log 0 taken as 0), a constant `[N]` tensor.
private func negativeEntropy(ofRows probabilities: Tensor) throws -> Tensor {
    let rows = probabilities.shape[0]
    let columns = probabilities.shape[1]
    let values = probabilities.scalars
    var sums = [Float](repeating: 0, count: rows)
    for row in 0..<rows {
        var total: Double = 0
        for column in 0..<columns {
            let p = Double(values[row * columns + column])
            if p > 0 { total += p * Foundation.log(p) }
        }
        sums[row] = Float(total)
    }
    return try Tensor(sums, shape: [rows])
}
