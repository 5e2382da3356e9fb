import Data
import Foundation
import Tensor

// One training epoch: batches in the epoch's seeded order, a tape per batch, gradients
// accumulated and averaged over `gradientAccumulation` batches before each update.

extension TrainingLoop {
    /// Trains on every batch of epoch `epoch`; returns the epoch's running metrics and the
    /// seconds it took.
    func trainEpoch(_ epoch: Int) throws -> (MetricAccumulator, Double) {
        var generator = epochGenerator(epoch)
        let batches = try trainingData.batches(
            of: configuration.batchSize, shuffled: configuration.shuffle,
            augmentations: configuration.augmentations, using: &generator)
        var iterator = batches.makeIterator()
        var accumulator = MetricAccumulator(
            metrics: metrics,
            classNames: trainingData.isClassification ? trainingData.classNames : nil,
            lossParts: teaching == nil ? [] : Teaching.partNames)
        let accumulation = configuration.gradientAccumulation
        var pending: Gradients?
        var pendingCount = 0
        updatesInEpoch = 0
        history.reserveBatchLosses(batches.count)
        let start = ContinuousClock.now
        for batchIndex in 0..<batches.count {
            try interruptCheck(epoch: epoch, batch: batchIndex)?()
            context.batch = batchIndex
            if pendingCount == 0 { applySchedule(epoch: epoch) }
            for callback in configuration.callbacks { try callback.onBatchBegin(context) }
            guard let batch = try iterator.next() else { break }
            let positions = try batches.positions(ofBatch: batchIndex)
            // With one batch per update, the gradients' allreduces overlap the backward pass.
            let reduction = try contextualized(epoch: epoch, batch: batchIndex, input: nil) {
                try configuration.distributed?.beginStep(
                    of: model, batchesPerUpdate: accumulation, interrupted: isInterrupted)
            }
            let (loss, parts, prediction, gradients) = try contextualized(
                epoch: epoch, batch: batchIndex, input: batch.x
            ) {
                try forwardAndBackward(
                    batch, at: positions, observer: reduction?.backwardObserver)
            }
            if var sum = pending {
                pending = nil
                try sum.accumulate(gradients)
                pending = sum
            } else {
                pending = gradients
            }
            pendingCount += 1
            let isLast = batchIndex == batches.count - 1
            if pendingCount == accumulation || isLast, var sum = pending {
                pending = nil
                try contextualized(epoch: epoch, batch: batchIndex, input: nil) {
                    if pendingCount > 1 { try sum.scale(by: 1 / Float(pendingCount)) }
                    try reduction?.finish(&sum, interrupted: isInterrupted)
                    try update(along: sum)
                }
                pendingCount = 0
            }
            // Drop the previous progress value first, so the running sums are updated in
            // place rather than copied.
            context.lastBatch = nil
            accumulator.addLoss(loss, count: batch.count)
            if let parts { accumulator.addLossParts(parts, count: batch.count) }
            try contextualized(epoch: epoch, batch: batchIndex, input: nil) {
                try accumulator.addPredictions(prediction, targets: batch.y)
            }
            history.appendBatchLoss(loss)
            let progress = BatchProgress(
                epoch: epoch, batch: batchIndex, batchCount: batches.count,
                samplesSeen: accumulator.sampleCount, elapsedSeconds: seconds(since: start),
                batchLoss: loss, learningRate: configuration.optimizer.learningRate,
                accumulator: accumulator)
            context.lastBatch = progress
            notify(.batchEnded(progress))
            for callback in configuration.callbacks { try callback.onBatchEnd(context) }
        }
        return (accumulator, seconds(since: start))
    }

    /// The loss (with the regularization penalty), its parts when distilling, the model's
    /// output and the gradients for one batch, whose examples sit at `positions` in the
    /// training set; `observer` watches the backward pass.
    private func forwardAndBackward(
        _ batch: Batch, at positions: ArraySlice<Int>, observer: (any BackwardObserver)?
    ) throws -> (Float, [Float]?, Tensor, Gradients) {
        guard let teaching else {
            let step = try lossAndGradients(
                of: model, on: batch, loss: configuration.loss, regularized: isRegularized,
                observer: observer)
            return (step.loss, nil, step.output, step.gradients)
        }
        let step = try distillationLossAndGradients(
            of: model, on: batch, teacherLogits: try teaching.logits(for: batch, at: positions),
            distillation: teaching.distillation, studentLoss: configuration.loss,
            regularized: isRegularized, observer: observer)
        return (step.loss, step.parts, step.output, step.gradients)
    }

    /// Sets the learning rate of the next update from the schedule (at the first batch of
    /// each accumulation group, so callbacks and progress see the rate that will be used).
    private func applySchedule(epoch: Int) {
        schedule?.apply(
            to: configuration.optimizer,
            at: TrainingPosition(
                epoch: epoch, step: updatesInEpoch, stepsPerEpoch: plan.updatesPerEpoch))
    }

    /// Applies one optimizer update.
    private func update(along gradients: Gradients) throws {
        try configuration.optimizer.update(model, along: gradients)
        updatesInEpoch += 1
    }
}

/// The loss of `model` on `batch` (plus the regularization penalty when `regularized`), the
/// model's output (detached) and the gradients: one training step before the update.
/// `observer` watches the backward pass.
func lossAndGradients(
    of model: any Layer, on batch: Batch, loss: Loss, regularized: Bool,
    observer: (any BackwardObserver)? = nil
) throws -> (loss: Float, output: Tensor, gradients: Gradients) {
    var output: Tensor?
    let (value, gradients) = try differentiate(model, observer: observer) { layer in
        let prediction = try layer(batch.x)
        output = prediction.detached
        let dataLoss = try loss(prediction, batch.y)
        return regularized ? try dataLoss + layer.regularizationLoss() : dataLoss
    }
    guard let output else {
        throw NNError.unsupported("fit: the loss did not run the model")
    }
    return (try value.scalarized(), output, gradients)
}

/// `valueWithGradient(of:)` for a model known only as `any Layer`.
func differentiate(
    _ model: any Layer, observer: (any BackwardObserver)? = nil,
    _ loss: (any Layer) throws -> Tensor
) throws -> (value: Tensor, gradients: Gradients) {
    try valueWithGradient(of: model, observer: observer) { opened in try loss(opened) }
}
