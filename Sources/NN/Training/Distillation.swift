import Tensor

/// How `fit` distils a teacher into the model it trains: the temperature T and the weight α
/// of Hinton et al.'s (2015) loss α·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 −
/// α)·loss(student, labels) (see `distillationLoss(student:teacher:labels:temperature:alpha:
/// studentLoss:)`).
///
/// ```swift
/// try student.fit(train, epochs: 10, optimizer: opt,
///                 teacher: teacher, distillation: .hinton(temperature: 4, alpha: 0.9))
/// ```
public struct Distillation: Sendable, Equatable, CustomStringConvertible {
    /// The softmax temperature T > 0 of both teacher and student in the soft term.
    public let temperature: Float
    /// The weight α ∈ [0, 1] of the soft term; 1 − α weighs the loss on the hard labels.
    public let alpha: Float

    /// Hinton et al.'s distillation with temperature T and soft-term weight α (checked by
    /// `fit` and `distillationLoss`: T finite and positive, α in [0, 1]).
    public static func hinton(temperature: Float = 4, alpha: Float = 0.9) -> Distillation {
        Distillation(temperature: temperature, alpha: alpha)
    }

    /// Throws `invalidArgument` unless T is finite and positive and α lies in [0, 1].
    func validate(for function: String) throws {
        guard temperature > 0, temperature.isFinite else {
            throw NNError.invalidArgument(
                function: function,
                message:
                    "the distillation temperature must be finite and positive, got \(temperature)")
        }
        guard alpha >= 0, alpha <= 1 else {
            throw NNError.invalidArgument(
                function: function,
                message: "the distillation alpha must lie in [0, 1], got \(alpha)")
        }
    }

    private init(temperature: Float, alpha: Float) {
        self.temperature = temperature
        self.alpha = alpha
    }

    /// ".hinton(temperature: 4.0, alpha: 0.9)".
    public var description: String { ".hinton(temperature: \(temperature), alpha: \(alpha))" }
}
