import Testing

@testable import NN
@testable import Tensor

/// A teacher for the distillation tests that wraps a trained `Sequential` and records how it is
/// called: how often, on how many examples, whether in training mode, and whether an autodiff
/// tape was recording.
///
/// It describes its architecture only when built with `describesArchitecture: true`: a teacher
/// with an architecture may have its logits memoized across fits (`TeacherLogitsMemo`), one
/// without runs on every fit.
final class RecordingTeacher: Layer {
    let inner: Sequential
    let describesArchitecture: Bool
    var isTraining = true
    /// The forward passes so far.
    var calls = 0
    /// The examples run through the teacher so far (the batch rows of every call).
    var examples = 0
    /// Whether the teacher or its inner model was ever called in training mode.
    var sawTraining = false
    /// Whether a tape was ever recording during a call.
    var sawTape = false

    init(_ inner: Sequential, describesArchitecture: Bool = false) {
        self.inner = inner
        self.describesArchitecture = describesArchitecture
    }

    var children: [(name: String, layer: any Layer)] { [("inner", inner)] }

    func callAsFunction(_ input: Tensor) throws -> Tensor {
        calls += 1
        examples += input.shape.first ?? 0
        sawTraining = sawTraining || isTraining || inner.isTraining
        // An op on a tensor that requires a gradient records only while a tape is on.
        let probe = try Tensor(1).requiringGradient() * 2
        sawTape = sawTape || probe.requiresGradient
        return try inner(input)
    }

    /// The inner model's architecture under this type's name, or the default's error when the
    /// double was built without one.
    func architecture() throws -> LayerArchitecture {
        guard describesArchitecture else {
            throw NNError.unsupported("this RecordingTeacher describes no architecture")
        }
        return LayerArchitecture(type: "RecordingTeacher", children: [try inner.architecture()])
    }
}
