import Tensor

/// The knowledge-distillation loss of Hinton, Vinyals & Dean (2015, "Distilling the Knowledge
/// in a Neural Network"):
///
///     α·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − α)·CE(student, labels)
///
/// The temperature T > 1 softens both distributions so that the student learns how the teacher
/// ranks the wrong classes ("dark knowledge"); the factor T² keeps the soft term's gradient on
/// the same scale whatever T (its gradient shrinks as 1/T² otherwise, §2 of the paper), so α
/// weighs the two terms the same way at every temperature. The teacher's logits are constants:
/// no gradient flows into them, whether or not they were computed on a tape.
///
/// ```swift
/// let teacherLogits = try teacher.predict(x)                  // evaluation mode, no tape
/// let (loss, grads) = try valueWithGradient(of: student) { s in
///     try distillationLoss(student: s(x), teacher: teacherLogits, labels: y,
///                          temperature: 4, alpha: 0.9)
/// }
/// ```
///
/// - Parameters:
///   - student: The student's logits `[N, C]`.
///   - teacher: The teacher's logits `[N, C]` (treated as constants).
///   - labels: The hard targets the student loss takes (class indices `[N]` for the default
///     cross-entropy).
///   - temperature: T > 0; 1 means no softening.
///   - alpha: The weight α ∈ [0, 1] of the soft (distillation) term.
///   - studentLoss: The loss on the hard labels (softmax cross-entropy by default).
public func distillationLoss(
    student: Tensor, teacher: Tensor, labels: Tensor, temperature: Float = 4, alpha: Float = 0.9,
    studentLoss: Loss = .softmaxCrossEntropy()
) throws -> Tensor {
    let distillation = Distillation.hinton(temperature: temperature, alpha: alpha)
    try distillation.validate(for: "distillationLoss")
    return try distillation.loss(
        student: student, teacher: teacher, labels: labels, studentLoss: studentLoss
    ).total
}

/// The two terms of a distillation loss and their weighted sum, as `fit` records them.
struct DistillationLossParts {
    /// α·distillation + (1 − α)·student, on the tape.
    let total: Tensor
    /// T²·KL(softmax(teacher/T) ‖ softmax(student/T)), unweighted.
    let distillation: Float
    /// The student loss on the hard labels, unweighted.
    let student: Float
}

extension Distillation {
    /// The loss of `student` logits against the `teacher`'s and the hard `labels`, with both
    /// of its terms.
    func loss(student: Tensor, teacher: Tensor, labels: Tensor, studentLoss: Loss) throws
        -> DistillationLossParts
    {
        let soft = try klDivergence(
            logits: student, targetLogits: teacher.detached, temperature: temperature)
        let hard = try studentLoss(student, labels)
        guard hard.elementCount == 1 else {
            throw NNError.invalidArgument(
                function: "distillationLoss",
                message: "the student loss must reduce to one value, got shape \(hard.shape)")
        }
        let total = try alpha * soft + (1 - alpha) * hard
        return DistillationLossParts(
            total: total, distillation: try soft.scalarized(), student: try hard.scalarized())
    }
}
