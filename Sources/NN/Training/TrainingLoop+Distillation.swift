import Data
import Tensor

// Distillation inside `fit`: the teacher's logits for each batch, and the step that learns
// from them.
//
// Design note. The teacher always runs in evaluation mode (dropout off, running statistics)
// and without the tape, so it costs a forward pass and is never changed. When the batches are
// not augmented, an example's input is the same in every epoch, so the teacher's logits are
// computed once for the whole training set (`predict`, in stored order; kept for the next fit
// from the same teacher on the same set, `TeacherLogitsMemo`) and each batch gathers its rows
// by the examples' positions in the set, whatever the shuffle. With augmentation
// every batch is a new input, so the teacher runs on the batch exactly as the student sees it.

/// Where a distilling fit takes the teacher's logits for a batch.
enum TeacherLogits {
    /// Not computed yet (before the run starts).
    case pending
    /// The teacher's logits for every training example `[N, C]`, row i for position i.
    case cached(Tensor)
    /// The teacher runs on each batch as it is fed to the student (augmented batches).
    case perBatch
}

/// The teacher of a distilling fit, its loss settings and its logits.
struct Teaching {
    let teacher: any Layer
    let distillation: Distillation
    var logits: TeacherLogits = .pending

    /// The names of the two loss terms in the History, after "loss".
    static let partNames = ["distillation_loss", "student_loss"]

    /// Checks the settings and that the teacher is a separate model from `student`.
    init(teacher: any Layer, distillation: Distillation, student: any Layer) throws {
        try distillation.validate(for: "fit")
        guard teacher !== student else {
            throw NNError.invalidArgument(
                function: "fit", message: "the teacher cannot be the model being trained")
        }
        let studentLayers = Set(student.namedLayers().map { ObjectIdentifier($0.layer) })
        if let shared = teacher.namedLayers().first(where: {
            studentLayers.contains(ObjectIdentifier($0.layer))
        }) {
            let name = shared.name.isEmpty ? "its top layer" : "layer \(shared.name)"
            throw NNError.invalidArgument(
                function: "fit",
                message: "the teacher shares \(name) with the student; distil from a separate "
                    + "model (a copy saved and loaded), so that training the student cannot "
                    + "change the teacher")
        }
        self.teacher = teacher
        self.distillation = distillation
    }

    /// Caches the teacher's logits on `data` when batches are not augmented.
    mutating func prepare(
        for data: Dataset, augmented: Bool, batchSize: Int, checkInterrupt: (() throws -> Void)?
    ) throws {
        guard !augmented else {
            logits = .perBatch
            return
        }
        let all = try TeacherLogitsMemo.logits(of: teacher, on: data, batchSize: batchSize) {
            try teacher.predict(data, batchSize: batchSize, checkInterrupt: checkInterrupt)
        }
        guard all.shape.first == data.count, all.rank == 2 else {
            throw NNError.invalidArgument(
                function: "fit",
                message: "the teacher must give logits [examples, classes] for distillation, "
                    + "got shape \(all.shape) for \(data.count) examples")
        }
        logits = .cached(all)
    }

    /// The teacher's logits for `batch`, whose examples sit at `positions` in the training set.
    func logits(for batch: Batch, at positions: ArraySlice<Int>) throws -> Tensor {
        switch logits {
        case .cached(let all):
            let indices = try Tensor(
                positions.map { Int32(truncatingIfNeeded: $0) },
                shape: [
                    positions.count
                ])
            return try withoutGradient { try all.gather(indices, alongAxis: 0) }
        case .perBatch, .pending:
            return try teacher.evaluating { try withoutGradient { try teacher(batch.x) } }
        }
    }
}

/// The distillation loss of `model` on `batch` against `teacherLogits` (plus the
/// regularization penalty when `regularized`), its two terms, the model's output (detached)
/// and the gradients; `observer` watches the backward pass.
func distillationLossAndGradients(
    of model: any Layer, on batch: Batch, teacherLogits: Tensor, distillation: Distillation,
    studentLoss: Loss, regularized: Bool, observer: (any BackwardObserver)? = nil
) throws -> (loss: Float, parts: [Float], output: Tensor, gradients: Gradients) {
    var output: Tensor?
    var parts: [Float] = []
    let (value, gradients) = try differentiate(model, observer: observer) { layer in
        let prediction = try layer(batch.x)
        output = prediction.detached
        let loss = try distillation.loss(
            student: prediction, teacher: teacherLogits, labels: batch.y, studentLoss: studentLoss)
        parts = [loss.distillation, loss.student]
        return regularized ? try loss.total + layer.regularizationLoss() : loss.total
    }
    guard let output else {
        throw NNError.unsupported("fit: the loss did not run the model")
    }
    return (try value.scalarized(), parts, output, gradients)
}
