// The training loop behind `fit`.
//
// Design note. `fit` builds a `FitConfiguration`, and a `TrainingLoop` runs it: per epoch, the
// batches of a seeded shuffle (the order of epoch e depends only on the run's base seed and e,
// so a resumed run sees the shuffles an uninterrupted one would), one tape per batch through
// `valueWithGradient(of:)`, gradients summed over `gradientAccumulation` batches and averaged
// before each optimizer update, then a validation pass in evaluation mode without the tape.
// Metrics are sums updated in place (`MetricAccumulator`); the History, callbacks and the
// progress observer get one record per epoch and a cheap progress value per batch.
//
// Stopping is explicit: between two batches the caller's interrupt check may throw, a callback
// may request a stop at the end of an epoch, and any error in a batch ends training. In every
// case the model keeps the updates made so far, the History keeps the finished epochs, the
// layers' training flags are restored and every callback's `onTrainEnd` runs (early stopping
// restores its best weights there); then the interrupt's own error, or the failure with its
// epoch, batch and layer, is rethrown.
import Data
import Foundation
import Memory
import Tensor

/// Runs one `fit`.
final class TrainingLoop {
    let model: any Layer
    let configuration: FitConfiguration
    let history: History
    let trainingData: Dataset
    let validationData: Dataset?
    let metrics: [Metric]
    let context: TrainingContext
    let plan: TrainingPlan
    /// The root of every random draw of this run (validation split, shuffles, augmentation).
    let baseSeed: UInt64
    /// Whether the loss gets the model's regularization penalty added.
    let isRegularized: Bool
    var startEpoch = 0
    /// The learning-rate schedule, mutated by the metrics it observes.
    var schedule: (any LearningRateSchedule)?
    /// The metric the schedule observes after each epoch.
    let scheduleMonitor: String
    /// Optimizer updates made so far in the current epoch.
    var updatesInEpoch = 0
    /// The teacher and its logits when the fit distils one into the model.
    var teaching: Teaching?

    init(model: any Layer, data: Dataset, configuration: FitConfiguration, history: History) throws
    {
        try configuration.validate(for: data)
        self.model = model
        self.configuration = configuration
        self.history = history
        metrics = configuration.resolvedMetrics(for: data)
        if let resume = configuration.resume {
            baseSeed = resume.seed
            startEpoch = resume.epochsCompleted
        } else {
            var seedSource =
                configuration.generator ?? RandomGenerator.withDefault { $0.split() }
            baseSeed = seedSource.next()
        }
        if let fraction = configuration.validationSplit {
            var generator = RandomGenerator(seed: baseSeed ^ 0x5851_f42d_4c95_7f2d)
            let parts = try data.split(validationFraction: fraction, using: &generator)
            trainingData = parts.train
            validationData = parts.validation
        } else {
            trainingData = data
            validationData = configuration.validation
        }
        guard trainingData.count > 0 else {
            throw NNError.invalidArgument(
                function: "fit", message: "the validation split leaves no training examples")
        }
        isRegularized = model.hasRegularization
        if let teacher = configuration.teacher {
            teaching = try Teaching(
                teacher: teacher, distillation: configuration.distillation ?? .hinton(),
                student: model)
        } else if configuration.distillation != nil {
            throw NNError.invalidArgument(
                function: "fit", message: "distillation needs a teacher: pass teacher: model")
        }
        let batches = (trainingData.count - 1) / configuration.batchSize + 1
        let updates = (batches - 1) / configuration.gradientAccumulation + 1
        context = TrainingContext(
            model: model, optimizer: configuration.optimizer, history: history,
            epochs: configuration.epochs, batchesPerEpoch: batches)
        let lossParts = teaching == nil ? [] : Teaching.partNames
        let trainNames = ["loss"] + lossParts + metrics.map(\.name)
        // Validation measures the student on the hard labels only: no loss parts.
        let validationNames =
            validationData == nil ? [] : (["loss"] + metrics.map(\.name)).map { "val_" + $0 }
        plan = TrainingPlan(
            epochs: configuration.epochs, startEpoch: startEpoch, batchesPerEpoch: batches,
            updatesPerEpoch: updates, samplesPerEpoch: trainingData.count,
            validationSamples: validationData?.count ?? 0, batchSize: configuration.batchSize,
            metricNames: trainNames + validationNames, lossName: configuration.loss.name,
            optimizerName: configuration.optimizer.name)
        history.lossName = configuration.loss.name
        schedule = configuration.schedule
        scheduleMonitor =
            configuration.scheduleMonitor ?? (validationData == nil ? "loss" : "val_loss")
        if schedule != nil {
            try FitConfiguration.requireMonitored(
                scheduleMonitor, in: plan.metricNames, by: "fit (scheduleMonitor)")
        }
        context.metricNames = plan.metricNames
    }

