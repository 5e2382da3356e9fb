import Data
import Tensor

extension Layer {
    /// Trains the model in place on `data` for `epochs` epochs, as Keras's `fit`, and returns
    /// the History of per-epoch metrics.
    ///
    /// Each epoch visits the examples in a new seeded order, takes one gradient per batch of
    /// the loss (plus the model's regularization penalty), averages it over
    /// `gradientAccumulation` batches and lets `optimizer` update the model; then measures the
    /// loss and `metrics` on the validation data in evaluation mode. Progress goes to
    /// `observer`; `callbacks` run at every batch and epoch boundary.
    ///
    /// Between two batches `checkInterrupt` is called: if it throws, training stops there, the
    /// model keeps its updates, `history` keeps the finished epochs, every callback's
    /// `onTrainEnd` runs (early stopping restores the best weights), and the error is rethrown
    /// as it was. An error inside a batch is rethrown as `NNError.invalidArgument` naming the
    /// epoch, the batch and, for a Sequential, the layer that failed; the model stays usable.
    ///
    /// ```swift
    /// let opt = try Adam(learningRate: 1e-3)
    /// let history = try model.fit(data.train, epochs: 10, batchSize: 128, optimizer: opt,
    ///                             validation: data.test)
    /// history["val_accuracy"].last     // 0.88
    /// ```
    ///
    /// - Parameters:
    ///   - data: The training examples.
    ///   - epochs: The number of passes over `data`.
    ///   - batchSize: Examples per batch.
    ///   - optimizer: Updates the parameters; its state carries over between calls.
    ///   - loss: The loss to minimize (softmax cross-entropy from logits by default).
    ///   - validation: Data measured after each epoch (metrics prefixed `val_`).
    ///   - validationSplit: Instead of `validation`, a fraction of `data` held out (stratified,
    ///     drawn from the run's seed).
    ///   - validationBatchSize: Examples per forward pass of the validation.
    ///   - metrics: Measured besides the loss; nil means accuracy on a classification set.
    ///   - callbacks: Run at batch and epoch boundaries (`EarlyStopping`, your own).
    ///   - shuffle: Whether each epoch visits the examples in a new random order.
    ///   - augmentations: Random transforms applied to every training batch.
    ///   - gradientAccumulation: Batches whose gradients are averaged into one update (an
    ///     effective batch of `batchSize × gradientAccumulation`).
    ///   - schedule: Sets the optimizer's learning rate before every update from the epoch
    ///     and the update's position in it (per-step schedules such as `OneCycle`, per-epoch
    ///     ones such as `StepDecay`); a `ReduceOnPlateau` observes `scheduleMonitor` after
    ///     each epoch.
    ///   - scheduleMonitor: The metric the schedule observes ("val_loss" when there is
    ///     validation data, "loss" otherwise).
    ///   - checkpoint: Where and how often to save a `TrainingCheckpoint` (after epochs).
    ///   - resume: A checkpoint to continue from: the model, optimizer, History, seed and
    ///     callback states are restored and training goes on at epoch
    ///     `resume.epochsCompleted` up to `epochs` (counted from the start of the run).
    ///   - generator: The source of the run's seed (shuffles, split, augmentation); nil draws
    ///     one from the default generator, so `seed(42)` makes the run reproducible.
    ///   - history: A History to record into (kept by the caller, it survives an interrupt).
    ///   - observer: Receives progress events.
    ///   - checkInterrupt: Called between batches; throwing stops training cleanly.
    ///   - teacher: A trained model to distil into this one (Hinton et al., 2015): each batch's
    ///     loss becomes α·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − α)·`loss`. The
    ///     teacher runs in evaluation mode without the tape and is never changed; without
    ///     augmentations its logits on `data` are computed once (`predict`) and looked up per
    ///     example, with augmentations it runs on every batch as the student sees it. The History
    ///     records `distillation_loss` (T²·KL) and `student_loss` (`loss` on the labels) beside
    ///     `loss`; validation measures `loss` on the labels only.
    ///   - distillation: The temperature and weight (`.hinton(temperature: 4, alpha: 0.9)`, the
    ///     default when a teacher is given).
    ///   - distributed: Train data-parallel with the other ranks of a cluster (each on its
    ///     own shard of the data): same start weights, gradients averaged over the ranks before
    ///     every update, metrics reduced over the ranks, progress on rank 0 (`DataParallel`).
    @discardableResult
    public func fit(
        _ data: Dataset, epochs: Int = 1, batchSize: Int = 32, optimizer: any Optimizer,
        loss: Loss = .softmaxCrossEntropy(), validation: Dataset? = nil,
        validationSplit: Double? = nil, validationBatchSize: Int = 256, metrics: [Metric]? = nil,
        callbacks: [any Callback] = [], shuffle: Bool = true, augmentations: [Augmentation] = [],
        gradientAccumulation: Int = 1, schedule: (any LearningRateSchedule)? = nil,
        scheduleMonitor: String? = nil, checkpoint: CheckpointPolicy? = nil,
        resume: TrainingCheckpoint? = nil, generator: RandomGenerator? = nil,
        history: History = History(), observer: (any TrainingObserver)? = nil,
        checkInterrupt: (() throws -> Void)? = nil, teacher: (any Layer)? = nil,
        distillation: Distillation? = nil, distributed: DataParallel? = nil
    ) throws -> History {
        let configuration = FitConfiguration(
            epochs: epochs, batchSize: batchSize, optimizer: optimizer, loss: loss,
            validation: validation, validationSplit: validationSplit,
            validationBatchSize: validationBatchSize, metrics: metrics, callbacks: callbacks,
            shuffle: shuffle, augmentations: augmentations,
            gradientAccumulation: gradientAccumulation, schedule: schedule,
            scheduleMonitor: scheduleMonitor, checkpoint: checkpoint, resume: resume,
            generator: generator,
            observer: observer, checkInterrupt: checkInterrupt, teacher: teacher,
            distillation: distillation, distributed: distributed)
        let loop = try TrainingLoop(
            model: self, data: data, configuration: configuration, history: history)
        return try loop.run()
    }
}
