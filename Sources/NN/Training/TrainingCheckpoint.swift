import Foundation
import Tensor

/// Everything a `fit` needs to continue exactly where it was after some epochs: the model's
/// state dict, the optimizer's state (moments, step counts, learning rate), the run's seed, the
/// History so far and the state of checkpointing callbacks, in one safetensors file written
/// atomically.
///
/// Resuming with the same data and arguments gives the same model and History as a run that
/// never stopped: each epoch's shuffle depends only on the run's seed and the epoch, a
/// plateau schedule replays the History, and early stopping gets its state back.
///
/// ```swift
/// let checkpoint = try TrainingCheckpoint.latest(in: "runs/mlp")
/// try model.fit(data.train, epochs: 10, optimizer: opt, resume: checkpoint)
/// ```
///
/// The file holds tensors `model.<name>`, `optimizer.<name>` and `callbacks.<key>.<name>`,
/// and string metadata `trainbook.checkpoint.*` (the History as JSON among them).
public struct TrainingCheckpoint: Sendable {
    /// The number of finished epochs: the resumed fit starts at this epoch index.
    public let epochsCompleted: Int
    /// The model's parameters and buffers by dotted name.
    public let modelState: [String: Tensor]
    /// The optimizer's `stateDict(for:)`.
    public let optimizerState: [String: Tensor]
    /// The optimizer's name ("Adam"), checked when resuming.
    public let optimizerName: String
    /// The optimizer's learning rate at the checkpoint.
    public let learningRate: Float
    /// The run's base seed (validation split, shuffles, augmentation).
    public let seed: UInt64
    /// Callback states by `checkpointKey`.
    public let callbackStates: [String: CallbackState]
    /// The History up to the checkpoint.
    let history: HistoryContents
    /// The file it was read from, if any.
    public internal(set) var path: String?

    /// The finished epochs recorded in the checkpoint.
    public var epochs: [EpochRecord] { history.epochs }

    init(
        epochsCompleted: Int, modelState: [String: Tensor], optimizerState: [String: Tensor],
        optimizerName: String, learningRate: Float, seed: UInt64,
        callbackStates: [String: CallbackState], history: HistoryContents
    ) {
        self.epochsCompleted = epochsCompleted
        self.modelState = modelState
        self.optimizerState = optimizerState
        self.optimizerName = optimizerName
        self.learningRate = learningRate
        self.seed = seed
        self.callbackStates = callbackStates
        self.history = history
    }

    // MARK: - Files

    private enum Key {
        static let format = "format"
        static let formatValue = "trainbook.checkpoint"
        static let version = "trainbook.checkpoint.version"
        static let epochs = "trainbook.checkpoint.epochs_completed"
        static let optimizer = "trainbook.checkpoint.optimizer"
        static let learningRate = "trainbook.checkpoint.learning_rate"
        static let seed = "trainbook.checkpoint.seed"
        static let history = "trainbook.checkpoint.history"
        static let callbacks = "trainbook.checkpoint.callbacks"
    }

    /// Reads the checkpoint at `path`.
    ///
    /// - Throws: `NNError.fileError` when the file cannot be read or is not a Trainbook
    ///   checkpoint.
    public static func load(from path: String) throws -> TrainingCheckpoint {
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile.read(path)
        } catch {
            throw NNError.fileError(path: path, message: "\(error)")
        }
        func fail(_ message: String) -> NNError { .fileError(path: path, message: message) }
        let metadata = file.metadata
        guard metadata[Key.format] == Key.formatValue else {
            throw fail(
                "not a Trainbook training checkpoint (its format is "
                    + "\(metadata[Key.format].map { "'\($0)'" } ?? "not given"))")
        }
        guard metadata[Key.version] == "1" else {
            throw fail("checkpoint version \(metadata[Key.version] ?? "?") is not supported")
        }
        guard let epochs = metadata[Key.epochs].flatMap({ Int($0) }), epochs >= 0,
            let seed = metadata[Key.seed].flatMap({ UInt64($0) }),
            let rate = metadata[Key.learningRate].flatMap({ Float($0) }),
            let optimizer = metadata[Key.optimizer],
            let historyJSON = metadata[Key.history], let callbacksJSON = metadata[Key.callbacks]
        else { throw fail("the checkpoint's metadata is incomplete") }
        let history: HistoryContents
        let callbackNumbers: [String: [String: Double]]
        do {
            history = try checkpointDecoder.decode(
                HistoryContents.self, from: Foundation.Data(historyJSON.utf8))
            callbackNumbers = try checkpointDecoder.decode(
                [String: [String: Double]].self, from: Foundation.Data(callbacksJSON.utf8))
        } catch {
            throw fail("the checkpoint's history cannot be read (\(error))")
        }
        var callbackStates: [String: CallbackState] = [:]
        for (key, numbers) in callbackNumbers {
            callbackStates[key] = CallbackState(
                numbers: numbers, tensors: file.tensors.strippingPrefix("callbacks.\(key)."))
        }
        var checkpoint = TrainingCheckpoint(
            epochsCompleted: epochs, modelState: file.tensors.strippingPrefix("model."),
            optimizerState: file.tensors.strippingPrefix("optimizer."), optimizerName: optimizer,
            learningRate: rate, seed: seed, callbackStates: callbackStates, history: history)
        checkpoint.path = path
        return checkpoint
    }

    /// The newest checkpoint in `directory` (by epoch number), or nil if there is none.
    public static func latest(in directory: String) throws -> TrainingCheckpoint? {
        guard let newest = CheckpointPolicy.checkpointFiles(in: directory).last else {
            return nil
        }
        return try load(from: newest)
    }

    /// Writes the checkpoint to `path` atomically (temporary file, sync, rename).
    public func write(to path: String) throws {
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in modelState { tensors["model." + name] = tensor }
        for (name, tensor) in optimizerState { tensors["optimizer." + name] = tensor }
        var callbackNumbers: [String: [String: Double]] = [:]
        for (key, state) in callbackStates {
            callbackNumbers[key] = state.numbers
            for (name, tensor) in state.tensors { tensors["callbacks.\(key).\(name)"] = tensor }
        }
        let metadata = [
            Key.format: Key.formatValue, Key.version: "1", Key.epochs: String(epochsCompleted),
            Key.optimizer: optimizerName, Key.learningRate: learningRate.description,
            Key.seed: String(seed),
            Key.history: String(decoding: try checkpointEncoder.encode(history), as: UTF8.self),
            Key.callbacks: String(
                decoding: try checkpointEncoder.encode(callbackNumbers), as: UTF8.self),
        ]
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true)
            }
            try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: path)
        } catch {
            throw NNError.fileError(path: path, message: "cannot write the checkpoint: \(error)")
        }
    }
}

/// JSON with NaN and infinities spelled out (a diverged loss is still a value to keep).
private let checkpointEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
}()

private let checkpointDecoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
}()

extension Dictionary where Key == String, Value == Tensor {
    /// The entries whose names start with `prefix`, with the prefix removed.
    fileprivate func strippingPrefix(_ prefix: String) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, tensor) in self where name.hasPrefix(prefix) {
            result[String(name.dropFirst(prefix.count))] = tensor
        }
        return result
    }
}