    /// Runs every epoch from `startEpoch`, then the end hooks, however training ends.
    func run() throws -> History {
        let savedFlags = model.namedLayers().map { ($0.layer, $0.layer.isTraining) }
        history.outcome = .running
        var failure: (any Error)?
        do {
            if let resume = configuration.resume { try restoreTraining(from: resume) }
            try teaching?.prepare(
                for: trainingData, augmented: !configuration.augmentations.isEmpty,
                batchSize: configuration.validationBatchSize,
                checkInterrupt: interruptCheck(epoch: startEpoch, batch: 0))
            if let distributed = configuration.distributed {
                try distributed.broadcastState(of: model, interrupted: isInterrupted)
                try distributed.requireSameBatchCount(
                    context.batchesPerEpoch, interrupted: isInterrupted)
            }
            model.train()
            notify(.began(plan))
            for callback in configuration.callbacks { try callback.onTrainBegin(context) }
            if let resume = configuration.resume { try restoreCallbacks(from: resume) }
            var epoch = startEpoch
            while epoch < configuration.epochs {
                try runEpoch(epoch)
                if let reason = context.stopReason {
                    context.outcome = .stopped(epoch: epoch, reason: reason)
                    break
                }
                epoch += 1
            }
            if context.outcome == .running { context.outcome = .completed }
        } catch let interruption as Interruption {
            context.outcome = .interrupted(epoch: interruption.epoch, batch: interruption.batch)
            failure = interruption.underlying
        } catch let stepFailure as StepFailure {
            context.outcome = .failed(epoch: stepFailure.epoch, message: "\(stepFailure.error)")
            failure = stepFailure.error
        } catch {
            context.outcome = .failed(epoch: context.epoch, message: "\(error)")
            failure = error
        }
        for (layer, wasTraining) in savedFlags { layer.isTraining = wasTraining }
        history.outcome = context.outcome
        for callback in configuration.callbacks {
            do {
                try callback.onTrainEnd(context)
            } catch {
                failure = failure ?? error
            }
        }
        notify(.ended(context.outcome))
        if let failure { throw failure }
        return history
    }

    /// One epoch: training batches, validation, then the record and the epoch-end hooks.
    private func runEpoch(_ epoch: Int) throws {
        context.epoch = epoch
        context.batch = 0
        notify(.epochBegan(epoch: epoch))
        for callback in configuration.callbacks { try callback.onEpochBegin(context) }
        let (training, trainingSeconds) = try trainEpoch(epoch)
        var values = training.dictionary()
        if let distributed = configuration.distributed {
            values = try distributed.reduce(
                values, count: training.sampleCount, interrupted: isInterrupted)
        }
        var names = training.values.map(\.name)
        var validationSeconds = 0.0
        if let validationData {
            let start = ContinuousClock.now
            // The validation batches have other shapes: free the training step's cached
            // buffers before it and its own after it, rather than hold both.
            MemoryBudget.releaseCachedBuffers()
            defer { MemoryBudget.releaseCachedBuffers() }
            let validation = try contextualized(epoch: epoch, batch: nil, input: nil) {
                try model.measure(
                    validationData, batchSize: configuration.validationBatchSize,
                    loss: configuration.loss, metrics: metrics,
                    checkInterrupt: interruptCheck(epoch: epoch, batch: context.batchesPerEpoch))
            }
            validationSeconds = seconds(since: start)
            var validationValues = validation.dictionary(prefix: "val_")
            if let distributed = configuration.distributed {
                validationValues = try distributed.reduce(
                    validationValues, count: validation.sampleCount, interrupted: isInterrupted)
            }
            values.merge(validationValues) { $1 }
            names += validation.values.map { "val_" + $0.name }
        }
        let record = EpochRecord(
            epoch: epoch, metrics: values, metricNames: names, trainingSeconds: trainingSeconds,
            validationSeconds: validationSeconds,
            learningRate: configuration.optimizer.learningRate,
            sampleCount: training.sampleCount)
        history.append(record)
        context.lastEpoch = record
        if let value = values[scheduleMonitor] { schedule?.observe(metric: Float(value)) }
        notify(.epochEnded(record))
        for callback in configuration.callbacks { try callback.onEpochEnd(context) }
        try saveCheckpointIfDue(after: epoch)
    }

    /// The generator of epoch `epoch`'s shuffle and augmentations: a function of the base
    /// seed and the epoch only.
    func epochGenerator(_ epoch: Int) -> RandomGenerator {
        RandomGenerator(
            seed: baseSeed &+ UInt64(truncatingIfNeeded: epoch + 1) &* 0x9e37_79b9_7f4a_7c15)
    }

    func notify(_ event: TrainingEvent) {
        if let distributed = configuration.distributed, !distributed.reportsProgress { return }
        configuration.observer?.observe(event)
    }

    /// Whether the caller's interrupt check throws now (for waits on the other ranks).
    func isInterrupted() -> Bool {
        guard let check = configuration.checkInterrupt else { return false }
        do {
            try check()
            return false
        } catch {
            return true
        }
    }

    /// The caller's interrupt check, with its error marked as an interruption at this point.
    func interruptCheck(epoch: Int, batch: Int) -> (() throws -> Void)? {
        guard let check = configuration.checkInterrupt else { return nil }
        return {
            do {
                try check()
            } catch {
                throw Interruption(underlying: error, epoch: epoch, batch: batch)
            }
        }
    }

    /// Runs `body`, giving any error other than an interruption the epoch, batch and (for a
    /// forward failure on `input`) the layer where it happened.
    func contextualized<Result>(
        epoch: Int, batch: Int?, input: Tensor?, _ body: () throws -> Result
    ) throws -> Result {
        do {
            return try body()
        } catch let error as Interruption {
            throw error
        } catch let error as StepFailure {
            throw error
        } catch {
            let location = input.flatMap { model.locateFailure(on: $0) }
            throw StepFailure(
                error: describeFailure(
                    error, epoch: epoch, batch: batch, batchCount: context.batchesPerEpoch,
                    location: location),
                epoch: epoch)
        }
    }
}

/// The interrupt check threw: training stops between two batches.
struct Interruption: Error {
    let underlying: any Error
    let epoch: Int
    let batch: Int
}

/// A batch (or a validation pass, or a callback) failed; `error` carries the context.
struct StepFailure: Error {
    let error: any Error
    let epoch: Int
}

/// Seconds elapsed since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}
