import Foundation

/// Where and how often `fit` saves a `TrainingCheckpoint`: every `everyEpochs` epochs and at
/// the last epoch run, into `directory` as `epoch-0003.safetensors` (the number of finished
/// epochs), keeping the newest `keep` files.
///
/// ```swift
/// let policy = CheckpointPolicy(directory: "runs/mlp")
/// try model.fit(data.train, epochs: 10, optimizer: opt, checkpoint: policy)
/// // later, or after a crash:
/// let last = try TrainingCheckpoint.latest(in: "runs/mlp")
/// try model.fit(data.train, epochs: 10, optimizer: opt, checkpoint: policy, resume: last)
/// ```
public struct CheckpointPolicy: Sendable, Hashable {
    /// The directory the checkpoints go to (created if needed).
    public var directory: String
    /// Save after every this many epochs (and always after the last epoch run).
    public var everyEpochs: Int
    /// How many of the newest checkpoints to keep (older ones are deleted).
    public var keep: Int

    /// A policy saving into `directory`.
    ///
    /// - Parameters:
    ///   - directory: Where to write.
    ///   - everyEpochs: Epochs between checkpoints (at least 1).
    ///   - keep: Newest checkpoints kept (at least 1).
    public init(directory: String, everyEpochs: Int = 1, keep: Int = 2) {
        self.directory = directory
        self.everyEpochs = max(everyEpochs, 1)
        self.keep = max(keep, 1)
    }

    /// The path of the checkpoint taken after `epochsCompleted` epochs.
    public func path(afterEpochs epochsCompleted: Int) -> String {
        let number = String(epochsCompleted)
        let padded = String(repeating: "0", count: max(0, 4 - number.count)) + number
        return (directory as NSString).appendingPathComponent("epoch-\(padded).safetensors")
    }

    /// Whether a checkpoint is due after `epochsCompleted` epochs.
    func isDue(afterEpochs epochsCompleted: Int, isLast: Bool) -> Bool {
        isLast || epochsCompleted % everyEpochs == 0
    }

    /// The checkpoint files in `directory`, oldest first.
    static func checkpointFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("epoch-") && $0.hasSuffix(".safetensors") }
            .sorted { epochNumber($0) < epochNumber($1) }
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Deletes all but the newest `keep` checkpoint files.
    func pruneOldCheckpoints() {
        let files = Self.checkpointFiles(in: directory)
        for file in files.dropLast(keep) { try? FileManager.default.removeItem(atPath: file) }
    }

    private static func epochNumber(_ name: String) -> Int {
        Int(name.dropFirst("epoch-".count).dropLast(".safetensors".count)) ?? -1
    }
}
