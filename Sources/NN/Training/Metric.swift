import Tensor

/// A quantity measured over a data set while training or evaluating, besides the loss (which is
/// always measured): `fit` reports each one per epoch for the training and validation data,
/// `evaluate` returns them by `name`.
///
/// Classification metrics read logits `[N, C]` (the predicted class is the largest; a single
/// logit per example, `[N]` or `[N, 1]`, predicts class 1 when positive) against class indices
/// `[N]`. Precision, recall and F1 are macro averages over the classes that occur in the targets
/// or the predictions, as scikit-learn's `average="macro"` (a class never predicted has
/// precision 0).
///
/// ```swift
/// let history = try model.fit(data.train, epochs: 5, optimizer: opt,
///                             metrics: [.accuracy, .topKAccuracy(3), .f1])
/// try model.evaluate(data.test, metrics: [.accuracy, .precision])   // ["loss": …, "accuracy": …]
/// ```
public enum Metric: Sendable {
    /// The share of examples whose predicted class is the target.
    case accuracy
    /// The share of examples whose target is among the `k` largest logits.
    case topKAccuracy(Int)
    /// Macro-averaged precision: per class, true positives over predicted positives.
    case precision
    /// Macro-averaged recall: per class, true positives over actual positives.
    case recall
    /// Macro-averaged F1: per class, the harmonic mean of precision and recall.
    case f1
    /// The mean absolute difference between prediction and target (regression).
    case meanAbsoluteError
    /// The mean squared difference between prediction and target (regression).
    case meanSquaredError
    /// A metric computed per batch by `function(prediction, target)` and averaged over the
    /// examples (each batch weighted by its size).
    case custom(name: String, function: @Sendable (Tensor, Tensor) throws -> Double)

    /// The key under which the metric is reported ("accuracy", "top_5_accuracy", "f1", "mae").
    public var name: String {
        switch self {
        case .accuracy: return "accuracy"
        case .topKAccuracy(let k): return "top_\(k)_accuracy"
        case .precision: return "precision"
        case .recall: return "recall"
        case .f1: return "f1"
        case .meanAbsoluteError: return "mae"
        case .meanSquaredError: return "mse"
        case .custom(let name, _): return name
        }
    }

    /// The metric called `name` ("accuracy", "top_5_accuracy", "precision", "recall", "f1",
    /// "mae", "mse"), or nil for an unknown name; what a cell's `metrics: ["accuracy"]` binds to.
    ///
    /// ```swift
    /// Metric(named: "top_3_accuracy")   // .topKAccuracy(3)
    /// ```
    public init?(named name: String) {
        switch name {
        case "accuracy", "acc": self = .accuracy
        case "precision": self = .precision
        case "recall": self = .recall
        case "f1": self = .f1
        case "mae", "meanAbsoluteError": self = .meanAbsoluteError
        case "mse", "meanSquaredError": self = .meanSquaredError
        default:
            guard name.hasPrefix("top_"), name.hasSuffix("_accuracy"),
                let k = Int(name.dropFirst(4).dropLast(9)), k >= 1
            else { return nil }
            self = .topKAccuracy(k)
        }
    }

    /// Whether a larger value is better (true for everything but the error metrics), which is
    /// what early stopping and checkpoint selection use when told `mode: .auto`.
    public var higherIsBetter: Bool {
        switch self {
        case .meanAbsoluteError, .meanSquaredError: return false
        default: return true
        }
    }

    /// Whether the metric compares predicted classes (and needs class-index targets).
    var isClassification: Bool {
        switch self {
        case .accuracy, .topKAccuracy, .precision, .recall, .f1: return true
        case .meanAbsoluteError, .meanSquaredError, .custom: return false
        }
    }

    /// Throws unless the metric's own arguments are valid.
    func validate() throws {
        if case .topKAccuracy(let k) = self, k < 1 {
            throw NNError.invalidArgument(
                function: "Metric.topKAccuracy", message: "k must be at least 1, got \(k)")
        }
    }
}

/// Which way a monitored quantity should move: what early stopping, checkpoint selection and
/// plateau detection compare with.
public enum MonitorMode: String, Sendable, Hashable, Codable {
    /// Lower is better (a loss, an error).
    case min
    /// Higher is better (an accuracy, an F1 score).
    case max
    /// `max` for accuracies, precision, recall and F1 and `min` for everything else, judged
    /// from the name as Keras does.
    case auto

    /// `min` or `max` for the quantity called `name`.
    public func resolved(for name: String) -> MonitorMode {
        guard self == .auto else { return self }
        let base = name.hasPrefix("val_") ? String(name.dropFirst(4)) : name
        let higher = ["accuracy", "acc", "precision", "recall", "f1"]
        return higher.contains { base == $0 || base.hasSuffix("_" + $0) } ? .max : .min
    }

    /// Whether `value` beats `best` by more than `minDelta` in this (resolved) direction.
    func improves(_ value: Double, on best: Double, minDelta: Double) -> Bool {
        switch self {
        case .max: return value > best + Swift.abs(minDelta)
        case .min, .auto: return value < best - Swift.abs(minDelta)
        }
    }
}
