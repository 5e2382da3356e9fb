import Foundation
import Tensor

// Saving a checkpoint after an epoch, and taking one back before the first epoch of a resumed
// run, so the run continues as if it had never stopped.

extension TrainingLoop {
    /// Loads the model, the optimizer, the History and the schedule's observations from
    /// `checkpoint` (before training begins).
    func restoreTraining(from checkpoint: TrainingCheckpoint) throws {
        let optimizer = configuration.optimizer
        guard checkpoint.optimizerName == optimizer.name else {
            throw NNError.invalidArgument(
                function: "fit (resume)",
                message: "the checkpoint was made with \(checkpoint.optimizerName), this fit "
                    + "uses \(optimizer.name); resume with the same optimizer")
        }
        try model.load(stateDict: checkpoint.modelState)
        try optimizer.load(stateDict: checkpoint.optimizerState, for: model)
        optimizer.learningRate = checkpoint.learningRate
        history.replaceContents(with: checkpoint.history)
        context.lastEpoch = history.epochs.last
        // A plateau schedule's state is a function of the values it observed: replay them.
        for record in history.epochs {
            if let value = record.metrics[scheduleMonitor] {
                schedule?.observe(metric: Float(value))
            }
        }
    }

    /// Gives each checkpointing callback its saved state (after `onTrainBegin`).
    func restoreCallbacks(from checkpoint: TrainingCheckpoint) throws {
        for callback in try checkpointingCallbacks() {
            if let state = checkpoint.callbackStates[callback.checkpointKey] {
                try callback.restore(from: state, model: model)
            }
        }
    }

    /// Writes a checkpoint after epoch `epoch` if the policy says one is due.
    func saveCheckpointIfDue(after epoch: Int) throws {
        guard let policy = configuration.checkpoint else { return }
        let completed = epoch + 1
        let isLast = completed == configuration.epochs || context.isStopRequested
        guard policy.isDue(afterEpochs: completed, isLast: isLast) else { return }
        var callbackStates: [String: CallbackState] = [:]
        for callback in try checkpointingCallbacks() {
            callbackStates[callback.checkpointKey] = try callback.checkpointState()
        }
        let optimizer = configuration.optimizer
        let checkpoint = TrainingCheckpoint(
            epochsCompleted: completed, modelState: model.stateDict(),
            optimizerState: try optimizer.stateDict(for: model), optimizerName: optimizer.name,
            learningRate: optimizer.learningRate, seed: baseSeed,
            callbackStates: callbackStates, history: history.contents)
        let path = policy.path(afterEpochs: completed)
        try checkpoint.write(to: path)
        policy.pruneOldCheckpoints()
        context.lastCheckpointPath = path
    }

    /// The callbacks with checkpoint state, checked to have distinct keys.
    func checkpointingCallbacks() throws -> [any CheckpointingCallback] {
        let callbacks = configuration.callbacks.compactMap { $0 as? any CheckpointingCallback }
        var keys = Set<String>()
        for callback in callbacks where !keys.insert(callback.checkpointKey).inserted {
            throw NNError.invalidArgument(
                function: "fit",
                message: "two callbacks save their state as '\(callback.checkpointKey)'; "
                    + "give them different monitors or keys")
        }
        return callbacks
    }
}
