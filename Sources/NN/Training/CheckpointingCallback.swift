import Tensor

/// A callback whose state belongs in a training checkpoint, so that a resumed `fit` continues
/// it where it was (early stopping's best value, patience count and best weights).
///
/// `fit` saves `checkpointState()` with every checkpoint and, when resuming, hands the saved
/// state back to `restore(from:model:)` right after `onTrainBegin`.
public protocol CheckpointingCallback: Callback {
    /// A name for the state, unique among the callbacks of one fit ("EarlyStopping(val_loss)").
    var checkpointKey: String { get }
    /// The state to save.
    func checkpointState() throws -> CallbackState
    /// Takes back a state saved by `checkpointState()` for `model`.
    func restore(from state: CallbackState, model: any Layer) throws
}

/// A callback's saved state: numbers by name and tensors by name.
public struct CallbackState: Sendable {
    /// Scalars (best value, counters); Double holds every Int a callback needs exactly.
    public var numbers: [String: Double]
    /// Tensors (saved weights).
    public var tensors: [String: Tensor]

    /// A state of the given numbers and tensors.
    public init(numbers: [String: Double] = [:], tensors: [String: Tensor] = [:]) {
        self.numbers = numbers
        self.tensors = tensors
    }
}

// MARK: - Early stopping's state

extension EarlyStopping: CheckpointingCallback {
    /// "EarlyStopping(<monitor>)".
    public var checkpointKey: String { "EarlyStopping(\(monitor))" }

    /// The best value and epoch, the patience count and, with `restoreBestWeights`, the best
    /// epoch's weights.
    public func checkpointState() throws -> CallbackState {
        var numbers: [String: Double] = [
            "epochsWithoutImprovement": Double(epochsWithoutImprovement)
        ]
        if let bestValue { numbers["bestValue"] = bestValue }
        if let bestEpoch { numbers["bestEpoch"] = Double(bestEpoch) }
        if let stoppedEpoch { numbers["stoppedEpoch"] = Double(stoppedEpoch) }
        return CallbackState(numbers: numbers, tensors: bestWeightsForCheckpoint ?? [:])
    }

    /// Restores what `checkpointState()` saved.
    public func restore(from state: CallbackState, model: any Layer) throws {
        let bestWeights =
            try state.tensors.isEmpty
            ? nil : ModelSnapshot(of: model, stateDict: state.tensors)
        restoreState(
            bestValue: state.numbers["bestValue"],
            bestEpoch: state.numbers["bestEpoch"].flatMap { Int(exactly: $0) },
            stoppedEpoch: state.numbers["stoppedEpoch"].flatMap { Int(exactly: $0) },
            epochsWithoutImprovement: state.numbers["epochsWithoutImprovement"]
                .flatMap { Int(exactly: $0) } ?? 0,
            bestWeights: bestWeights)
    }
}
