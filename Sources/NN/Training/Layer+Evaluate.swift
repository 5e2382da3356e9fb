import Data
import Tensor

// Evaluation and prediction: the model in evaluation mode (dropout off, running statistics
// used), no autodiff tape, large batches, data in its stored order.

extension Layer {
    /// The loss and metrics of the model on `data`, as Keras's `evaluate`: ["loss": 0.33,
    /// "accuracy": 0.88].
    ///
    /// The loss includes the model's regularization penalty (as it does during `fit`), so it is
    /// comparable with the training loss.
    ///
    /// ```swift
    /// try model.evaluate(data.test)                                   // loss and accuracy
    /// try model.evaluate(data.test, metrics: [.accuracy, .f1])
    /// ```
    /// - Parameters:
    ///   - data: The examples to evaluate on.
    ///   - batchSize: Examples per forward pass (larger is faster, up to memory).
    ///   - loss: The loss to report.
    ///   - metrics: The metrics to report; nil means accuracy for a classification set.
    ///   - checkInterrupt: Called between batches; whatever it throws ends the evaluation.
    public func evaluate(
        _ data: Dataset, batchSize: Int = 256, loss: Loss = .softmaxCrossEntropy(),
        metrics: [Metric]? = nil, checkInterrupt: (() throws -> Void)? = nil
    ) throws -> [String: Double] {
        let chosen = metrics ?? (data.isClassification ? [.accuracy] : [])
        let accumulator = try measure(
            data, batchSize: batchSize, loss: loss, metrics: chosen,
            checkInterrupt: checkInterrupt)
        return accumulator.dictionary()
    }

    /// The loss and metrics of the model on inputs `x` and targets `y` (see
    /// `evaluate(_:batchSize:loss:metrics:checkInterrupt:)`).
    ///
    /// ```swift
    /// try model.evaluate(x: points, y: labels, metrics: [.accuracy])
    /// ```
    public func evaluate(
        x: Tensor, y: Tensor, batchSize: Int = 256, loss: Loss = .softmaxCrossEntropy(),
        metrics: [Metric] = [.accuracy], checkInterrupt: (() throws -> Void)? = nil
    ) throws -> [String: Double] {
        try requireBatchSize(batchSize, "evaluate")
        guard x.shape.first == y.shape.first, x.rank >= 1, y.rank >= 1 else {
            throw NNError.targetMismatch(
                loss: "evaluate", prediction: x.shape, target: y.shape,
                detail: "inputs and targets need the same number of examples along axis 0")
        }
        for metric in metrics { try metric.validate() }
        var accumulator = MetricAccumulator(metrics: metrics)
        let count = x.shape.first ?? 0
        try evaluating {
            try withoutGradient {
                var start = 0
                while start < count {
                    try checkInterrupt?()
                    let end = Swift.min(start + batchSize, count)
                    let (inputs, targets) = (try x[start..<end], try y[start..<end])
                    let prediction = try self(inputs)
                    accumulator.addLoss(
                        try loss(prediction, targets).scalarized(), count: end - start)
                    try accumulator.addPredictions(prediction, targets: targets)
                    start = end
                }
                try addRegularization(to: &accumulator)
            }
        }
        return accumulator.dictionary()
    }

    /// The model's outputs for every example of `data`, in order, as one tensor `[N, …]`
    /// (logits for a classifier).
    ///
    /// ```swift
    /// let logits = try model.predict(data.test)            // [10000, 10]
    /// let classes = try logits.argmax(alongAxis: 1)
    /// ```
    public func predict(
        _ data: Dataset, batchSize: Int = 256, checkInterrupt: (() throws -> Void)? = nil
    ) throws -> Tensor {
        try requireBatchSize(batchSize, "predict")
        var outputs: [Tensor] = []
        try evaluating {
            try withoutGradient {
                var generator = RandomGenerator(seed: 0)
                var batches = try data.batches(of: batchSize, using: &generator).makeIterator()
                while let batch = try batches.next() {
                    try checkInterrupt?()
                    outputs.append(try self(batch.x))
                }
            }
        }
        return try joinBatches(outputs, operation: "predict")
    }

