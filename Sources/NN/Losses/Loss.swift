import Tensor

/// A loss function with its name: what `fit` takes and what History reports.
///
/// ```swift
/// let loss = Loss.softmaxCrossEntropy(labelSmoothing: 0.1)
/// let value = try loss(model(x), y)
/// ```
public struct Loss: Sendable {
    /// The name shown in progress and history ("softmaxCrossEntropy").
    public let name: String
    private let function: @Sendable (Tensor, Tensor) throws -> Tensor

    /// A loss named `name` computing `function(prediction, target)`.
    public init(name: String, _ function: @escaping @Sendable (Tensor, Tensor) throws -> Tensor) {
        self.name = name
        self.function = function
    }

    /// The loss of `prediction` against `target`.
    public func callAsFunction(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try function(prediction, target)
    }

    /// Softmax cross-entropy from logits (see `softmaxCrossEntropy(_:_:labelSmoothing:classWeights:reduction:)`).
    public static func softmaxCrossEntropy(
        labelSmoothing: Float = 0, classWeights: Tensor? = nil
    ) -> Loss {
        Loss(name: "softmaxCrossEntropy") {
            try NN.softmaxCrossEntropy(
                $0, $1, labelSmoothing: labelSmoothing, classWeights: classWeights)
        }
    }

    /// Binary cross-entropy from logits (see `binaryCrossEntropy(_:_:positiveWeight:reduction:)`).
    public static func binaryCrossEntropy(positiveWeight: Tensor? = nil) -> Loss {
        Loss(name: "binaryCrossEntropy") {
            try NN.binaryCrossEntropy($0, $1, positiveWeight: positiveWeight)
        }
    }

    /// Mean squared error.
    public static var meanSquaredError: Loss {
        Loss(name: "meanSquaredError") { try NN.meanSquaredError($0, $1) }
    }

    /// Mean absolute error.
    public static var meanAbsoluteError: Loss {
        Loss(name: "meanAbsoluteError") { try NN.meanAbsoluteError($0, $1) }
    }

    /// The Huber loss with threshold `delta`.
    public static func huber(delta: Float = 1) -> Loss {
        Loss(name: "huber") { try NN.huberLoss($0, $1, delta: delta) }
    }

    /// The distillation loss T²·KL(softmax(teacher/T) ‖ softmax(student/T)), the target being
    /// the teacher's logits.
    public static func distillation(temperature: Float) -> Loss {
        Loss(name: "distillation") {
            try NN.klDivergence(logits: $0, targetLogits: $1, temperature: temperature)
        }
    }
}
