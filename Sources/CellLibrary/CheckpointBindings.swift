import Cell
import NN

/// Checkpoints of a `fit`: `checkpoint: "runs/mlp"` saves the model, the optimizer, the History
/// and the callbacks' state after each epoch (atomically); `resume: "runs/mlp"` goes on from the
/// latest one there, exactly.
enum CheckpointBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        registry.type(
            CheckpointPolicy.self, name: "CheckpointPolicy", kind: .value, module: module,
            doc: "Where and how often `fit` saves checkpoints, and how many it keeps."
        ) { type in
            let directory = Param<String>.labelled("directory")
            let everyEpochs = Param<Int>.labelled("everyEpochs", default: 1)
            let keep = Param<Int>.labelled("keep", default: 2)
            type.initializer(
                parameters: [directory, everyEpochs, keep],
                doc: "Saves every `everyEpochs` epochs into `directory`, keeping the last `keep`."
            ) { arguments in
                try arguments.session.wrap(
                    CheckpointPolicy(
                        directory: try arguments[directory],
                        everyEpochs: try arguments[everyEpochs], keep: try arguments[keep]))
            }
            type.description { "CheckpointPolicy(directory: \"\($0.directory)\")" }
        }
        registry.type(
            TrainingCheckpoint.self, name: "TrainingCheckpoint", kind: .value, module: module,
            doc: "A saved point of a `fit`: model, optimizer, History and callback states."
        ) { type in
            let source = Param<String>.labelled("from")
            type.initializer(
                parameters: [source],
                doc: "Reads a checkpoint file, or the latest checkpoint in a directory."
            ) { arguments in
                let path = try arguments[source]
                guard let found = try checkpoint(at: path) else {
                    throw CellError.invalidValue("no checkpoint in \(path)")
                }
                return try arguments.session.wrap(found)
            }
            type.property("epochsCompleted", type: "Int", doc: "The epochs it holds.") {
                .int($0.epochsCompleted)
            }
            type.description { "TrainingCheckpoint(after \($0.epochsCompleted) epochs)" }
        }
    }

    /// The policy a `checkpoint:` argument gives: nil, a directory, or a `CheckpointPolicy`.
    static func policy(from value: Value) throws -> CheckpointPolicy? {
        switch value {
        case .nilValue: return nil
        case .string(let directory): return CheckpointPolicy(directory: directory)
        default:
            guard let policy = value.hostPayload(as: CheckpointPolicy.self) else {
                throw CellError.typeMismatch(
                    "checkpoint must be a directory or a CheckpointPolicy, not \(value.typeName)")
            }
            return policy
        }
    }

    /// The checkpoint a `resume:` argument gives: nil, a path (a file, or a directory whose
    /// latest checkpoint is used, nil when it has none), or a `TrainingCheckpoint`.
    static func checkpoint(from value: Value) throws -> TrainingCheckpoint? {
        switch value {
        case .nilValue: return nil
        case .string(let path): return try checkpoint(at: path, allowEmpty: true)
        default:
            guard let checkpoint = value.hostPayload(as: TrainingCheckpoint.self) else {
                throw CellError.typeMismatch(
                    "resume must be a path or a TrainingCheckpoint, not \(value.typeName)")
            }
            return checkpoint
        }
    }

    /// The checkpoint at `path`: the file itself, or the latest in the directory.
    private static func checkpoint(at path: String, allowEmpty: Bool = false) throws
        -> TrainingCheckpoint?
    {
        if path.hasSuffix(".safetensors") { return try TrainingCheckpoint.load(from: path) }
        if let latest = try TrainingCheckpoint.latest(in: path) { return latest }
        if allowEmpty { return nil }
        throw CellError.invalidValue("no checkpoint in \(path)")
    }
}