    /// The model's outputs for the inputs `x` `[N, …]`, computed `batchSize` examples at a
    /// time in evaluation mode without the tape.
    ///
    /// ```swift
    /// let logits = try model.predict(images)
    /// ```
    public func predict(
        _ x: Tensor, batchSize: Int = 256, checkInterrupt: (() throws -> Void)? = nil
    ) throws -> Tensor {
        try requireBatchSize(batchSize, "predict")
        guard let count = x.shape.first else {
            throw NNError.invalidInput(
                layer: "predict", expected: "inputs with a batch axis [N, …]", actual: x.shape)
        }
        var outputs: [Tensor] = []
        try evaluating {
            try withoutGradient {
                var start = 0
                while start < count {
                    try checkInterrupt?()
                    let end = Swift.min(start + batchSize, count)
                    outputs.append(try self(try x[start..<end]))
                    start = end
                }
            }
        }
        return try joinBatches(outputs, operation: "predict")
    }

    /// The confusion matrix of the model's predicted classes against `data`'s labels, with the
    /// data set's class names.
    ///
    /// ```swift
    /// let matrix = try model.confusionMatrix(data.test)
    /// matrix.rows                  // 10 × 10 counts
    /// ```
    public func confusionMatrix(
        _ data: Dataset, batchSize: Int = 256, checkInterrupt: (() throws -> Void)? = nil
    ) throws -> ConfusionMatrix {
        guard data.isClassification else {
            throw NNError.invalidArgument(
                function: "confusionMatrix", message: "\(data.name) is a regression data set")
        }
        var accumulator = MetricAccumulator(metrics: [.precision], classNames: data.classNames)
        var generator = RandomGenerator(seed: 0)
        try evaluating {
            try withoutGradient {
                var batches = try data.batches(of: batchSize, using: &generator).makeIterator()
                while let batch = try batches.next() {
                    try checkInterrupt?()
                    try accumulator.addPredictions(try self(batch.x), targets: batch.y)
                }
            }
        }
        return accumulator.confusion ?? ConfusionMatrix(classNames: data.classNames)
    }

    // MARK: - Shared with fit

    /// Runs the model over `data` in evaluation mode without the tape and accumulates the loss
    /// (plus the regularization penalty) and `metrics`.
    func measure(
        _ data: Dataset, batchSize: Int, loss: Loss, metrics: [Metric],
        checkInterrupt: (() throws -> Void)?
    ) throws -> MetricAccumulator {
        try requireBatchSize(batchSize, "evaluate")
        for metric in metrics { try metric.validate() }
        var accumulator = MetricAccumulator(
            metrics: metrics, classNames: data.isClassification ? data.classNames : nil)
        var generator = RandomGenerator(seed: 0)
        try evaluating {
            try withoutGradient {
                var batches = try data.batches(of: batchSize, using: &generator).makeIterator()
                while let batch = try batches.next() {
                    try checkInterrupt?()
                    let prediction = try self(batch.x)
                    accumulator.addLoss(
                        try loss(prediction, batch.y).scalarized(), count: batch.count)
                    try accumulator.addPredictions(prediction, targets: batch.y)
                }
                try addRegularization(to: &accumulator)
            }
        }
        return accumulator
    }

    /// Adds the model's regularization penalty (a constant over the pass) to the mean loss.
    func addRegularization(to accumulator: inout MetricAccumulator) throws {
        guard hasRegularization, accumulator.sampleCount > 0 else { return }
        let penalty = try regularizationLoss().scalarized()
        accumulator.addToMeanLoss(penalty)
    }

    /// Whether any layer of the model has a regularizer.
    var hasRegularization: Bool {
        namedLayers().contains { (try? $0.layer.ownRegularizationPenalty()) != nil }
    }
}

/// Throws unless `batchSize` is at least 1.
func requireBatchSize(_ batchSize: Int, _ function: String) throws {
    guard batchSize >= 1 else {
        throw NNError.invalidArgument(
            function: function, message: "the batch size must be at least 1, got \(batchSize)")
    }
}

/// The batch outputs stacked along axis 0 (one tensor when there is only one).
private func joinBatches(_ outputs: [Tensor], operation: String) throws -> Tensor {
    guard let first = outputs.first else {
        throw NNError.invalidArgument(function: operation, message: "there are no examples")
    }
    return outputs.count == 1 ? first : try Tensor.concatenate(outputs, alongAxis: 0)
}
