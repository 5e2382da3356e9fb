import Tensor

/// Running sums for the loss and a list of metrics over the batches of one pass (an epoch of
/// training, a validation or evaluation run), updated in place batch by batch.
///
/// The loss is summed as loss × batch size, so the mean over the pass weights every example
/// equally whatever the last batch's size; classification metrics count hits and, when
/// precision, recall or F1 are asked for, fill a confusion matrix.
struct MetricAccumulator: Sendable {
    /// The metrics accumulated besides the loss.
    let metrics: [Metric]
    /// Examples seen so far.
    private(set) var sampleCount = 0
    private var lossSum: Double = 0
    private var lossCount = 0
    private var correct = 0
    /// Hits per `topKAccuracy` metric, in `metrics` order (0 for the others).
    private var topKHits: [Int]
    private var absoluteErrorSum: Double = 0
    private var squaredErrorSum: Double = 0
    private var regressionValueCount = 0
    /// Sum of batch value × batch size per custom metric, in `metrics` order.
    private var customSums: [Double]
    /// The names of the loss's recorded terms (distillation's two), reported after "loss".
    let lossPartNames: [String]
    /// Sum of batch term × batch size per loss part, in `lossPartNames` order.
    private var lossPartSums: [Double]
    /// Filled only when a macro metric is asked for.
    private(set) var confusion: ConfusionMatrix?
    private let needsClasses: Bool
    private let needsConfusion: Bool
    private let needsRegression: Bool

    /// An empty accumulator; `classNames` sizes the confusion matrix (nil: from the logits);
    /// `lossParts` names terms of the loss recorded beside it.
    init(metrics: [Metric], classNames: [String]? = nil, lossParts: [String] = []) {
        self.metrics = metrics
        lossPartNames = lossParts
        lossPartSums = [Double](repeating: 0, count: lossParts.count)
        topKHits = [Int](repeating: 0, count: metrics.count)
        customSums = [Double](repeating: 0, count: metrics.count)
        needsClasses = metrics.contains { $0.isClassification }
        needsConfusion = metrics.contains {
            switch $0 {
            case .precision, .recall, .f1: return true
            default: return false
            }
        }
        needsRegression = metrics.contains {
            switch $0 {
            case .meanAbsoluteError, .meanSquaredError: return true
            default: return false
            }
        }
        if needsConfusion, let classNames { confusion = ConfusionMatrix(classNames: classNames) }
    }

    /// The mean loss so far (0 before any batch).
    var meanLoss: Double { lossCount == 0 ? 0 : lossSum / Double(lossCount) }

    /// Adds a batch's mean loss over `count` examples.
    mutating func addLoss(_ loss: Float, count: Int) {
        lossSum += Double(loss) * Double(count)
        lossCount += count
    }

    /// Adds a batch's mean value of each loss part (in `lossPartNames` order) over `count`
    /// examples.
    mutating func addLossParts(_ parts: [Float], count: Int) {
        for (index, part) in zip(lossPartSums.indices, parts) {
            lossPartSums[index] += Double(part) * Double(count)
        }
    }

    /// Adds `value` to the mean loss (a penalty that is the same for every example).
    mutating func addToMeanLoss(_ value: Float) {
        lossSum += Double(value) * Double(lossCount)
    }

    /// Adds a batch of predictions against its targets to every metric.
    mutating func addPredictions(_ prediction: Tensor, targets: Tensor) throws {
        let count = prediction.shape.first ?? 0
        sampleCount += count
        if needsClasses { try addClassification(prediction, targets: targets) }
        if needsRegression { try addRegression(prediction, targets: targets) }
        for (index, metric) in metrics.enumerated() {
            if case .custom(_, let function) = metric {
                customSums[index] += try function(prediction, targets) * Double(count)
            }
        }
    }

    /// The value of every metric, in order: the loss, its parts, then the metrics.
    var values: [(name: String, value: Double)] {
        let count = Double(max(lossCount, 1))
        let parts = zip(lossPartNames, lossPartSums).map { ($0, $1 / count) }
        return [("loss", meanLoss)] + parts
            + metrics.indices.map { (metrics[$0].name, value(at: $0)) }
    }

    /// The values keyed by name, each prefixed by `prefix` ("val_").
    func dictionary(prefix: String = "") -> [String: Double] {
        var result: [String: Double] = [:]
        for (name, value) in values { result[prefix + name] = value }
        return result
    }

    private func value(at index: Int) -> Double {
        let samples = Double(max(sampleCount, 1))
        switch metrics[index] {
        case .accuracy: return Double(correct) / samples
        case .topKAccuracy: return Double(topKHits[index]) / samples
        case .precision: return confusion?.macroPrecision ?? 0
        case .recall: return confusion?.macroRecall ?? 0
        case .f1: return confusion?.macroF1 ?? 0
        case .meanAbsoluteError:
            return absoluteErrorSum / Double(max(regressionValueCount, 1))
        case .meanSquaredError:
            return squaredErrorSum / Double(max(regressionValueCount, 1))
        case .custom: return customSums[index] / samples
        }
    }

    // MARK: - Classification

    private mutating func addClassification(_ prediction: Tensor, targets: Tensor) throws {
        let rows = prediction.shape.first ?? 0
        let classes = prediction.rank == 2 ? prediction.shape[1] : 1
        guard prediction.rank == 1 || prediction.rank == 2, targets.elementCount == rows else {
            throw NNError.targetMismatch(
                loss: "classification metrics", prediction: prediction.shape,
                target: targets.shape,
                detail: "they need logits [N, classes] and class indices [N]")
        }
        let logits = prediction.scalars
        let labels = targets.scalars
        if needsConfusion, confusion == nil {
            confusion = ConfusionMatrix(classCount: classes == 1 ? 2 : classes)
        }
        for row in 0..<rows {
            // A label that is not a whole number in range counts as a miss, never a trap.
            let label = Int(exactly: labels[row].rounded()) ?? -1
            let predicted: Int
            if classes == 1 {
                predicted = logits[row] > 0 ? 1 : 0
                if predicted == label { correct += 1 }
                for index in metrics.indices {
                    // Two classes: the target is always among the top 2.
                    if case .topKAccuracy(let k) = metrics[index], predicted == label || k >= 2 {
                        topKHits[index] += 1
                    }
                }
            } else {
                let start = row * classes
                var best = 0
                for column in 1..<max(classes, 1)
                where logits[start + column] > logits[start + best] {
                    best = column
                }
                predicted = best
                if predicted == label { correct += 1 }
                if label >= 0, label < classes {
                    // The rank of the target: how many logits beat it strictly.
                    let target = logits[start + label]
                    var above = 0
                    for column in 0..<classes where logits[start + column] > target { above += 1 }
                    for index in metrics.indices {
                        if case .topKAccuracy(let k) = metrics[index], above < k {
                            topKHits[index] += 1
                        }
                    }
                }
            }
            confusion?.add(actual: label, predicted: predicted)
        }
    }

    // MARK: - Regression

    private mutating func addRegression(_ prediction: Tensor, targets: Tensor) throws {
        guard prediction.elementCount == targets.elementCount else {
            throw NNError.targetMismatch(
                loss: "regression metrics", prediction: prediction.shape, target: targets.shape,
                detail: "prediction and target must have as many values")
        }
        let predicted = prediction.scalars
        let actual = targets.scalars
        for index in predicted.indices {
            let difference = Double(predicted[index]) - Double(actual[index])
            absoluteErrorSum += Swift.abs(difference)
            squaredErrorSum += difference * difference
        }
        regressionValueCount += predicted.count
    }
}
